"""Contributing and reviewing publications on the site, and serving their files.

Views parse input, ask sdg87.library.permissions, call one service and render; everything
works without JavaScript. A record's working copy (drafts, files awaiting publication, the
audit trail) is shown only to its publisher's writers and to superusers: to anybody else it
does not exist (404), so a draft's title never leaks.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.catalog.models import Status
from sdg87.library import permissions
from sdg87.library.forms import FileForm, PublicationForm, ReviewForm
from sdg87.library.models import Publication, PublicationFile
from sdg87.library.services import files, publications, review
from sdg87.orgs import selectors as org_selectors
from sdg87.orgs.roles import EDIT_ROLES, REVIEW_ROLES, organisation_ids_with_role


def _login(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path(), login_url=reverse("catalog:login"))


def _working_copy(request: HttpRequest, slug: str) -> Publication:
    """The record, for its writers only (404 for anybody else)."""
    pub = Publication.objects.select_related("publisher").filter(slug=slug).first()
    if pub is None or not permissions.is_writer(request.user, pub):
        raise Http404(_("Publication not found"))
    return pub


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _aware(value: Any) -> Any:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def my_publications(request: HttpRequest) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    writable = organisation_ids_with_role(request.user, EDIT_ROLES)
    reviewing = organisation_ids_with_role(request.user, REVIEW_ROLES)
    pubs = Publication.objects.select_related("publisher").order_by("-last_modified")
    if not request.user.is_superuser:
        pubs = pubs.filter(publisher_id__in=writable)
    awaiting = pubs.filter(status=Status.SUBMITTED)
    if not request.user.is_superuser:
        awaiting = awaiting.filter(publisher_id__in=reviewing)
    return render(
        request,
        "library/contribute/my_publications.html",
        {
            "publications": pubs.exclude(is_bundled=True)[:200],
            "awaiting_review": awaiting[:100],
            "can_create": bool(writable) or request.user.is_superuser,
        },
    )


def publication_new(request: HttpRequest) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    orgs = org_selectors.user_organisations(user=request.user).filter(
        pk__in=organisation_ids_with_role(request.user, EDIT_ROLES)
    )
    if not orgs.exists():
        raise PermissionDenied(_("You are not a contributor of any organisation."))
    form = PublicationForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            pub = publications.publication_create(
                actor=request.user,
                publisher=form.cleaned_data["publisher"],
                **form.field_values(),
                **form.relations(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Publication created. Now add its files."))
            return redirect("library_contribute:publication_manage", slug=pub.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "library/contribute/publication_form.html",
        {"form": form, "publication": None},
        status=status,
    )


def publication_edit(request: HttpRequest, slug: str) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    pub = _working_copy(request, slug)
    if not permissions.can_edit_publication(request.user, pub):
        raise PermissionDenied(_("You cannot edit this publication."))
    form = PublicationForm(request.POST or None, publication=pub)
    if request.method == "POST" and form.is_valid():
        try:
            publications.publication_update(
                actor=request.user,
                publication=pub,
                data=form.field_values(),
                **form.relations(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("library_contribute:publication_manage", slug=pub.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "library/contribute/publication_form.html",
        {"form": form, "publication": pub},
        status=status,
    )


def publication_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The working copy: status, files, the contributor's and the reviewer's actions, the
    audit trail."""
    if (denied := _login(request)) is not None:
        return denied
    pub = _working_copy(request, slug)
    return _manage_page(request, pub, FileForm(), ReviewForm())


def _manage_page(
    request: HttpRequest,
    pub: Publication,
    file_form: FileForm,
    review_form: ReviewForm,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    published = {f.pk for f in files.publication_files_published(pub)}
    return render(
        request,
        "library/contribute/publication_manage.html",
        {
            "publication": pub,
            "creators": list(pub.creators.order_by("position")),
            "files": list(pub.files.all()),
            "published_files": published,
            "file_form": file_form,
            "review_form": review_form,
            "can_edit": permissions.can_edit_publication(user, pub),
            "can_upload": permissions.can_upload(user, pub),
            "can_submit": permissions.can_submit_publication(user, pub),
            "can_review": permissions.can_review_publication(user, pub),
            "can_publish": permissions.can_publish_publication(user, pub),
            "can_unpublish": permissions.can_unpublish_publication(user, pub),
            "versions": list(pub.versions.order_by("-number")[:20]),
            "audit": list(pub.audit_entries.select_related("actor")[:50]),
        },
        status=status,
    )


@require_POST
def publication_file_upload(request: HttpRequest, slug: str) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    pub = _working_copy(request, slug)
    if not permissions.can_upload(request.user, pub):
        raise PermissionDenied(_("You cannot add files to this publication."))
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            files.publication_file_add(
                actor=request.user,
                publication=pub,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except files.FileRejected as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("File added."))
            return redirect("library_contribute:publication_manage", slug=pub.slug)
    pub.refresh_from_db()
    return _manage_page(request, pub, form, ReviewForm(), status=400)


@require_POST
def publication_file_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    pub = _working_copy(request, slug)
    file = pub.files.filter(pk=pk).first()
    if file is None:
        raise Http404(_("File not found"))
    files.publication_file_remove(actor=request.user, file=file)
    messages.success(request, _("File removed."))
    return redirect("library_contribute:publication_manage", slug=pub.slug)


ACTIONS = ("submit", "request_changes", "approve", "publish", "unpublish")


@require_POST
def publication_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    if action not in ACTIONS:
        raise Http404
    pub = _working_copy(request, slug)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, pub, FileForm(), form, status=400)
    message = form.cleaned_data["message"]
    try:
        if action == "publish":
            review.publication_publish(
                actor=request.user,
                publication=pub,
                publish_at=_aware(form.cleaned_data["publish_at"]),
                embargo_until=_aware(form.cleaned_data["embargo_until"]),
                note=message,
            )
        else:
            service = getattr(review, f"publication_{action}")
            service(actor=request.user, publication=pub, message=message)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("library_contribute:publication_manage", slug=pub.slug)


def publication_file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A file as an attachment, never rendered: to the publisher's writers any file of the
    working copy; to everybody else only a file of the live version of a record they may see,
    once its embargo has passed."""
    file = PublicationFile.objects.select_related("publication").filter(pk=pk).first()
    if file is None:
        raise Http404(_("File not found"))
    pub = file.publication
    published = file.pk in {f.pk for f in files.publication_files_published(pub)}
    if not permissions.is_writer(request.user, pub) and not (
        published and permissions.can_view_files(request.user, pub)
    ):
        raise Http404(_("File not found"))
    response = FileResponse(
        file.file.open("rb"),
        as_attachment=True,
        filename=f"{pub.slug}-{file.pk}.{file.extension}",
        content_type=file.media_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    if not (published and permissions.can_view_files(None, pub)):
        response["Cache-Control"] = "private, no-store"  # a working copy, or not yet public
    return response
