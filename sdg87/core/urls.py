from django.urls import URLPattern, URLResolver

app_name = "core"

urlpatterns: list[URLPattern | URLResolver] = []
