"""Pages over vintages, under the language prefix: /<lang>/series/<code>/compare/ etc."""

from django.urls import URLPattern, URLResolver, path

from sdg87.vintages import views

app_name = "vintages"

urlpatterns: list[URLPattern | URLResolver] = [
    path("series/<str:code>/compare/", views.series_compare, name="series-compare"),
    path(
        "series/<str:code>/as-published/",
        views.series_as_published,
        name="series-as-published",
    ),
    path("series/<str:code>/vintages/", views.point_vintages_view, name="point-vintages"),
]
