"""Library pages under /<lang>/ (included once in config/urls.py's i18n_patterns, before the
catalog's URLs so that /<lang>/datasets/feed/ is not read as a dataset named "feed")."""

from django.urls import URLPattern, URLResolver, path

from sdg87.library import feeds, views

app_name = "library"

urlpatterns: list[URLPattern | URLResolver] = [
    path("library/", views.library_list, name="publication_list"),
    path("library/feed/", feeds.PublicationFeed(), name="publication_feed"),
    path("datasets/feed/", feeds.DatasetFeed(), name="dataset_feed"),
    path("datasets/export/", views.dataset_list_export, name="dataset_export"),
    path("library/<slug:slug>/", views.publication_detail, name="publication_detail"),
    path("library/<slug:slug>/history/", views.publication_history, name="publication_history"),
]
