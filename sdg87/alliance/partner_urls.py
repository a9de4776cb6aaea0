"""The partner directory and joining the Alliance 8.7, under /<lang>/partners/."""

from django.urls import URLPattern, URLResolver, path

from sdg87.alliance import partner_views

app_name = "partners"

urlpatterns: list[URLPattern | URLResolver] = [
    path("partners/", partner_views.partner_list, name="index"),
    path("partners/join/", partner_views.partner_join, name="join"),
    path("partners/join/sent/", partner_views.partner_join_sent, name="join_sent"),
    path("partners/applications/", partner_views.application_list, name="application_list"),
    path(
        "partners/applications/<int:pk>/",
        partner_views.application_detail,
        name="application_detail",
    ),
]
