"""Contributing and reviewing publications (under /<lang>/), and the files of publications.
Included by config/urls.py inside i18n_patterns."""

from django.urls import URLPattern, URLResolver, path

from sdg87.library import contribute_views as views

app_name = "library_contribute"

urlpatterns: list[URLPattern | URLResolver] = [
    path("contribute/publications/", views.my_publications, name="my_publications"),
    path("contribute/publications/new/", views.publication_new, name="publication_new"),
    path(
        "contribute/publications/<slug:slug>/",
        views.publication_manage,
        name="publication_manage",
    ),
    path(
        "contribute/publications/<slug:slug>/edit/",
        views.publication_edit,
        name="publication_edit",
    ),
    path(
        "contribute/publications/<slug:slug>/files/",
        views.publication_file_upload,
        name="publication_file_upload",
    ),
    path(
        "contribute/publications/<slug:slug>/files/<int:pk>/remove/",
        views.publication_file_remove,
        name="publication_file_remove",
    ),
    path(
        "contribute/publications/<slug:slug>/action/<str:action>/",
        views.publication_action,
        name="publication_action",
    ),
    path(
        "publication-files/<int:pk>/",
        views.publication_file_download,
        name="publication_file_download",
    ),
]
