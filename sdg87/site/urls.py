from django.urls import path

from sdg87.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
]
