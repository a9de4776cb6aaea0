from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sdg87.catalog"
    label = "catalog"
