from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "sdg87.ops"
    label = "ops"
