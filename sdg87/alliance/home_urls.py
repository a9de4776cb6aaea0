from django.urls import path

from sdg87.alliance import home_views

app_name = "alliance"

urlpatterns = [path("alliance/", home_views.alliance_home, name="home")]
