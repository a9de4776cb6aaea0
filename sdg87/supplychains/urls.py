from django.urls import URLPattern, URLResolver, path

from sdg87.supplychains import views

app_name = "supplychains"

urlpatterns: list[URLPattern | URLResolver] = [
    path("supply-chains/", views.explorer, name="explorer"),
    path("supply-chains/matrix/", views.matrix, name="matrix"),
    path("supply-chains/map/", views.world_map, name="map"),
    path("supply-chains/changes/", views.changes, name="changes"),
    path("supply-chains/goods/<slug:slug>/", views.good_detail, name="good"),
    path("supply-chains/countries/<str:iso3>/", views.country_detail, name="country"),
]
