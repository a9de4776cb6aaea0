"""Pages of the data directory. Views parse input, ask permissions/selectors, call one service,
and render. Everything works without JavaScript."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sdg87.catalog import (
    permissions,
    selectors,
    statistics,
    uploads,
    validators,
    version_rows,
)
from sdg87.catalog.forms import (
    AccessRequestForm,
    DatasetForm,
    DictionaryForm,
    LinkForm,
    MessageForm,
    UploadForm,
)
from sdg87.catalog.freshness import FRESHNESS_LABELS, Freshness
from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.presentation import citation_for, jsonld_for
from sdg87.catalog.services import access, datasets, distributions, review, validation
from sdg87.core.client_ip import client_ip
from sdg87.orgs import selectors as org_selectors

PAGE_SIZE = 20
FILTER_PARAMS = selectors.FILTER_PARAMS
SORT_CHOICES = [
    ("title", gettext_lazy("Title (A-Z)")),
    ("-title", gettext_lazy("Title (Z-A)")),
    ("updated", gettext_lazy("Most recently updated data")),
    ("modified", gettext_lazy("Last modified")),
    ("published", gettext_lazy("Newest first")),
]


def _login(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), login_url=reverse("catalog:login"))


def _require_user(request: HttpRequest) -> HttpResponse | None:
    return None if request.user.is_authenticated else _login(request)


def _visible_dataset(request: HttpRequest, slug: str) -> Dataset:
    dataset = selectors.dataset_get(user=request.user, slug=slug)
    if dataset is None:
        raise Http404(_("Dataset not found"))
    return dataset


# --- public pages -----------------------------------------------------------------------------


def dataset_list(request: HttpRequest) -> HttpResponse:
    params: dict[str, Any] = {name: request.GET.getlist(name) for name in FILTER_PARAMS}
    q = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    status = 200
    try:
        result = selectors.dataset_search(user=request.user, q=q, sort=sort, **params)
    except ValidationError as exc:
        # too long or too many words: say so, and show no results rather than other ones
        messages.error(request, exc.messages[0])
        result = selectors.DatasetSearchResult(datasets=Dataset.objects.none(), count=0)
        q, status = q[: validators.MAX_SEARCH_CHARS], 400
    paginator = Paginator(result.datasets, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    base = [(k, v) for k in (*FILTER_PARAMS, "q", "sort") for v in request.GET.getlist(k) if v]

    def url_with(toggle: tuple[str, str] | None = None, page_number: int | None = None) -> str:
        pairs = list(base)
        if toggle is not None:
            pairs = [p for p in pairs if p != toggle] if toggle in pairs else [*pairs, toggle]
        if page_number and page_number > 1:
            pairs.append(("page", str(page_number)))
        return "?" + urlencode(pairs) if pairs else "?"

    facets = [
        {
            "name": name,
            "label": label,
            "items": [
                {"item": item, "url": url_with((name, item.value))}
                for item in result.facets.get(name, [])
            ],
        }
        for name, label in (
            ("organisation", _("Organisation")),
            ("theme", _("Theme")),
            ("country", _("Country or region")),
            ("format", _("Format")),
            ("licence", _("Licence")),
            ("freshness", _("Freshness")),
        )
    ]
    formats = selectors.dataset_formats(dataset_ids=[d.pk for d in page.object_list])
    rows = [
        {
            "dataset": d,
            # Freshness describes published data; a draft has none yet.
            "freshness": d.freshness if d.live else "",  # type: ignore[attr-defined]
            "freshness_label": FRESHNESS_LABELS[Freshness(d.freshness)],  # type: ignore[attr-defined]
            "formats": formats.get(d.pk, []),
        }
        for d in page.object_list
    ]
    return render(
        request,
        "catalog/dataset_list.html",
        {
            "q": q,
            "sort": sort,
            "sort_choices": SORT_CHOICES,
            "selected": [(k, v) for k, v in base if k in FILTER_PARAMS],
            "result": result,
            "rows": rows,
            "page": page,
            "facets": facets,
            "prev_url": url_with(page_number=page.previous_page_number())
            if page.has_previous()
            else "",
            "next_url": url_with(page_number=page.next_page_number()) if page.has_next() else "",
            "hidden_filters": [(k, v) for k, v in base if k in FILTER_PARAMS],
            # the same listing as references (the library's export view, /<lang>/datasets/export/)
            "export_query": urlencode([*base, ("export", "")])[: -len("export=")],
        },
        status=status,
    )


def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _visible_dataset(request, slug)
    user = request.user
    can_data = permissions.can_view_data(user, dataset)
    distributions = selectors.distribution_list(user=user, dataset=dataset)
    preview_dist = next((d for d in distributions if can_data and d.preview.get("header")), None)
    versions = list(selectors.dataset_version_list(dataset=dataset)[:10])
    freshness = selectors.dataset_freshness(dataset=dataset)
    newer_edition = selectors.newer_edition_public(dataset=dataset)
    jsonld = json.dumps(jsonld_for(dataset, distributions if can_data else [], request))
    context = {
        "dataset": dataset,
        "newer_edition": newer_edition,
        "earlier_editions": selectors.earlier_editions(user=user, dataset=dataset),
        "distributions": distributions,
        # published files with a pending replacement (listed only to the working copy's writers)
        "being_replaced": {d.replaces_id for d in distributions if d.is_pending and d.replaces_id},
        "can_view_data": can_data,
        "embargoed": permissions.is_embargoed(dataset),
        "scheduled": bool(dataset.publish_at and dataset.publish_at > timezone.now()),
        "preview": preview_dist,
        "versions": versions,
        "freshness": str(freshness) if dataset.live else "",
        "freshness_label": FRESHNESS_LABELS[freshness],
        "citation": citation_for(dataset, versions[0] if versions else None, request),
        "jsonld": mark_safe(jsonld.translate(_json_script_escapes)),
        "access_form": AccessRequestForm(dataset=dataset)
        if not can_data or dataset.sensitive
        else None,
        "original_files": access.original_files(user=user, dataset=dataset),
        "pending_grants": list(
            dataset.access_requests.filter(
                granted_at__isnull=True, terms_accepted_at__isnull=False, user__isnull=False
            )[:50]
        )
        if dataset.sensitive and permissions.can_grant_access(user, dataset)
        else [],
        "can_edit": permissions.can_edit_dataset(user, dataset),
        "can_upload": permissions.can_upload(user, dataset),
        "can_submit": permissions.can_submit_dataset(user, dataset),
        "invalid_files": [d.title for d in distributions if d.is_valid is False]
        if permissions.can_submit_dataset(user, dataset)
        else [],
        "validating_files": [d.title for d in distributions if d.is_validating]
        if permissions.can_submit_dataset(user, dataset)
        else [],
        # a publication hands the import of its tidy files to the task worker
        "statistics_importing": [
            d.title for d in statistics.distributions_importing(dataset=dataset)
        ],
        "statistics_problems": statistics.import_problems(dataset)
        if permissions.can_upload(user, dataset)
        else [],
        "can_review": permissions.can_review_dataset(user, dataset),
        "can_publish": permissions.can_publish_dataset(user, dataset),
        "can_unpublish": permissions.can_unpublish_dataset(user, dataset),
        "can_release_sensitive": permissions.can_release_sensitive(user, dataset),
        "can_flag_sensitive": not dataset.quarantined
        and permissions.can_flag_sensitive(user, dataset),
        "message_form": MessageForm(),
        "related_publications": [
            line.strip() for line in dataset.related_publications.splitlines() if line.strip()
        ],
    }
    return render(request, "catalog/dataset_detail.html", context)


def distribution_download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """Serve an uploaded file as an attachment (never rendered inline), or redirect to a link."""
    dataset = _visible_dataset(request, slug)
    dist = selectors.distribution_get(user=request.user, dataset=dataset, pk=pk)
    if dist is None or not permissions.can_view_data(request.user, dataset):
        raise Http404(_("File not found"))
    if not dist.file:
        return HttpResponseRedirect(dist.url)
    ext = dist.format.lower() or "bin"
    response = FileResponse(
        dist.file.open("rb"),
        as_attachment=True,
        filename=f"{dataset.slug}-{dist.pk}.{ext}",
        content_type=dist.media_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def access_request_grant(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dataset = _visible_dataset(request, slug)
    access_request = dataset.access_requests.filter(pk=pk).first()
    if access_request is None:
        raise Http404(_("Request not found"))
    try:
        access.access_request_grant(actor=request.user, access_request=access_request)
    except PermissionDenied as exc:
        raise Http404(_("Request not found")) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Access granted."))
    return redirect(dataset.get_absolute_url())


def original_download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """The unprotected file of a sensitive dataset, for a granted requester (audited)."""
    dataset = _visible_dataset(request, slug)
    try:
        dist = access.original_download(actor=request.user, dataset=dataset, pk=pk)
    except PermissionDenied as exc:
        raise Http404(_("File not found")) from exc
    response = FileResponse(
        dist.file.open("rb"),
        as_attachment=True,
        filename=f"{dataset.slug}-{dist.pk}-unprotected.{dist.format.lower() or 'bin'}",
        content_type=dist.media_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def dataset_history(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _visible_dataset(request, slug)
    versions = list(selectors.dataset_version_list(dataset=dataset))
    audit = (
        dataset.audit_entries.select_related("actor")[:100]
        if permissions.can_see_unpublished_distributions(request.user, dataset)
        else []
    )
    return render(
        request,
        "catalog/dataset_history.html",
        {"dataset": dataset, "versions": versions, "audit": audit},
    )


def dataset_changes(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _visible_dataset(request, slug)
    versions = list(selectors.dataset_version_list(dataset=dataset))
    try:
        new = int(request.GET.get("to") or (versions[0].number if versions else 0))
        old = int(request.GET.get("from") or max(new - 1, 1))
    except ValueError as exc:
        raise Http404(_("Unknown version")) from exc
    diff = selectors.dataset_version_diff(dataset=dataset, old=old, new=new)
    if diff is None:
        raise Http404(_("Unknown version"))
    if permissions.can_view_data(request.user, dataset):
        # the changed rows are data: only for those who may see the files
        version_rows.version_rows_attach(dataset=dataset, version_diff=diff)
    return render(
        request,
        "catalog/dataset_changes.html",
        {"dataset": dataset, "diff": diff, "versions": versions, "old": old, "new": new},
    )


@require_POST
def access_request(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _visible_dataset(request, slug)
    form = AccessRequestForm(request.POST, dataset=dataset)
    status = 400
    if form.is_valid():
        try:
            access.access_request_create(
                dataset=dataset,
                user=request.user,
                client_ip=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            if getattr(exc, "code", None) == "throttled":
                status = 429
        else:
            messages.success(request, _("Your request was sent to the publisher."))
            return redirect(dataset.get_absolute_url())
    return render(
        request, "catalog/access_request.html", {"dataset": dataset, "form": form}, status=status
    )


# --- contributor and reviewer pages -----------------------------------------------------------


def my_datasets(request: HttpRequest) -> HttpResponse:
    if (denied := _require_user(request)) is not None:
        return denied
    orgs = org_selectors.user_organisations(user=request.user)
    datasets = (
        selectors.dataset_visible_queryset(user=request.user)
        .filter(publisher__in=orgs)
        .select_related("publisher")
        .order_by("-last_modified")
    )
    return render(
        request,
        "catalog/my_datasets.html",
        {
            "organisations": orgs,
            "datasets": datasets,
            "awaiting_review": selectors.datasets_awaiting_review(user=request.user),
        },
    )


def dataset_create(request: HttpRequest) -> HttpResponse:
    if (denied := _require_user(request)) is not None:
        return denied
    orgs = org_selectors.user_organisations(user=request.user)
    if not orgs.exists():
        raise PermissionDenied(_("You are not a contributor of any organisation."))
    form = DatasetForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = datasets.dataset_create(
                actor=request.user,
                publisher=form.cleaned_data["publisher"],
                **form.field_values(),
                **form.relations(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Dataset created. Now upload its files."))
            return redirect("catalog:distribution_upload", slug=dataset.slug)
    return render(request, "catalog/dataset_form.html", {"form": form, "dataset": None})


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _editable_dataset(request: HttpRequest, slug: str) -> Dataset:
    dataset = _visible_dataset(request, slug)
    if not permissions.can_see_unpublished_distributions(request.user, dataset):
        raise PermissionDenied
    return dataset


def dataset_edit(request: HttpRequest, slug: str) -> HttpResponse:
    if (denied := _require_user(request)) is not None:
        return denied
    dataset = _editable_dataset(request, slug)
    if not permissions.can_edit_dataset(request.user, dataset):
        raise PermissionDenied
    form = DatasetForm(request.POST or None, instance=dataset)
    if request.method == "POST" and form.is_valid():
        fresh = Dataset.objects.get(pk=dataset.pk)  # the form mutated `dataset` in place
        try:
            datasets.dataset_update(
                actor=request.user, dataset=fresh, data=form.field_values(), **form.relations()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(fresh.get_absolute_url())
    return render(request, "catalog/dataset_form.html", {"form": form, "dataset": dataset})


def distribution_upload(request: HttpRequest, slug: str) -> HttpResponse:
    if (denied := _require_user(request)) is not None:
        return denied
    dataset = _editable_dataset(request, slug)
    if not permissions.can_upload(request.user, dataset):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, dataset=dataset)
    link_form = LinkForm(prefix="link")
    if request.method == "POST" and form.is_valid():
        try:
            dist = distributions.distribution_upload(
                actor=request.user,
                dataset=dataset,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                replace=form.cleaned_data["replace"],
                map_to_observations=form.cleaned_data["map_to_observations"],
                sensitive=form.cleaned_data["sensitive"],
            )
        except distributions.UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            dist.refresh_from_db()  # the task worker may already have validated it
            if dist.is_valid is None:
                messages.info(
                    request,
                    _("File received. It is being validated: reload this page to see the report."),
                )
            elif dist.is_valid:
                messages.success(request, _("The file is valid."))
            else:
                messages.error(request, _("The file has errors: see the list below."))
            return redirect("catalog:distribution_detail", slug=dataset.slug, pk=dist.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "catalog/upload_form.html",
        {"form": form, "link_form": link_form, "dataset": dataset},
        status=status,
    )


@require_POST
def distribution_add_link(request: HttpRequest, slug: str) -> HttpResponse:
    if (denied := _require_user(request)) is not None:
        return denied
    dataset = _editable_dataset(request, slug)
    form = LinkForm(request.POST, prefix="link")
    if not form.is_valid():
        return render(
            request,
            "catalog/upload_form.html",
            {"form": UploadForm(dataset=dataset), "link_form": form, "dataset": dataset},
            status=400,
        )
    distributions.distribution_add_link(actor=request.user, dataset=dataset, **form.cleaned_data)
    return redirect(dataset.get_absolute_url())


def distribution_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Validation report and data dictionary of one file (contributors and reviewers)."""
    if (denied := _require_user(request)) is not None:
        return denied
    dataset = _editable_dataset(request, slug)
    dist: Distribution | None = dataset.distributions.filter(pk=pk).first()
    if dist is None:
        raise Http404(_("File not found"))
    can_edit = permissions.can_upload(request.user, dataset)
    form = DictionaryForm(request.POST or None, distribution=dist)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("action") == "revalidate":
            validation.distribution_revalidate(actor=request.user, distribution=dist)
            messages.info(request, _("The file is being validated again."))
            return redirect("catalog:distribution_detail", slug=dataset.slug, pk=dist.pk)
        if form.is_valid():
            try:
                distributions.distribution_update_dictionary(
                    actor=request.user,
                    distribution=dist,
                    fields=form.entries(),
                    primary_key=form.cleaned_data["primary_key"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Data dictionary saved."))
                return redirect("catalog:distribution_detail", slug=dataset.slug, pk=dist.pk)
    report = dist.validation_report or {}
    return render(
        request,
        "catalog/distribution_detail.html",
        {
            "dataset": dataset,
            "dist": dist,
            "errors": uploads.error_summary(
                report.get("errors", []),
                total=report.get("error_count"),
                columns=report.get("error_columns"),
                capped=bool(report.get("error_count_capped")),
            ),
            "import_errors": uploads.error_summary(
                report.get(statistics.IMPORT_ERRORS) or [],
                total=report.get(statistics.IMPORT_ERROR_COUNT),
            ),
            "form": form,
            "can_edit": can_edit,
            "can_retract": permissions.can_retract_statistics(request.user, dataset),
        },
    )


@require_POST
def distribution_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (denied := _require_user(request)) is not None:
        return denied
    dataset = _editable_dataset(request, slug)
    dist = dataset.distributions.filter(pk=pk).first()
    if dist is None:
        raise Http404(_("File not found"))
    distributions.distribution_delete(actor=request.user, distribution=dist)
    messages.success(request, _("File removed."))
    return redirect(dataset.get_absolute_url())


@require_POST
def distribution_statistics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Retract (or restore) the statistics imported from one file: editors of the publisher."""
    if (denied := _require_user(request)) is not None:
        return denied
    dataset = _editable_dataset(request, slug)
    dist = dataset.distributions.filter(pk=pk).first()
    action = request.POST.get("action")
    if dist is None or action not in ("retract", "restore"):
        raise Http404(_("File not found"))
    service = (
        review.distribution_statistics_retract
        if action == "retract"
        else review.distribution_statistics_restore
    )
    try:
        message = request.POST.get("message", "")[:500]
        service(actor=request.user, distribution=dist, message=message)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("The statistics of this file are withdrawn everywhere.")
            if action == "retract"
            else _("The statistics of this file follow the dataset again."),
        )
    return redirect("catalog:distribution_detail", slug=dataset.slug, pk=dist.pk)


ACTIONS = {
    "submit": "dataset_submit",
    "request_changes": "dataset_request_changes",
    "approve": "dataset_approve",
    "publish": "dataset_publish",
    "unpublish": "dataset_unpublish",
    "quarantine": "dataset_quarantine",
}


@require_POST
def dataset_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if (denied := _require_user(request)) is not None:
        return denied
    if action not in ACTIONS:
        raise Http404
    dataset = _visible_dataset(request, slug)
    form = MessageForm(request.POST)
    form.is_valid()
    message = form.cleaned_data.get("message", "") if hasattr(form, "cleaned_data") else ""
    try:
        if action == "publish":
            publish_at = form.cleaned_data.get("publish_at")
            if publish_at is not None and timezone.is_naive(publish_at):
                publish_at = timezone.make_aware(publish_at)
            review.dataset_publish(
                actor=request.user, dataset=dataset, publish_at=publish_at, note=message
            )
        else:
            getattr(review, ACTIONS[action])(actor=request.user, dataset=dataset, message=message)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect(dataset.get_absolute_url())


class LoginView(auth_views.LoginView):
    template_name = "catalog/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "/"
