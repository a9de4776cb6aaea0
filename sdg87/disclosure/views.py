"""Thin views: the disclosure review of a quarantined dataset (its reviewers only) and the
certificate of a release (public with the dataset), as a page and as JSON."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.catalog import permissions
from sdg87.catalog import selectors as catalog_selectors
from sdg87.catalog.models import Dataset
from sdg87.disclosure import selectors, services
from sdg87.disclosure.forms import DeclarationForm, TableDeclarationForm
from sdg87.disclosure.models import DisclosureReview, ReviewMode, ReviewState
from sdg87.disclosure.reading import distribution_header


def _reviewable(request: HttpRequest, slug: str) -> Dataset:
    dataset = catalog_selectors.dataset_get(user=request.user, slug=slug)
    if dataset is None or not permissions.can_release_sensitive(request.user, dataset):
        raise Http404(_("Dataset not found"))
    return dataset


def _mode(request: HttpRequest) -> str:
    asked = request.POST.get("mode") if request.method == "POST" else request.GET.get("mode")
    return ReviewMode.AGGREGATE if asked == ReviewMode.AGGREGATE else ReviewMode.MICRODATA


def _form(request: HttpRequest, dataset: Dataset, mode: str) -> forms.Form:
    sources = dataset.distributions.filter(retired_at__isnull=True, is_valid=True).exclude(file="")
    first = sources.first()
    chosen = request.POST.get("source") if request.method == "POST" else request.GET.get("source")
    source = sources.filter(pk=chosen).first() if chosen and chosen.isdigit() else first
    columns = distribution_header(source) if source is not None else []
    form_class = TableDeclarationForm if mode == ReviewMode.AGGREGATE else DeclarationForm
    return form_class(
        request.POST if request.method == "POST" else None,
        sources=sources,
        columns=columns,
        initial={"source": source},
    )


def _declare(request: HttpRequest, dataset: Dataset, mode: str, data: dict[str, Any]) -> None:
    if mode == ReviewMode.AGGREGATE:
        services.review_declare_table(
            actor=request.user,
            dataset=dataset,
            source=data["source"],
            label_column=data["label_column"],
            count_columns=data["count_columns"],
            min_count=data["min_count"],
        )
        return
    services.review_declare(
        actor=request.user,
        dataset=dataset,
        source=data["source"],
        quasi_identifiers=data["quasi_identifiers"],
        sensitive_attribute=data["sensitive_attribute"],
        k=data["k"],
        l_target=data["l_target"],
        hierarchies=data["hierarchies"],
    )


def review_page(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _reviewable(request, slug)
    mode = _mode(request)
    form = _form(request, dataset, mode)
    if request.method == "POST" and form.is_valid():
        try:
            _declare(request, dataset, mode, form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.info(request, _("Declared. The risk is being computed: reload this page."))
            url = reverse("disclosure:review", kwargs={"slug": dataset.slug})
            return redirect(f"{url}?mode={mode}" if mode == ReviewMode.AGGREGATE else url)
    return render(
        request,
        "disclosure/review.html",
        {
            "dataset": dataset,
            "form": form,
            "reviews": list(selectors.review_list(dataset=dataset)[:20]),
            "computed": ReviewState.COMPUTED,
            "mode": mode,
            "modes": ReviewMode,
        },
    )


@require_POST
def review_pass(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dataset = _reviewable(request, slug)
    review = get_object_or_404(DisclosureReview, pk=pk, dataset=dataset)
    try:
        cert = services.review_pass(
            actor=request.user, review=review, note=request.POST.get("note", "")[:500]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("disclosure:review", slug=dataset.slug)
    messages.success(request, _("Released with its disclosure-control certificate."))
    return redirect(cert.get_absolute_url())


def certificate_page(request: HttpRequest, pk: int) -> HttpResponse:
    cert = selectors.certificate_get(user=request.user, pk=pk)
    if cert is None:
        raise Http404(_("Certificate not found"))
    return render(
        request,
        "disclosure/certificate.html",
        {
            "cert": cert,
            "dataset": cert.dataset,
            "json_url": reverse("disclosure:certificate_json", kwargs={"pk": pk}),
        },
    )


def certificate_json(request: HttpRequest, pk: int) -> JsonResponse:
    cert = selectors.certificate_get(user=request.user, pk=pk)
    if cert is None:
        raise Http404(_("Certificate not found"))
    document = selectors.certificate_document(
        cert,
        dataset_url=request.build_absolute_uri(cert.dataset.get_absolute_url()),
        url=request.build_absolute_uri(),
    )
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
