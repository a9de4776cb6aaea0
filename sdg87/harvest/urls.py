"""Editor pages for harvest sources and their runs, under the language prefix."""

from django.urls import URLPattern, URLResolver, path

from sdg87.harvest import views

app_name = "harvest"

urlpatterns: list[URLPattern | URLResolver] = [
    path("harvest/sources/", views.source_list, name="source_list"),
    path("harvest/sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("harvest/sources/<int:pk>/run/", views.source_run, name="source_run"),
    path("harvest/sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("harvest/sources/<int:pk>/pause/", views.source_pause, name="source_pause"),
    path("harvest/sources/<int:pk>/resume/", views.source_resume, name="source_resume"),
    path("harvest/runs/<int:pk>/", views.run_detail, name="run_detail"),
]
