from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "sdg87.alliance"
    label = "alliance"
