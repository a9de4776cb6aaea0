"""Geographies in the Wagtail admin: a searchable snippet listing filtered by kind."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sdg87.geo.models import Geography


class GeographyViewSet(SnippetViewSet):
    model = Geography
    icon = "site"
    menu_label = _("Geographies")
    menu_order = 300
    add_to_admin_menu = False
    list_display = ["name_en", "code", "kind", "iso3", "m49"]
    list_filter = ["kind", "is_independent"]
    list_per_page = 50
    ordering = ["kind", "name_en"]
    # Plain ORM search: geographies are not in the site search index.
    search_fields = ["name_en", "name_fr", "name_es", "code", "iso3", "m49"]
    search_backend_name = None


register_snippet(GeographyViewSet)
