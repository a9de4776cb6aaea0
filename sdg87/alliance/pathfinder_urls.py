from django.urls import path

from sdg87.alliance import pathfinder_views

app_name = "pathfinders"

urlpatterns = [
    path("pathfinders/", pathfinder_views.pathfinder_index, name="index"),
    path("pathfinders.csv", pathfinder_views.pathfinder_index_csv, name="index-csv"),
    path("pathfinders/<str:iso3>/", pathfinder_views.pathfinder_detail, name="detail"),
]
