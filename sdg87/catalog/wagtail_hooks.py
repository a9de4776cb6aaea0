"""The data directory in the Wagtail admin, and who owns each model.

- Dataset: written only by `sdg87.catalog.services` (contributors and reviewers, ADR 0004).
  Staff correct a dataset's metadata here; the edit goes through
  `services.datasets.dataset_update` (registered below as the model's Wagtail edit action, so
  every Wagtail edit path takes it): the same permission check as the data pages (a superuser,
  or a reviewer of the publisher), the description sanitised, the slug validated, the
  statistics re-synced when visibility, schedule or embargo change, an audit entry naming the
  changed fields, and the data version bumped. A refusal of the service is shown as a form
  error and nothing is saved. The editorial state (submit, approve, publish ...) changes only
  on the dataset pages. Datasets are not added or deleted here: they are created with
  `dataset_create` and withdrawn with `dataset_unpublish`; a deletion would cascade its
  versions with no audit entry.
- A dataset's publisher changes only while the dataset is an unpublished draft without files
  or links (a contributor picked the wrong organisation). Moving a dataset between
  organisations is not supported: statistics imported from its files belong to the publisher
  (source `org-<id>`, series `ORG<id>__...`, ADR 0006) and never move between owners, and its
  published versions name the publisher that harvesters have already seen. The organisation
  publishes it again instead.
- "Superseded by" (a newer edition) is saved by `services.editions.dataset_supersede`, in the
  same transaction as the other fields, with its own audit entry.
- Versions, audit entries and access requests: read-only here (written by the services).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.actions import EditAction
from wagtail.actions.registry import ActionRegistry
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sdg87.catalog.models import AccessRequest, AuditEntry, Dataset, DatasetVersion
from sdg87.catalog.services import datasets, editions
from sdg87.catalog.widgets import LanguageSelect
from sdg87.core.admin_policies import edit_only_policy, read_only_policy
from sdg87.core.admin_views import ServiceEditView

for _model in (AuditEntry, DatasetVersion, AccessRequest):
    register_permission_policy(_model, read_only_policy(_model), exact_class=True)
register_permission_policy(Dataset, edit_only_policy(Dataset), exact_class=True)


class DatasetEditAction(EditAction):
    """Wagtail's edit action, saving through `dataset_update` instead of `form.save()`. The
    validated form has applied the input to `self.instance`; the service compares it with the
    stored row, and takes the relations from the form."""

    instance: Dataset

    def _save_instance(self) -> None:
        edited = self.instance
        stored = Dataset.objects.get(pk=edited.pk)
        data = {name: getattr(edited, name) for name in datasets.EDITABLE_FIELDS}
        relations: dict[str, Any] = {}
        cleaned = self.form.cleaned_data if self.form is not None else {}
        if "themes" in cleaned:
            relations["themes"] = [theme.code for theme in cleaned["themes"]]
        if "keywords" in cleaned:
            relations["keywords"] = list(cleaned["keywords"])
        with transaction.atomic():
            self.instance = datasets.dataset_update(
                actor=self.user,
                dataset=stored,
                data=data,
                publisher=edited.publisher,
                **relations,
            )
            if edited.superseded_by_id != stored.superseded_by_id:
                self.instance = editions.dataset_supersede(
                    actor=self.user, dataset=self.instance, superseded_by=edited.superseded_by
                )


@hooks.register("register_actions")
def register_dataset_actions(registry: ActionRegistry) -> None:
    registry.register(Dataset, DatasetEditAction)


class DatasetViewSet(SnippetViewSet):
    model = Dataset
    icon = "table"
    menu_label = _("Datasets")
    inspect_view_enabled = True
    list_display = ["title", "publisher", "status", "live", "visibility", "last_modified"]
    list_filter = ["status", "live", "visibility", "licence", "frequency", "is_bundled"]
    search_fields = ["title", "slug", "description"]
    search_backend_name = None
    edit_view_class = ServiceEditView
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("publisher"),
            FieldPanel("description"),
            FieldPanel("contact_name"),
            FieldPanel("contact_email"),
            FieldPanel("licence"),
            FieldPanel("themes"),
            FieldPanel("keywords"),
            FieldPanel("frequency"),
            FieldPanel("superseded_by"),
            FieldPanel("language", widget=LanguageSelect),
            FieldPanel("identifier"),
            FieldPanel("temporal_start"),
            FieldPanel("temporal_end"),
            FieldPanel("related_publications"),
            FieldPanel("visibility"),
            FieldPanel("publish_at"),
            FieldPanel("embargo_until"),
        ]
    )


class AuditEntryViewSet(SnippetViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    inspect_view_enabled = True
    list_display = ["created_at", "dataset_slug", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]
    search_fields = ["dataset_slug", "message"]
    search_backend_name = None


class DatasetVersionViewSet(SnippetViewSet):
    model = DatasetVersion
    icon = "date"
    menu_label = _("Versions")
    inspect_view_enabled = True
    list_display = ["dataset", "number", "created_at", "author"]
    search_fields = ["dataset__slug", "note"]
    search_backend_name = None


class AccessRequestViewSet(SnippetViewSet):
    model = AccessRequest
    icon = "mail"
    menu_label = _("Access requests")
    inspect_view_enabled = True
    list_display = ["created_at", "dataset", "name", "email", "organisation"]
    search_fields = ["email", "name", "organisation"]
    search_backend_name = None


class CatalogGroup(SnippetViewSetGroup):
    items = (DatasetViewSet, AuditEntryViewSet, DatasetVersionViewSet, AccessRequestViewSet)
    menu_icon = "table"
    menu_label = _("Data directory")
    menu_name = "data-directory"
    menu_order = 255


register_snippet(CatalogGroup)
