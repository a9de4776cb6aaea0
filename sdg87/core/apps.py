from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sdg87.core"
    label = "core"

    def ready(self) -> None:
        from sdg87.core import checks  # noqa: F401  (registers system checks)
