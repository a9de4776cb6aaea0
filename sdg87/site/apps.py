from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "sdg87.site"
    label = "site"

    def ready(self) -> None:
        from sdg87.core.cache import data_version_changed
        from sdg87.site.warmup import on_data_version_changed

        # After each data change, warm the most visited pages (sdg87.site.warmup).
        data_version_changed.connect(on_data_version_changed, dispatch_uid="site-pages-warm")
