"""The members-only workspace of an Action Group: `/<lang>/action-groups/<slug>/workspace/`.

Only people of the group's member organisations and the secretariat see it (anonymous
visitors are sent to sign in; others get 403 before any document is looked up, so nothing
tells whether a document exists). Every page is `private, no-store`; writes are POST with
CSRF and call one service of sdg87.alliance.services.workspace. No JavaScript.

Files are served only by `version_download`, as attachments with `nosniff` and a sandboxing
CSP, from the private storage (no /media/ URL exists for them). The latest version of a
released document is the one download everybody may have (the hub links it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sdg87.alliance import group_selectors, permissions, workspace_selectors
from sdg87.alliance.models import ActionGroup, WorkspaceDocument
from sdg87.alliance.services import workspace
from sdg87.alliance.workspace_forms import (
    DecideForm,
    DocumentCreateForm,
    DocumentDetailsForm,
    ProposeForm,
    TakeBackForm,
    VersionAddForm,
)


def _login(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), login_url=reverse("catalog:login"))


def _group(slug: str) -> ActionGroup:
    group = group_selectors.group_get(slug=slug)
    if group is None:
        raise Http404(_("No such Action Group."))
    return group


def _guard(request: HttpRequest, slug: str) -> ActionGroup | HttpResponse:
    """The group if the user may see its workspace; a sign-in redirect for anonymous
    visitors; 403 for everybody else."""
    group = _group(slug)
    if not request.user.is_authenticated:
        return _login(request)
    if not permissions.can_view_workspace(request.user, group):
        raise PermissionDenied(
            _(
                "This workspace is for the people of the group's member organisations and the "
                "Alliance 8.7 secretariat."
            )
        )
    return group


def _document(group: ActionGroup, pk: int) -> WorkspaceDocument:
    document = workspace_selectors.document_get(group=group, pk=pk)
    if document is None:
        raise Http404(_("Document not found"))
    return document


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _document_url(document: WorkspaceDocument) -> str:
    return reverse(
        "alliance-workspace:document", kwargs={"slug": document.group.slug, "pk": document.pk}
    )


# --- pages ---------------------------------------------------------------------------------


def _index_page(
    request: HttpRequest, group: ActionGroup, form: DocumentCreateForm | None, status: int = 200
) -> HttpResponse:
    can_create = permissions.can_create_workspace_document(request.user, group)
    return render(
        request,
        "alliance/workspace/index.html",
        {
            "group": group,
            "rows": workspace_selectors.workspace_documents(group=group),
            "can_create": can_create,
            "form": form or (DocumentCreateForm() if can_create else None),
            "is_secretariat": permissions.is_secretariat(request.user),
        },
        status=status,
    )


@never_cache
def workspace_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's documents (every release state), and the form to add one."""
    group = _guard(request, slug)
    if isinstance(group, HttpResponse):
        return group
    return _index_page(request, group, None)


@never_cache
@require_POST
def document_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _guard(request, slug)
    if isinstance(group, HttpResponse):
        return group
    if not permissions.can_create_workspace_document(request.user, group):
        raise PermissionDenied(
            _("Only people with an edit role in a member organisation can add documents.")
        )
    form = DocumentCreateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = workspace.document_create(
                actor=request.user,
                group=group,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                file=data["file"],
            )
        except workspace.FileRejected as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Added. Only the group's members can see it."))
            return redirect(_document_url(document))
    return _index_page(request, group, form, status=400)


