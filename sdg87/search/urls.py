"""Search pages under /<lang>/ (included once in config/urls.py's i18n_patterns)."""

from django.urls import URLPattern, URLResolver, path

from sdg87.search import views

app_name = "search"

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.results, name="results"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("search/opensearch.xml", views.opensearch, name="opensearch"),
]
