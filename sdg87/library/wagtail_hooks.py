"""The library's publications in the Wagtail admin, and who owns each model.

- Publication: written only by `sdg87.library.services` (contributors and reviewers, on the
  site: /<lang>/contribute/publications/). Editors find records here by status, type,
  verification and visibility; a correction of the metadata saved here goes through
  `services.publications.publication_update` (registered below as the model's Wagtail edit
  action): the same permission check as the site (a superuser, or an editor of the
  publisher), every problem reported on the form, an audit entry naming the changed fields,
  and a record under review or published back to draft. The editorial state (submit,
  approve, publish ...), the authors and the files change only on the site's pages, where
  the review workflow runs; the admin is not a second editor. Publications are not added or
  deleted here (created with `publication_create`, withdrawn with `publication_unpublish`).
- Versions and audit entries: read-only (written by the services).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.actions import EditAction
from wagtail.actions.registry import ActionRegistry
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from sdg87.core.admin_policies import edit_only_policy, read_only_policy
from sdg87.core.admin_views import ServiceEditView
from sdg87.library.models import Publication, PublicationAuditEntry, PublicationVersion
from sdg87.library.services import publications
from sdg87.orgs.roles import EDIT_ROLES, organisation_ids_with_role

for _model in (PublicationAuditEntry, PublicationVersion):
    register_permission_policy(_model, read_only_policy(_model), exact_class=True)
register_permission_policy(Publication, edit_only_policy(Publication), exact_class=True)

# The fields the admin edits: those the service may change, `verified` last.
ADMIN_FIELDS = publications.EDITABLE_FIELDS


class PublicationEditAction(EditAction):
    """Wagtail's edit action, saving through `publication_update` instead of `form.save()`.
    The validated form has applied the input to `self.instance`; the service compares it
    with the stored row (re-read and locked) and takes the themes and countries from the
    form."""

    instance: Publication

    def _save_instance(self) -> None:
        edited = self.instance
        stored = Publication.objects.get(pk=edited.pk)
        data = {name: getattr(edited, name) for name in ADMIN_FIELDS}
        cleaned = self.form.cleaned_data if self.form is not None else {}
        relations: dict[str, Any] = {}
        if "themes" in cleaned:
            relations["themes"] = [theme.code for theme in cleaned["themes"]]
        if "geographies" in cleaned:
            relations["geographies"] = [g.code for g in cleaned["geographies"]]
        self.instance = publications.publication_update(
            actor=self.user, publication=stored, data=data, **relations
        )


@hooks.register("register_actions")
def register_publication_actions(registry: ActionRegistry) -> None:
    registry.register(Publication, PublicationEditAction)


def _publisher_scope(request: HttpRequest, qs: QuerySet[Any], field: str) -> QuerySet[Any]:
    """A superuser sees every record; anybody else those of their organisations."""
    if request.user.is_superuser:
        return qs
    orgs = organisation_ids_with_role(request.user, EDIT_ROLES)
    return qs.filter(**{f"{field}__in": orgs})


class PublicationIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[Publication]:
        qs = super().get_base_queryset().select_related("publisher")
        return _publisher_scope(self.request, qs, "publisher_id")


class PublicationAuditIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[PublicationAuditEntry]:
        return _publisher_scope(
            self.request, super().get_base_queryset(), "publication__publisher_id"
        )


class PublicationVersionIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[PublicationVersion]:
        return _publisher_scope(
            self.request, super().get_base_queryset(), "publication__publisher_id"
        )


class PublicationViewSet(SnippetViewSet):
    model = Publication
    icon = "doc-full"
    menu_label = _("Publications")
    inspect_view_enabled = True
    index_view_class = PublicationIndexView
    list_display = ["title", "publisher", "resource_type", "status", "live", "verified", "year"]
    list_filter = ["status", "live", "verified", "resource_type", "visibility", "is_bundled"]
    search_fields = ["title", "slug", "abstract", "doi"]
    search_backend_name = None
    edit_view_class = ServiceEditView
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ADMIN_FIELDS[:-1]]
        + [FieldPanel("themes"), FieldPanel("geographies"), FieldPanel("verified")]
    )


class PublicationAuditEntryViewSet(SnippetViewSet):
    model = PublicationAuditEntry
    index_view_class = PublicationAuditIndexView
    icon = "history"
    menu_label = _("Audit log")
    inspect_view_enabled = True
    list_display = [
        "created_at",
        "publication_slug",
        "action",
        "actor",
        "from_status",
        "to_status",
    ]
    list_filter = ["action"]
    search_fields = ["publication_slug", "message"]
    search_backend_name = None


class PublicationVersionViewSet(SnippetViewSet):
    model = PublicationVersion
    index_view_class = PublicationVersionIndexView
    icon = "date"
    menu_label = _("Versions")
    inspect_view_enabled = True
    list_display = ["publication", "number", "created_at", "author"]
    search_fields = ["publication__slug", "note"]
    search_backend_name = None


class LibraryGroup(SnippetViewSetGroup):
    items = (PublicationViewSet, PublicationAuditEntryViewSet, PublicationVersionViewSet)
    menu_icon = "doc-full"
    menu_label = _("Library")
    menu_name = "library"
    menu_order = 256


register_snippet(LibraryGroup)
