from typing import Any

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "sdg87.ops"
    label = "ops"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import request_finished

        from sdg87.ops import checks, errors  # noqa: F401 (checks registers itself)
        from sdg87.ops.logs import request_id_var

        def forget_request_id(**kwargs: Any) -> None:
            request_id_var.set("")

        request_finished.connect(forget_request_id, weak=False, dispatch_uid="sdg87.ops.rid")
        if settings.SDG87_SENTRY_DSN:
            errors.error_reports_init(
                dsn=settings.SDG87_SENTRY_DSN, environment=settings.SDG87_SENTRY_ENVIRONMENT
            )
