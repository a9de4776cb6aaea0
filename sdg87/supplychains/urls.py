from django.urls import URLPattern, URLResolver

app_name = "supplychains"

urlpatterns: list[URLPattern | URLResolver] = []
