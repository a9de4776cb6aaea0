from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "sdg87.indicators"
    label = "indicators"
