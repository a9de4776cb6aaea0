"""Data directory pages under /<lang>/ (datasets, organisations, contributor sign-in)."""

from django.urls import URLPattern, URLResolver, path

from sdg87.catalog import organisation_views, views

app_name = "catalog"

urlpatterns: list[URLPattern | URLResolver] = [
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets/new/", views.dataset_create, name="dataset_create"),
    path("datasets/mine/", views.my_datasets, name="my_datasets"),
    path("datasets/<slug:slug>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<slug:slug>/edit/", views.dataset_edit, name="dataset_edit"),
    path("datasets/<slug:slug>/history/", views.dataset_history, name="dataset_history"),
    path("datasets/<slug:slug>/changes/", views.dataset_changes, name="dataset_changes"),
    path("datasets/<slug:slug>/upload/", views.distribution_upload, name="distribution_upload"),
    path("datasets/<slug:slug>/link/", views.distribution_add_link, name="distribution_add_link"),
    path("datasets/<slug:slug>/request-access/", views.access_request, name="access_request"),
    path(
        "datasets/<slug:slug>/access-requests/<int:pk>/grant/",
        views.access_request_grant,
        name="access_request_grant",
    ),
    path(
        "datasets/<slug:slug>/originals/<int:pk>/download/",
        views.original_download,
        name="original_download",
    ),
    path("datasets/<slug:slug>/action/<str:action>/", views.dataset_action, name="dataset_action"),
    path(
        "datasets/<slug:slug>/files/<int:pk>/",
        views.distribution_detail,
        name="distribution_detail",
    ),
    path(
        "datasets/<slug:slug>/files/<int:pk>/download/",
        views.distribution_download,
        name="distribution_download",
    ),
    path(
        "datasets/<slug:slug>/files/<int:pk>/statistics/",
        views.distribution_statistics,
        name="distribution_statistics",
    ),
    path(
        "datasets/<slug:slug>/files/<int:pk>/delete/",
        views.distribution_delete,
        name="distribution_delete",
    ),
    path("organisations/", organisation_views.organisation_list, name="organisation_list"),
    path(
        "organisations/<slug:slug>/",
        organisation_views.organisation_detail,
        name="organisation_detail",
    ),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
]
