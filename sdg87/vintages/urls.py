from django.urls import URLPattern, URLResolver

app_name = "vintages"

urlpatterns: list[URLPattern | URLResolver] = []
