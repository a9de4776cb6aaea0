"""Organisations and memberships (who holds which role where) in the Wagtail admin.

Who owns what:
- Organisation: the bundled list (data/alliance87/organisations.csv and the publishers of the
  bundled statistics, loaded by `organisation_upsert`) and site admins. Site admins add and
  correct organisations here through `sdg87.orgs.services` (`organisation_create`,
  `organisation_update`, registered below as the model's Wagtail create and edit actions): the
  description is sanitised, the row validated, and the data version bumped on commit, since
  organisation names appear in cached API answers and pages. A refusal of the service is a form
  error. The slug of an existing organisation is shown but not editable: it is the key by which
  the loader finds the organisation again, and its URL. The fields an admin changed are
  remembered (`edited_fields`, core.editor_owned): a later load of the bundled list keeps them.
  Organisations are never deleted here: a deletion would take their memberships with it,
  unaudited, and their datasets and statistics point at them.
- Membership: changed only through sdg87.orgs.services (membership_set, membership_remove),
  which audit every change. The admin's create, edit, delete and bulk-delete views are wired
  to those services through Wagtail's action classes below; on an existing membership only
  the role can be changed (a different person or organisation is a new membership).
- MembershipAuditEntry: read-only.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.actions import CreateAction, DeleteAction, EditAction
from wagtail.actions.registry import ActionRegistry
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sdg87.core.actors import Actor
from sdg87.core.admin_policies import ActionsPermissionPolicy, read_only_policy
from sdg87.core.admin_views import ServiceEditView
from sdg87.orgs.models import Membership, MembershipAuditEntry, Organisation
from sdg87.orgs.permissions import can_see_account_requests
from sdg87.orgs.services import (
    membership_remove,
    membership_set,
    organisation_create,
    organisation_update,
)

# --- organisations: every change through the services -------------------------------------


class OrganisationForm(WagtailAdminModelForm):
    """The slug of an existing organisation is shown but not submitted (a disabled field keeps
    its stored value)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "slug" in self.fields:
            self.fields["slug"].disabled = True


def _organisation_values(organisation: Organisation) -> dict[str, object]:
    return {name: getattr(organisation, name) for name in Organisation.EDITOR_FIELDS}


class OrganisationCreateAction(CreateAction):
    instance: Organisation

    def _save_instance(self) -> None:
        new = self.instance
        self.instance = organisation_create(slug=new.slug, values=_organisation_values(new))


class OrganisationEditAction(EditAction):
    """The validated form has applied the input to `self.instance`; the service compares it
    with the stored row."""

    instance: Organisation

    def _save_instance(self) -> None:
        edited = self.instance
        self.instance = organisation_update(
            organisation=edited, changes=_organisation_values(edited)
        )


@hooks.register("register_actions")
def register_organisation_actions(registry: ActionRegistry) -> None:
    registry.register(Organisation, OrganisationCreateAction)
    registry.register(Organisation, OrganisationEditAction)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "acronym", "type", "country"]
    list_filter = ["type"]
    search_fields = ["name", "acronym", "slug"]
    search_backend_name = None
    edit_view_class = ServiceEditView
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("acronym"),
            FieldPanel("slug"),
            FieldPanel("type"),
            FieldPanel("country"),
            FieldPanel("website"),
            FieldPanel("logo"),
            FieldPanel("description"),
            FieldPanel("alliance87_role"),
            FieldPanel("alliance87_role_evidence"),
            FieldPanel("source_url"),
        ],
        base_form_class=OrganisationForm,
    )


# --- memberships: every change through the services ---------------------------------------


class MembershipForm(WagtailAdminModelForm):
    """On an existing membership only the role can change: the person and the organisation
    are shown but not submitted (a disabled field keeps its stored value)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("user", "organisation"):
                if name in self.fields:
                    self.fields[name].disabled = True


class MembershipCreateAction(CreateAction):
    instance: Membership

    def _save_instance(self) -> None:
        new = self.instance
        self.instance = membership_set(
            user=new.user, organisation=new.organisation, role=new.role, actor=self.user
        )


class MembershipEditAction(EditAction):
    instance: Membership

    def _save_instance(self) -> None:
        edited = self.instance
        self.instance = membership_set(
            user=edited.user, organisation=edited.organisation, role=edited.role, actor=self.user
        )


class MembershipDeleteAction(DeleteAction):
    instance: Membership

    def _delete(self) -> None:
        if self.log_action:
            log(instance=self.instance, action=self.log_action, user=self.user, deleted=True)
        membership_remove(
            user=self.instance.user, organisation=self.instance.organisation, actor=self.user
        )


@hooks.register("register_actions")
def register_membership_actions(registry: ActionRegistry) -> None:
    for action_class in (MembershipCreateAction, MembershipEditAction, MembershipDeleteAction):
        registry.register(Membership, action_class)


class MembershipDeleteBulkAction(DeleteBulkAction):
    """The listing's "Delete selected" removes each membership through the service (Wagtail's
    own bulk delete is one queryset delete, with no audit)."""

    models = [Membership]

    @classmethod
    def execute_action(
        cls, objects: Any, user: Actor | None = None, **kwargs: Any
    ) -> tuple[int, int]:
        actor = kwargs["self"].request.user
        for membership in objects:
            MembershipDeleteAction(membership, user=actor).execute(skip_permission_checks=True)
        return len(objects), 0


# Registered after Wagtail's snippet bulk delete (order 0) so that it replaces it for Membership.
hooks.register("register_bulk_action", MembershipDeleteBulkAction, order=100)


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships and roles")
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("organisation"), FieldPanel("role")],
        base_form_class=MembershipForm,
    )


register_permission_policy(
    MembershipAuditEntry, read_only_policy(MembershipAuditEntry), exact_class=True
)
register_permission_policy(
    Organisation,
    ActionsPermissionPolicy(Organisation, actions={"view", "add", "change"}),
    exact_class=True,
)


class MembershipAuditEntryViewSet(SnippetViewSet):
    model = MembershipAuditEntry
    icon = "history"
    menu_label = _("Membership changes")
    inspect_view_enabled = True
    list_display = [
        "created_at",
        "organisation_slug",
        "username",
        "action",
        "from_role",
        "to_role",
        "actor",
    ]
    list_filter = ["action"]
    search_fields = ["organisation_slug", "username"]
    search_backend_name = None


class OrganisationsGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, MembershipViewSet, MembershipAuditEntryViewSet)
    menu_icon = "group"
    menu_label = _("Organisations")
    menu_name = "organisations"
    menu_order = 260


register_snippet(OrganisationsGroup)


# --- publisher account requests: decided on the site's own pages ------------------------------


class AccountRequestsMenuItem(MenuItem):
    """A link to the queue of account requests, for the people who decide them."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_see_account_requests(request.user)


@hooks.register("register_admin_menu_item")
def account_requests_menu_item() -> MenuItem:
    return AccountRequestsMenuItem(
        _("Account requests"),
        reverse_lazy("accounts:request_list"),
        name="account-requests",
        icon_name="user",
        order=270,
    )
