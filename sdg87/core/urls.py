from django.urls import URLPattern, URLResolver, re_path

from sdg87.core import views

app_name = "core"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(
        r"^(?P<digest>[0-9a-f]{64})\.(?P<fmt>svg|png|vl\.json)$",
        views.chart_file,
        name="chart-file",
    ),
]
