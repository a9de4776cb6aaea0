"""System checks for the operations settings (registered by OpsConfig.ready)."""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_ops_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    for network in settings.SDG87_METRICS_ALLOW:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"SDG87_METRICS_ALLOW: {network!r} is not an address or network.",
                    hint="Comma-separated addresses or CIDR networks, e.g. 10.0.0.0/8,::1/128.",
                    id="sdg87.E170",
                )
            )
    if settings.SDG87_LOG_FORMAT not in {"", "json", "text"}:
        errors.append(
            Error(
                f"SDG87_LOG_FORMAT must be 'json' or 'text', not {settings.SDG87_LOG_FORMAT!r}.",
                id="sdg87.E171",
            )
        )
    multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiproc_dir and not (os.path.isdir(multiproc_dir) and os.access(multiproc_dir, os.W_OK)):
        errors.append(
            Error(
                f"PROMETHEUS_MULTIPROC_DIR={multiproc_dir} is not a writable directory.",
                hint="Create it (empty) before starting gunicorn; see docs/operations.md.",
                id="sdg87.E172",
            )
        )
    return errors
