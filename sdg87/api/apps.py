from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sdg87.api"
    label = "api"
