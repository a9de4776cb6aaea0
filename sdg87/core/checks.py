"""System checks: misconfiguration surfaces here with an id, never as a crash at request time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

INSECURE_KEY_PREFIX = "insecure-"


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.SECRET_KEY.startswith(INSECURE_KEY_PREFIX):
        return [
            Error(
                "SDG87_SECRET_KEY is not set; the development key is in use.",
                hint="Set SDG87_SECRET_KEY to a long random string in production.",
                id="sdg87.E001",
            )
        ]
    return []


@register(Tags.database)
def check_data_dir(app_configs: Any, **kwargs: Any) -> list[Warning]:
    data_dir = settings.SDG87_DATA_DIR
    if not (data_dir / "PROVENANCE.md").exists():
        return [
            Warning(
                f"Bundled data directory {data_dir} has no PROVENANCE.md.",
                hint="The bundled data must ship with its provenance.",
                id="sdg87.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "SDG87_SITE_URL is not an https:// URL.",
                hint="Absolute links in feeds, DCAT and e-mails use SDG87_SITE_URL.",
                id="sdg87.W003",
            )
        ]
    return []
