from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sdg87.orgs"
    label = "orgs"
