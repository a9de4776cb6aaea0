"""The members-only workspaces of the Action Groups, under /<lang>/action-groups/<slug>/workspace/
(included by config/urls.py inside i18n_patterns, before Wagtail's catch-all)."""

from django.urls import URLPattern, URLResolver, path

from sdg87.alliance import workspace_views as views

app_name = "alliance-workspace"

_BASE = "action-groups/<slug:slug>/workspace/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(_BASE, views.workspace_index, name="index"),
    path(f"{_BASE}new/", views.document_new, name="new"),
    path(f"{_BASE}<int:pk>/", views.document_detail, name="document"),
    path(f"{_BASE}<int:pk>/version/", views.version_add, name="version_add"),
    path(f"{_BASE}<int:pk>/edit/", views.document_edit, name="edit"),
    path(f"{_BASE}<int:pk>/propose/", views.release_propose, name="propose"),
    path(f"{_BASE}<int:pk>/withdraw/", views.release_withdraw, name="withdraw"),
    path(f"{_BASE}<int:pk>/decide/", views.release_decide, name="decide"),
    path(f"{_BASE}<int:pk>/take-back/", views.release_take_back, name="take_back"),
    path(f"{_BASE}files/<int:pk>/", views.version_download, name="download"),
]
