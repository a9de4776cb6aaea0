"""Machine interfaces of the catalog, outside the language prefix: CKAN Action API and DCAT."""

from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from sdg87.catalog import dcat_views
from sdg87.catalog.ckan.views import action_view

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/3/action/<str:name>", action_view, name="ckan_action_v3"),
    path("api/action/<str:name>", action_view, name="ckan_action"),
    path("catalog.jsonld", dcat_views.catalog, {"fmt": "json-ld"}, name="dcat_catalog_jsonld"),
    path("catalog.ttl", dcat_views.catalog, {"fmt": "turtle"}, name="dcat_catalog_ttl"),
    path("catalog.rdf", dcat_views.catalog, {"fmt": "xml"}, name="dcat_catalog_rdf"),
    path(
        "dataset/<slug:slug>.jsonld",
        dcat_views.dataset,
        {"fmt": "json-ld"},
        name="dcat_dataset_jsonld",
    ),
    path("dataset/<slug:slug>.ttl", dcat_views.dataset, {"fmt": "turtle"}, name="dcat_dataset_ttl"),
    path("dataset/<slug:slug>.rdf", dcat_views.dataset, {"fmt": "xml"}, name="dcat_dataset_rdf"),
    path(
        "dataset/<slug:slug>/datapackage.json", dcat_views.datapackage, name="dataset_datapackage"
    ),
    # The resource URIs used in DCAT (as ckanext-dcat does) resolve to the human pages.
    path("dataset/<slug:slug>", RedirectView.as_view(pattern_name="catalog:dataset_detail")),
    path(
        "dataset/<slug:slug>/resource/<int:pk>",
        RedirectView.as_view(pattern_name="catalog:distribution_detail"),
    ),
    path(
        "organization/<slug:slug>",
        RedirectView.as_view(pattern_name="catalog:organisation_detail"),
    ),
    path("group/<str:code>", dcat_views.group_redirect),
]
