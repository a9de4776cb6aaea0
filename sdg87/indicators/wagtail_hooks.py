"""Statistics metadata in the Wagtail admin.

Indicators, series, sources and releases are editable snippets (editors fix wording, add
translations, licences and citations). Observations are a read-only, filterable listing: values
only change through a data load (services.observations_import), never by hand.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sdg87.indicators.models import Indicator, Observation, Release, Series, Source

READ_ONLY_ACTIONS = {"view"}


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Allows only viewing, whatever the user's permissions (superusers included)."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action in READ_ONLY_ACTIONS and super().user_has_permission(user, action)


register_permission_policy(Observation, ReadOnlyPermissionPolicy(Observation), exact_class=True)


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    menu_label = _("Indicators")
    list_display = ["code", "name", "is_sdg", "custodians"]
    list_filter = ["is_sdg", "goal"]
    search_fields = ["code", "name", "custodians"]
    search_backend_name = None
    ordering = ["sort_order", "code"]


class SeriesViewSet(SnippetViewSet):
    model = Series
    icon = "list-ul"
    menu_label = _("Series")
    list_display = ["code", "name", "indicator", "unit", "target_year"]
    list_filter = ["indicator", "unit"]
    search_fields = ["code", "name", "description"]
    search_backend_name = None
    ordering = ["sort_order", "code"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = _("Sources")
    list_display = ["title", "code", "publisher", "licence"]
    search_fields = ["title", "code", "publisher"]
    search_backend_name = None


class ReleaseViewSet(SnippetViewSet):
    model = Release
    icon = "date"
    menu_label = _("Releases")
    list_display = ["title", "code", "source", "year"]
    list_filter = ["source", "year"]
    search_fields = ["title", "code", "citation"]
    search_backend_name = None


class ObservationViewSet(SnippetViewSet):
    model = Observation
    icon = "view"
    menu_label = _("Observations")
    inspect_view_enabled = True
    list_display = ["series", "geography", "year", "sex", "age", "value", "unit", "release"]
    list_filter = ["series", "release", "year", "sex", "age", "nature"]
    list_per_page = 100
    ordering = ["series__code", "geography__code", "year"]
    # Plain ORM search on codes: observations are not in the site search index.
    search_fields = ["series__code", "geography__code", "geography__name_en"]
    search_backend_name = None

    def get_queryset(self, request: Any) -> Any:
        return Observation.all_objects.select_related("series", "geography", "release")


class StatisticsViewSetGroup(SnippetViewSetGroup):
    items = (IndicatorViewSet, SeriesViewSet, SourceViewSet, ReleaseViewSet, ObservationViewSet)
    menu_icon = "table"
    menu_label = _("Statistics")
    menu_name = "statistics"
    menu_order = 250


register_snippet(StatisticsViewSetGroup)
