from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "sdg87.geo"
    label = "geo"
