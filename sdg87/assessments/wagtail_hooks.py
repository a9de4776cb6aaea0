"""Government country assessments in the Wagtail admin: read-only listings, filterable by
country, report year and edition.

Every model here is *code-owned*: records only change through a data load
(sdg87.assessments.services), never by hand: what is shown is what the US government
published, so editors can look but not edit. Their editions are indicators.Release rows
(source and release texts are editor-owned there, see sdg87/indicators/wagtail_hooks.py).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sdg87.assessments.models import (
    CountryAssessment,
    FindingValue,
    GoodListing,
    SuggestedAction,
    TierPlacement,
)
from sdg87.core.admin_policies import read_only_policy
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Release

for _model in (CountryAssessment, FindingValue, SuggestedAction, GoodListing, TierPlacement):
    register_permission_policy(_model, read_only_policy(_model), exact_class=True)


def _countries(request: Any) -> models.QuerySet[Geography]:
    return Geography.objects.filter(kind=GeographyKind.COUNTRY).order_by("name_en")


def _filterset(
    model: type[models.Model], fields: list[str], *, release_related_name: str = ""
) -> type[WagtailFilterSet]:
    """A filter set whose country (and edition) choices are limited to sensible rows."""
    attrs: dict[str, Any] = {
        "country": django_filters.ModelChoiceFilter(queryset=_countries, label=_("Country")),
    }
    if release_related_name:

        def editions(request: Any) -> models.QuerySet[Release]:
            lookup = {f"{release_related_name}__isnull": False}
            return Release.objects.filter(**lookup).distinct()

        attrs["release"] = django_filters.ModelChoiceFilter(queryset=editions, label=_("Edition"))
        fields = ["release", *fields]
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": ["country", *fields]})
    return type(f"{model.__name__}FilterSet", (WagtailFilterSet,), attrs)


class _ReadOnlyViewSet(SnippetViewSet):
    inspect_view_enabled = True
    list_per_page = 50
    search_backend_name = None  # plain ORM search: these rows are not in the site index
    add_to_admin_menu = False


class CountryAssessmentViewSet(_ReadOnlyViewSet):
    model = CountryAssessment
    icon = "doc-full-inverse"
    menu_label = _("DOL Findings: assessments")
    list_display = ["country", "report_year", "advancement_level", "automatic_downgrade", "release"]
    filterset_class = _filterset(
        CountryAssessment,
        ["report_year", "advancement_level"],
        release_related_name="dol_assessments",
    )
    search_fields = ["source_name", "description"]
    ordering = ["country__name_en", "-report_year"]

    def get_queryset(self, request: Any) -> Any:
        return CountryAssessment.objects.select_related("country", "release")


class FindingValueViewSet(_ReadOnlyViewSet):
    model = FindingValue
    icon = "table"
    menu_label = _("DOL Findings: profile values")
    list_per_page = 100
    list_display = ["country", "report_year", "section", "field_path", "territory", "value_text"]
    filterset_class = _filterset(
        FindingValue, ["report_year", "section"], release_related_name="dol_finding_values"
    )
    search_fields = ["field_path", "value_text", "territory"]
    ordering = ["country__name_en", "-report_year", "section", "id"]

    def get_queryset(self, request: Any) -> Any:
        return FindingValue.objects.select_related("country")


class SuggestedActionViewSet(_ReadOnlyViewSet):
    model = SuggestedAction
    icon = "tasks"
    menu_label = _("DOL Findings: suggested actions")
    list_display = ["country", "report_year", "area", "order", "action"]
    filterset_class = _filterset(
        SuggestedAction, ["report_year", "area"], release_related_name="dol_suggested_actions"
    )
    search_fields = ["action"]
    ordering = ["country__name_en", "-report_year", "order"]

    def get_queryset(self, request: Any) -> Any:
        return SuggestedAction.objects.select_related("country")


class GoodListingViewSet(_ReadOnlyViewSet):
    model = GoodListing
    icon = "list-ul"
    menu_label = _("DOL List of Goods")
    list_display = [
        "good",
        "country",
        "sector",
        "child_labor",
        "forced_labor",
        "forced_child_labor",
        "derived_labor_exploitation",
        "source_file",
    ]
    filterset_class = _filterset(
        GoodListing, ["sector", "child_labor", "forced_labor"], release_related_name="dol_goods"
    )
    search_fields = ["good", "source_name"]
    ordering = ["good", "country__name_en"]

    def get_queryset(self, request: Any) -> Any:
        return GoodListing.objects.select_related("country", "release", "derived_country")


class TierPlacementViewSet(_ReadOnlyViewSet):
    model = TierPlacement
    icon = "pick"
    menu_label = _("US TIP report tiers")
    list_display = ["country", "year", "tier"]
    filterset_class = _filterset(TierPlacement, ["year", "tier"])
    search_fields = ["source_name"]
    ordering = ["country__name_en", "year"]

    def get_queryset(self, request: Any) -> Any:
        return TierPlacement.objects.select_related("country")


class AssessmentsViewSetGroup(SnippetViewSetGroup):
    items = (
        CountryAssessmentViewSet,
        FindingValueViewSet,
        SuggestedActionViewSet,
        GoodListingViewSet,
        TierPlacementViewSet,
    )
    menu_icon = "doc-full-inverse"
    menu_label = _("Country assessments")
    menu_name = "country-assessments"
    menu_order = 260


register_snippet(AssessmentsViewSetGroup)