def _document_page(
    request: HttpRequest,
    group: ActionGroup,
    document: WorkspaceDocument,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    user = request.user
    can = {
        "edit": permissions.can_edit_workspace_document(user, document),
        "propose": permissions.can_propose_release(user, document),
        "withdraw": permissions.can_withdraw_proposal(user, document),
        "decide": permissions.can_decide_release(user, document),
        "take_back": permissions.can_unrelease(user, document),
    }
    defaults: dict[str, Any] = {
        "version_form": VersionAddForm() if can["edit"] else None,
        "details_form": DocumentDetailsForm(
            initial={
                "title": document.title,
                "kind": document.kind,
                "description": document.description,
            }
        )
        if can["edit"]
        else None,
        "propose_form": ProposeForm() if can["propose"] else None,
        "decide_form": DecideForm() if can["decide"] else None,
        "take_back_form": TakeBackForm() if can["take_back"] else None,
    }
    return render(
        request,
        "alliance/workspace/document.html",
        {
            "group": group,
            "document": document,
            "versions": workspace_selectors.document_versions(document=document),
            "history": workspace_selectors.document_history(document=document),
            "can": can,
            **{name: forms.get(name, form) for name, form in defaults.items()},
        },
        status=status,
    )


@never_cache
def document_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One document: its versions, its history, and the buttons the user may press."""
    group = _guard(request, slug)
    if isinstance(group, HttpResponse):
        return group
    return _document_page(request, group, _document(group, pk))


def _post(request: HttpRequest, slug: str, pk: int) -> tuple[ActionGroup, WorkspaceDocument]:
    group = _guard(request, slug)
    if isinstance(group, HttpResponse):  # a POST without a session: nothing to do
        raise PermissionDenied(_("Sign in first."))
    return group, _document(group, pk)


@never_cache
@require_POST
def version_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group, document = _post(request, slug, pk)
    form = VersionAddForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = workspace.version_add(
                actor=request.user,
                document=document,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except workspace.FileRejected as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Version %(number)d added.") % {"number": version.number})
            return redirect(_document_url(document))
    return _document_page(request, group, document, status=400, version_form=form)


@never_cache
@require_POST
def document_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group, document = _post(request, slug, pk)
    form = DocumentDetailsForm(request.POST)
    if form.is_valid():
        try:
            workspace.document_update(actor=request.user, document=document, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_document_url(document))
    return _document_page(request, group, document, status=400, details_form=form)


@never_cache
@require_POST
def release_propose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group, document = _post(request, slug, pk)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            workspace.release_propose(
                actor=request.user, document=document, note=form.cleaned_data["release_note"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Proposed for public release. The secretariat has been told; it stays "
                    "members only until the secretariat releases it."
                ),
            )
            return redirect(_document_url(document))
    return _document_page(request, group, document, status=400, propose_form=form)


@never_cache
@require_POST
def release_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _unused, document = _post(request, slug, pk)
    workspace.release_withdraw(actor=request.user, document=document)
    messages.success(request, _("Proposal withdrawn: members only again."))
    return redirect(_document_url(document))


@never_cache
@require_POST
def release_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group, document = _post(request, slug, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        release = form.cleaned_data["decision"] == "release"
        try:
            workspace.release_decide(
                actor=request.user,
                document=document,
                release=release,
                note=form.cleaned_data["release_note"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Released: it is on the group's public page.")
                if release
                else _("Release declined; the members see your note."),
            )
            return redirect(_document_url(document))
    return _document_page(request, group, document, status=400, decide_form=form)


@never_cache
@require_POST
def release_take_back(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group, document = _post(request, slug, pk)
    form = TakeBackForm(request.POST)
    if form.is_valid():
        try:
            workspace.release_take_back(
                actor=request.user, document=document, note=form.cleaned_data["release_note"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The document is members only again."))
            return redirect(_document_url(document))
    return _document_page(request, group, document, status=400, take_back_form=form)


# --- the one way to a file -----------------------------------------------------------------


def version_download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """A version as an attachment, never rendered: any version to the people who may see the
    workspace; to everybody the latest version of a released document. Anything else is a
    404 (a sign-in redirect for anonymous visitors), whether or not it exists."""
    group = _group(slug)
    version = workspace_selectors.version_get(group=group, pk=pk)
    public = (
        version is not None
        and permissions.can_download_released(version.document)
        and workspace_selectors.version_is_latest(version)
    )
    if not public:
        if not request.user.is_authenticated:
            return _login(request)
        if version is None or not permissions.can_view_workspace(request.user, group):
            raise Http404(_("File not found"))
    assert version is not None
    document = version.document
    name = slugify(document.title)[:60] or "document"
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"{name}-v{version.number}.{version.extension}",
        content_type=version.media_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    if not public:
        response["Cache-Control"] = "private, no-store"
    return response
