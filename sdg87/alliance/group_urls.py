"""Public pages of the Alliance's Action Groups and Global Coordinating Group, under /<lang>/."""

from django.urls import URLPattern, URLResolver, path

from sdg87.alliance import gcg_views, group_views

app_name = "alliance-groups"

urlpatterns: list[URLPattern | URLResolver] = [
    path("action-groups/", group_views.group_index, name="group_index"),
    path("action-groups/<slug:slug>/", group_views.group_detail, name="group_detail"),
    path(
        "action-groups/<slug:slug>/links/",
        group_views.group_links_manage,
        name="group_links",
    ),
    path(
        "action-groups/<slug:slug>/links/<int:pk>/remove/",
        group_views.group_link_remove,
        name="group_link_remove",
    ),
    path("gcg/", gcg_views.gcg_page, name="gcg"),
]
