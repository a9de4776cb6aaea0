"""The contributors' pages of the Pathfinder tracker (under /<lang>/pathfinders/), included by
config/urls.py inside i18n_patterns before the public Pathfinder pages and Wagtail's catch-all.
A country is named by its ISO3 code (three letters, so `review` and `rate` never clash)."""

from django.urls import URLPattern, URLResolver, path, re_path

from sdg87.alliance import manage_views as views

ISO3 = r"pathfinders/(?P<iso3>[A-Za-z]{3})/manage/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("pathfinders/review/", views.pathfinder_review, name="pathfinder_review"),
    path(
        "pathfinders/status-changes/<int:pk>/<str:verb>/",
        views.pathfinder_status_decide,
        name="pathfinder_status_decide",
    ),
    path(
        "pathfinders/indicator-links/<int:pk>/<str:verb>/",
        views.pathfinder_indicator_decide,
        name="pathfinder_indicator_decide",
    ),
    path("pathfinders/rate/", views.pathfinder_rate_list, name="pathfinder_rate_list"),
    path("pathfinders/rate/<int:pk>/", views.pathfinder_rate, name="pathfinder_rate"),
    re_path(rf"^{ISO3}$", views.pathfinder_manage, name="pathfinder_manage"),
    re_path(rf"^{ISO3}actions/new/$", views.pathfinder_action_new, name="pathfinder_action_new"),
    re_path(
        rf"^{ISO3}actions/(?P<pk>[0-9]+)/edit/$",
        views.pathfinder_action_edit,
        name="pathfinder_action_edit",
    ),
    re_path(
        rf"^{ISO3}actions/(?P<pk>[0-9]+)/status/$",
        views.pathfinder_status_new,
        name="pathfinder_status_new",
    ),
    re_path(
        rf"^{ISO3}actions/(?P<pk>[0-9]+)/indicators/new/$",
        views.pathfinder_indicator_new,
        name="pathfinder_indicator_new",
    ),
    re_path(
        rf"^{ISO3}actions/(?P<pk>[0-9]+)/(?P<verb>[a-z_]+)/$",
        views.pathfinder_action_do,
        name="pathfinder_action_do",
    ),
    re_path(rf"^{ISO3}replies/new/$", views.pathfinder_reply_new, name="pathfinder_reply_new"),
    re_path(
        rf"^{ISO3}replies/(?P<pk>[0-9]+)/edit/$",
        views.pathfinder_reply_edit,
        name="pathfinder_reply_edit",
    ),
    re_path(
        rf"^{ISO3}replies/(?P<pk>[0-9]+)/(?P<verb>[a-z_]+)/$",
        views.pathfinder_reply_do,
        name="pathfinder_reply_do",
    ),
]
