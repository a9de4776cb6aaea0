from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sdg87.search"
    label = "search"

    def ready(self) -> None:
        from sdg87.search import signals

        signals.connect()
