from django.apps import AppConfig


class SupplychainsConfig(AppConfig):
    name = "sdg87.supplychains"
    label = "supplychains"
