from django.urls import path

from sdg87.site import embed_views, views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("global-estimates/", views.global_estimates, name="global-estimates"),
    path("indicators/", views.indicator_index, name="indicator-index"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<str:code>/embed/", embed_views.indicator_embed, name="indicator-embed"),
    path("countries/", views.country_index, name="country-index"),
    path("countries/<str:iso3>/", views.country_detail, name="country-detail"),
    path("publications/", views.publication_index, name="publication-index"),
    path("methods/progress/", views.methods_progress, name="methods-progress"),
]
