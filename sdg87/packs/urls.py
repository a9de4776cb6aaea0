"""Due-diligence packs under /<lang>/supply-chains/packs/<good-slug>/<iso3>/ (namespace packs).

The good slug is `django.utils.text.slugify` of the good as DOL writes it ("cocoa").
"""

from django.urls import URLPattern, URLResolver, path

from sdg87.packs import views

app_name = "packs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("supply-chains/packs/<slug:good>/<str:iso3>/", views.pack_detail, name="detail"),
    path("supply-chains/packs/<slug:good>/<str:iso3>/pack.pdf", views.pack_pdf, name="pdf"),
    path(
        "supply-chains/packs/<slug:good>/<str:iso3>/datapackage.zip",
        views.pack_datapackage,
        name="datapackage",
    ),
    path(
        "supply-chains/packs/<slug:good>/<str:iso3>/pack.jsonld",
        views.pack_jsonld_view,
        name="jsonld",
    ),
]
