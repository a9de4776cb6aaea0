from django.apps import AppConfig


class VintagesConfig(AppConfig):
    name = "sdg87.vintages"
    label = "vintages"
