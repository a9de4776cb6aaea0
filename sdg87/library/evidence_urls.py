"""The evidence map pages: /<lang>/evidence/, /<lang>/evidence/cell/, /<lang>/evidence/methodology/.

Included once inside config/urls.py's i18n_patterns, before Wagtail's catch-all:
`path("", include("sdg87.library.evidence_urls"))` (namespace `evidence`).
"""

from django.urls import URLPattern, URLResolver, path

from sdg87.library import evidence_views

app_name = "evidence"

urlpatterns: list[URLPattern | URLResolver] = [
    path("evidence/", evidence_views.evidence_map, name="map"),
    path("evidence/cell/", evidence_views.evidence_cell, name="cell"),
    path("evidence/methodology/", evidence_views.evidence_methodology, name="methodology"),
]
