"""Statistics metadata in the Wagtail admin, and who owns each model.

- Indicator, Series, Source, Release: *editor-owned texts on code-owned keys*. The bundled
  loaders (and contributor uploads) create them and own their codes, links and the fields
  that change the figures (a series' unit, dimensions, target year, decimals; a release's
  provenance, checksum and source). Editors correct the wording, translations, licences,
  citations and a release's year, date and visibility (`Model.EDITOR_FIELDS`). An edit goes
  through `services.<model>_update` (registered below as the model's Wagtail edit action, so
  every Wagtail edit path takes it): the changed fields are remembered in `edited_fields` and
  later data loads never overwrite them; every edit bumps the data version, so cached API
  answers and pages change at once; a release's year, date or visibility recomputes
  `Observation.is_latest` for its series (ADR 0005). A release imported from a dataset's file
  keeps the dataset's visibility (ADR 0006): retract the file in the data directory instead.
  Nothing is added or deleted here: rows without the loader that owns their code would be
  orphans, and observations protect what they point at.
- Observation: code-owned, a read-only, filterable listing: values only change through a data
  load or an upload (services.observations_import), never by hand, so every number keeps the
  file it came from.

Why not all code-owned: the texts are what editors are there for (translations, a corrected
licence or citation) and a reload must not undo their work. Why not all editor-owned: codes
are the stable keys of URLs, API filters and the loaders, and the figure-changing fields must
stay reproducible from `data/` and its PROVENANCE.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.actions import EditAction
from wagtail.actions.registry import ActionRegistry
from wagtail.admin.panels import FieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sdg87.core.admin_policies import edit_only_policy, read_only_policy
from sdg87.core.admin_views import ServiceEditView
from sdg87.core.editor_owned import EditorOwnedMixin
from sdg87.indicators import services
from sdg87.indicators.models import (
    Indicator,
    Observation,
    Release,
    Series,
    Source,
)

register_permission_policy(Observation, read_only_policy(Observation), exact_class=True)
for _model in (Indicator, Series, Source, Release):
    register_permission_policy(_model, edit_only_policy(_model), exact_class=True)


class _ServiceEditAction(EditAction):
    """Wagtail's edit action, saving through the model's update service instead of
    `form.save()`. The validated form has applied the input to `self.instance`; the service
    compares it with the stored row."""

    instance: Any

    def _save_instance(self) -> None:
        names = type(self.instance).EDITOR_FIELDS
        changes = {name: getattr(self.instance, name) for name in names}
        self.instance = self.update(self.instance, changes)

    def update(self, instance: Any, changes: Mapping[str, Any]) -> EditorOwnedMixin:
        raise NotImplementedError


class IndicatorEditAction(_ServiceEditAction):
    def update(self, instance: Indicator, changes: Mapping[str, Any]) -> Indicator:
        return services.indicator_update(indicator=instance, changes=changes)


class SeriesEditAction(_ServiceEditAction):
    def update(self, instance: Series, changes: Mapping[str, Any]) -> Series:
        return services.series_update(series=instance, changes=changes)


class SourceEditAction(_ServiceEditAction):
    def update(self, instance: Source, changes: Mapping[str, Any]) -> Source:
        return services.source_update(source=instance, changes=changes)


class ReleaseEditAction(_ServiceEditAction):
    def update(self, instance: Release, changes: Mapping[str, Any]) -> Release:
        return services.release_update(release=instance, changes=changes)


@hooks.register("register_actions")
def register_edit_actions(registry: ActionRegistry) -> None:
    registry.register(Indicator, IndicatorEditAction)
    registry.register(Series, SeriesEditAction)
    registry.register(Source, SourceEditAction)
    registry.register(Release, ReleaseEditAction)


def _read_only(*names: str) -> list[FieldPanel]:
    return [FieldPanel(name, read_only=True) for name in names]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    menu_label = _("Indicators")
    list_display = ["code", "name", "is_sdg", "custodians"]
    list_filter = ["is_sdg", "goal"]
    search_fields = ["code", "name", "custodians"]
    search_backend_name = None
    ordering = ["sort_order", "code"]
    edit_view_class = ServiceEditView
    panels = [
        *_read_only("code", "is_sdg", "goal", "target"),
        *[FieldPanel(name) for name in Indicator.EDITOR_FIELDS],
    ]


class SeriesViewSet(SnippetViewSet):
    model = Series
    icon = "list-ul"
    menu_label = _("Series")
    list_display = ["code", "name", "indicator", "unit", "target_year"]
    list_filter = ["indicator", "unit"]
    search_fields = ["code", "name", "description"]
    search_backend_name = None
    ordering = ["sort_order", "code"]
    edit_view_class = ServiceEditView
    panels = [
        *_read_only("code", "indicator", "owner", "unit"),
        *[FieldPanel(name) for name in Series.EDITOR_FIELDS],
        *_read_only("dimensions", "target_year", "decimals"),
    ]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = _("Sources")
    list_display = ["title", "code", "publisher", "licence"]
    search_fields = ["title", "code", "publisher"]
    search_backend_name = None
    edit_view_class = ServiceEditView
    panels = [*_read_only("code"), *[FieldPanel(name) for name in Source.EDITOR_FIELDS]]


class ReleaseViewSet(SnippetViewSet):
    model = Release
    icon = "date"
    menu_label = _("Releases")
    list_display = ["title", "code", "source", "year", "is_public"]
    list_filter = ["source", "year", "is_public"]
    search_fields = ["title", "code", "citation"]
    search_backend_name = None
    edit_view_class = ServiceEditView
    panels = [
        *_read_only("code", "source"),
        *[FieldPanel(name) for name in Release.EDITOR_FIELDS],
        *_read_only("retracted_at", "provenance", "file_sha256", "loaded_at"),
    ]


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
