"""Editor pages: the sources of one's organisations, a source with its runs, a run's report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.harvest import selectors, services
from sdg87.harvest.forms import SourceEditForm, SourceForm
from sdg87.harvest.models import EDITABLE_FIELDS, HarvestSource, Outcome
from sdg87.harvest.permissions import harvest_organisation_ids
from sdg87.orgs.models import Organisation


def _organisations(request: HttpRequest) -> QuerySet[Organisation]:
    ids = harvest_organisation_ids(request.user)
    qs = Organisation.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


def source_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = _organisations(request)
    if not organisations.exists():
        raise PermissionDenied(_("Only editors of an organisation can harvest."))
    form = SourceForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = services.harvest_source_create(
                actor=request.user,
                organisation=data["organisation"],
                name=data["name"],
                kind=data["kind"],
                url=data["url"],
                schedule=data["schedule"],
                remote_filter=data["remote_filter"],
                default_licence=data["default_licence"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The source is registered; its first harvest has started."))
            return HttpResponseRedirect(source.get_absolute_url())
    sources = selectors.harvest_source_list(user=request.user).order_by("name", "pk")
    return render(
        request,
        "harvest/source_list.html",
        {"sources": sources, "form": form},
        status=400 if form.errors else 200,
    )


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    source = selectors.harvest_source_get(user=request.user, pk=pk)
    if source is None:
        raise Http404(_("Harvest source not found"))
    return render(
        request,
        "harvest/source_detail.html",
        {
            "source": source,
            "runs": source.runs.all()[:50],
            "history": source.audit_entries.select_related("actor")[:50],
        },
    )


def _managed_source(request: HttpRequest, pk: int) -> Any:
    source = selectors.harvest_source_get(user=request.user, pk=pk)
    if source is None:
        raise Http404(_("Harvest source not found"))
    return source


def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    source = _managed_source(request, pk)
    initial = {field: getattr(source, field) for field in EDITABLE_FIELDS}
    form = SourceEditForm(
        request.POST or None, initial=initial, organisations=_organisations(request)
    )
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in EDITABLE_FIELDS}
        try:
            services.harvest_source_update(actor=request.user, source=source, data=data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The source is saved."))
            return HttpResponseRedirect(source.get_absolute_url())
    return render(
        request,
        "harvest/source_edit.html",
        {"source": source, "form": form},
        status=400 if form.errors else 200,
    )


def _schedule_change(
    request: HttpRequest, pk: int, service: Callable[..., HarvestSource], done: str
) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    source = service(actor=request.user, source=_managed_source(request, pk))
    messages.success(request, done)
    return HttpResponseRedirect(source.get_absolute_url())


@require_POST
def source_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _schedule_change(
        request,
        pk,
        services.harvest_source_pause,
        _("The source is paused: its schedule does not run it."),
    )


@require_POST
def source_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _schedule_change(
        request,
        pk,
        services.harvest_source_resume,
        _("The source is resumed and harvests as you from now on."),
    )


@require_POST
def source_run(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    source = selectors.harvest_source_get(user=request.user, pk=pk)
    if source is None:
        raise Http404(_("Harvest source not found"))
    services.harvest_source_request_run(actor=request.user, source=source)
    messages.success(request, _("The harvest has been started."))
    return HttpResponseRedirect(source.get_absolute_url())


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    run = selectors.harvest_run_get(user=request.user, pk=pk)
    if run is None:
        raise Http404(_("Harvest run not found"))
    outcome = request.GET.get("outcome", "")
    items = run.items.select_related("dataset")
    if outcome in Outcome.values:
        items = items.filter(outcome=outcome)
    return render(
        request,
        "harvest/run_detail.html",
        {"run": run, "items": items[:2000], "outcome": outcome, "outcomes": Outcome.choices},
    )
