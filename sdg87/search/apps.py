from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sdg87.search"
    label = "search"
