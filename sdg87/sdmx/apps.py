from django.apps import AppConfig


class SdmxConfig(AppConfig):
    name = "sdg87.sdmx"
    label = "sdmx"
