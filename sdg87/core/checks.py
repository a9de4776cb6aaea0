"""System checks: misconfiguration surfaces here with an id, never as a crash at request time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register

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


RATE_SETTINGS = (
    "SDG87_TRUSTED_PROXY_COUNT",
    "SDG87_LOGIN_IP_FAILURE_LIMIT",
    "SDG87_ACCESS_REQUEST_IP_LIMIT",
    "SDG87_ACCESS_REQUEST_USER_LIMIT",
    "SDG87_ACCESS_REQUEST_EMAIL_LIMIT",
    "SDG87_ACCESS_REQUEST_DATASET_LIMIT",
)


@register(Tags.security)
def check_rate_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    return [
        Error(
            f"{name} is {getattr(settings, name)}; it must be 0 or more.",
            hint="Proxy count: 0 = no reverse proxy. Limits: 0 = no limit.",
            id="sdg87.E010",
        )
        for name in RATE_SETTINGS
        if getattr(settings, name) < 0
    ]


@register(Tags.security, deploy=True)
def check_hsts_preload(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.SECURE_HSTS_PRELOAD and (
        settings.SECURE_HSTS_SECONDS < 31_536_000 or not settings.SECURE_HSTS_INCLUDE_SUBDOMAINS
    ):
        return [
            Warning(
                "SDG87_HSTS_PRELOAD is on, but the preload list requires a max-age of at least "
                "one year (SDG87_HSTS_SECONDS >= 31536000) and includeSubDomains.",
                id="sdg87.W011",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_proxy_count(app_configs: Any, **kwargs: Any) -> list[Info]:
    if settings.SECURE_PROXY_SSL_HEADER and settings.SDG87_TRUSTED_PROXY_COUNT == 0:
        return [
            Info(
                "SDG87_TRUSTED_PROXY_COUNT is 0: X-Forwarded-For is ignored and the client "
                "address is REMOTE_ADDR.",
                hint=(
                    "Behind a reverse proxy, set it to the number of proxies; otherwise every "
                    "client shares the proxy's address for sign-in lockouts and rate limits."
                ),
                id="sdg87.I012",
            )
        ]
    return []
