from django.apps import AppConfig


class HarvestConfig(AppConfig):
    name = "sdg87.harvest"
    label = "harvest"
