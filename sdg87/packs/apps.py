from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "sdg87.packs"
    label = "packs"
