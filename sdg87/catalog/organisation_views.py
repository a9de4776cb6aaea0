"""Public organisation pages under /<lang>/organisations/: each organisation with the datasets
it publishes in the directory.

They live in catalog, not in sdg87.orgs, because they show catalog data (datasets, their
freshness, counts under the dataset permissions): catalog depends on orgs, never the reverse.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sdg87.catalog import selectors
from sdg87.catalog.freshness import FRESHNESS_LABELS, Freshness
from sdg87.orgs import selectors as org_selectors
from sdg87.orgs.models import OrganisationType


def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    organisations = selectors.organisation_list_with_counts(user=request.user)
    if kind in OrganisationType.values:
        organisations = organisations.filter(type=kind)
    return render(
        request,
        "orgs/organisation_list.html",
        {"organisations": organisations, "types": OrganisationType.choices, "type": kind},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404(_("Organisation not found"))
    datasets = selectors.organisation_datasets(user=request.user, organisation=organisation)
    page = Paginator(datasets, 50).get_page(request.GET.get("page"))
    needs_update = [
        {"dataset": d, "label": FRESHNESS_LABELS[Freshness(d.freshness)]}  # type: ignore[attr-defined]
        for d in selectors.organisation_needs_update(user=request.user, organisation=organisation)
    ]
    rows = [
        {"dataset": d, "label": FRESHNESS_LABELS[Freshness(d.freshness)]}  # type: ignore[attr-defined]
        for d in page.object_list
    ]
    # Superseded editions are listed apart, under their own heading: they are the record of
    # what was published then, not datasets waiting for an update.
    superseded = [r for r in rows if r["label"] == FRESHNESS_LABELS[Freshness.SUPERSEDED]]
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "organisation": organisation,
            "rows": [r for r in rows if r not in superseded],
            "superseded_rows": superseded,
            "page": page,
            "needs_update": needs_update,
        },
    )
