"""The resources pillar's pages (under /<lang>/resources/), included by config/urls.py inside
i18n_patterns before Wagtail's catch-all."""

from django.urls import URLPattern, URLResolver, path

from sdg87.alliance import funding_views as views

app_name = "resources"

urlpatterns: list[URLPattern | URLResolver] = [
    path("resources/", views.funding_index, name="index"),
    path("resources/funding.csv", views.funding_csv, name="csv"),
    path("resources/manage/", views.funding_manage, name="manage"),
    path("resources/new/", views.funding_new, name="new"),
    path("resources/review/", views.funding_review, name="review"),
    path("resources/<int:pk>/edit/", views.funding_edit, name="edit"),
    path("resources/<int:pk>/<slug:verb>/", views.funding_do, name="do"),
]
