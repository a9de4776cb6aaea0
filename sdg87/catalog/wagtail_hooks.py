"""The data directory in the Wagtail admin.

Datasets are snippets whose *metadata* staff can correct; their editorial state (submit,
approve, publish ...) changes only through sdg87.catalog.services, from the dataset pages or
the Django admin actions (see docs/adr/0004-dataset-review-workflow.md). Versions, audit
entries and access requests are read-only here.
"""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sdg87.catalog.models import AccessRequest, AuditAction, AuditEntry, Dataset, DatasetVersion
from sdg87.catalog.services.audit import audit_record
from sdg87.catalog.services.observations import dataset_statistics_sync
from sdg87.catalog.validators import validate_dataset_slug
from sdg87.core.actors import Actor
from sdg87.core.html import sanitise_html


class ReadOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)


for _model in (AuditEntry, DatasetVersion, AccessRequest):
    register_permission_policy(_model, ReadOnlyPolicy(_model), exact_class=True)


class DatasetPolicy(ModelPermissionPolicy):
    """Staff correct metadata here (sanitised, audited by the hook below); datasets are
    created (dataset_create) and withdrawn (dataset_unpublish) only through the services:
    a deletion here would cascade its versions with no audit entry."""

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action not in {"add", "delete"} and super().user_has_permission(user, action)


register_permission_policy(Dataset, DatasetPolicy(Dataset), exact_class=True)


class DatasetAdminForm(WagtailAdminModelForm):
    def clean_description(self) -> str:
        return sanitise_html(self.cleaned_data.get("description", ""))

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data.get("slug", ""))
        validate_dataset_slug(slug)  # a name without a letter would read as an id (CKAN)
        return slug


class DatasetViewSet(SnippetViewSet):
    model = Dataset
    icon = "table"
    menu_label = _("Datasets")
    inspect_view_enabled = True
    list_display = ["title", "publisher", "status", "live", "visibility", "last_modified"]
    list_filter = ["status", "live", "visibility", "licence", "frequency", "is_bundled"]
    search_fields = ["title", "slug", "description"]
    search_backend_name = None
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
            FieldPanel("language"),
            FieldPanel("identifier"),
            FieldPanel("temporal_start"),
            FieldPanel("temporal_end"),
            FieldPanel("related_publications"),
            FieldPanel("visibility"),
            FieldPanel("publish_at"),
            FieldPanel("embargo_until"),
        ],
        base_form_class=DatasetAdminForm,
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


@hooks.register("after_edit_snippet")
def audit_admin_edit(request: HttpRequest, instance: models.Model) -> None:
    if isinstance(instance, Dataset):
        # visibility, schedule and embargo can be edited here: the statistics follow at once
        dataset_statistics_sync(dataset=instance)
        audit_record(dataset=instance, actor=request.user, action=AuditAction.EDIT, message="admin")
