from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "sdg87.disclosure"
    label = "disclosure"
