"""DCAT-AP catalog and dataset documents, and datapackage.json, at ckanext-dcat's URLs."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sdg87.catalog import dcat, permissions, selectors
from sdg87.catalog.ckan.serializers import resource_url
from sdg87.catalog.datapackage import datapackage_descriptor
from sdg87.catalog.models import Dataset

PAGE_SIZE = 100
MAX_PAGE = 10_000_000  # beyond it the OFFSET would overflow the database's integer: a 500


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _views(request: HttpRequest, dataset: Dataset) -> list[dcat.DistributionView]:
    base = _base(request)
    landing = base + dataset.get_absolute_url()
    data_allowed = permissions.can_view_data(request.user, dataset)
    return [
        dcat.DistributionView(
            distribution=d,
            download_url=resource_url(d, base_url=base) if data_allowed else None,
            access_url=resource_url(d, base_url=base) if data_allowed else landing,
        )
        for d in selectors.distribution_list(user=request.user, dataset=dataset)
    ]


def _rdf_response(body: str, fmt: str) -> HttpResponse:
    return HttpResponse(body, content_type=f"{dcat.FORMATS[fmt]}; charset=utf-8")


@require_GET
def catalog(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    if not 1 <= page <= MAX_PAGE:
        message = _("page must be an integer from 1 to %(max)s") % {"max": MAX_PAGE}
        return JsonResponse(
            {"error": {"code": "invalid_parameter", "message": message, "parameter": "page"}},
            status=400,
        )
    qs = (
        selectors.dataset_visible_queryset(user=request.user)
        .filter(live=True)
        .select_related("publisher")
        .prefetch_related("themes", "spatial", "keywords")  # type: ignore[misc]
        .order_by("-last_modified", "-id")
    )
    total = qs.count()
    base = _base(request)
    entries = [
        (d, _views(request, d), base + d.get_absolute_url())
        for d in qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    graph = dcat.catalog_graph(
        base_url=base,
        title=settings.WAGTAIL_SITE_NAME,
        entries=entries,
        page=page,
        page_size=PAGE_SIZE,
        total=total,
    )
    return _rdf_response(dcat.serialise(graph, fmt), fmt)


def _dataset_or_404(request: HttpRequest, slug: str) -> Dataset:
    dataset = selectors.dataset_get(user=request.user, slug=slug)
    if dataset is None:
        raise Http404("No such dataset")
    return dataset


@require_GET
def dataset(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    ds = _dataset_or_404(request, slug)
    graph = dcat.dataset_graph(
        base_url=_base(request),
        dataset=ds,
        distributions=_views(request, ds),
        landing_page=_base(request) + ds.get_absolute_url(),
    )
    return _rdf_response(dcat.serialise(graph, fmt), fmt)


@require_GET
def datapackage(request: HttpRequest, slug: str) -> JsonResponse:
    ds = _dataset_or_404(request, slug)
    descriptor: dict[str, Any] = datapackage_descriptor(
        dataset=ds,
        distributions=_views(request, ds),
        landing_page=_base(request) + ds.get_absolute_url(),
    )
    return JsonResponse(descriptor, json_dumps_params={"indent": 2})


def group_redirect(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """A theme's URI (a CKAN group) leads to the listing filtered by that theme."""
    return HttpResponseRedirect(reverse("catalog:dataset_list") + "?" + urlencode({"theme": code}))
