from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "sdg87.site"
    label = "site"
