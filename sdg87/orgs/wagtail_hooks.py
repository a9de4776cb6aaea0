"""Organisations and memberships (who holds which role where) in the Wagtail admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sdg87.orgs.html import sanitise_html
from sdg87.orgs.models import Membership, Organisation


class OrganisationForm(WagtailAdminModelForm):
    """Descriptions typed in the admin are sanitised like those written by services."""

    def clean_description(self) -> str:
        return sanitise_html(self.cleaned_data.get("description", ""))


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "acronym", "type", "country"]
    list_filter = ["type"]
    search_fields = ["name", "acronym", "slug"]
    search_backend_name = None
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


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships and roles")
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    search_backend_name = None
    panels = [FieldPanel("user"), FieldPanel("organisation"), FieldPanel("role")]


class OrganisationsGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, MembershipViewSet)
    menu_icon = "group"
    menu_label = _("Organisations")
    menu_name = "organisations"
    menu_order = 260


register_snippet(OrganisationsGroup)
