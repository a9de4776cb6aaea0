"""Geographies in the Wagtail admin: a searchable, read-only snippet listing filtered by kind.

Geography (and its memberships) is *code-owned*: the geography load steps (geo/loaders.py)
write it from the reference tables in data/ (ISO 3166 / UN M49 names in English, French and
Spanish, Gapminder coordinates, the aggregates' member lists), and the admin can list and
inspect it but never add, edit or delete. Why: codes are the keys of URLs, API filters and
every observation; names, memberships and M49 codes are reference data whose source is cited
in data/PROVENANCE.md; a hand edit would be overwritten by the next load or, kept, would make
the platform disagree with its cited source without a trace. A correction goes into the data
file with its provenance, reviewed like code.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sdg87.core.admin_policies import read_only_policy
from sdg87.geo.models import Geography

register_permission_policy(Geography, read_only_policy(Geography), exact_class=True)


class GeographyViewSet(SnippetViewSet):
    model = Geography
    icon = "site"
    menu_label = _("Geographies")
    menu_order = 300
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = ["name_en", "code", "kind", "iso3", "m49"]
    list_filter = ["kind", "is_independent"]
    list_per_page = 50
    ordering = ["kind", "name_en"]
    # Plain ORM search: geographies are not in the site search index.
    search_fields = ["name_en", "name_fr", "name_es", "code", "iso3", "m49"]
    search_backend_name = None


register_snippet(GeographyViewSet)
