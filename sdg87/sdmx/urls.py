from django.urls import URLPattern, URLResolver

app_name = "sdmx"

urlpatterns: list[URLPattern | URLResolver] = []
