"""The repository's settings, each with its default (config/settings may set them from
SDG87_OAI_* variables):

- SDG87_OAI_REPOSITORY_IDENTIFIER: the namespace of the item identifiers
  (`oai:<it>:publication/<slug>`); by default the host name of SDG87_SITE_URL. Choose it once:
  harvesters key their copies by identifier.
- SDG87_OAI_PAGE_SIZE: records (or headers, or sets) per response, 50.
- SDG87_OAI_TOKEN_MAX_AGE: seconds a resumption token stays valid, one day.
- SDG87_OAI_ADMIN_EMAIL: Identify's adminEmail; by default DEFAULT_FROM_EMAIL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_PAGE_SIZE = 50
DEFAULT_TOKEN_MAX_AGE = 24 * 60 * 60


def repository_identifier() -> str:
    configured = str(getattr(settings, "SDG87_OAI_REPOSITORY_IDENTIFIER", "") or "")
    if configured:
        return configured
    return urlsplit(str(settings.SITE_URL)).hostname or "localhost"


def page_size() -> int:
    return max(1, int(getattr(settings, "SDG87_OAI_PAGE_SIZE", DEFAULT_PAGE_SIZE)))


def token_max_age() -> int:
    return int(getattr(settings, "SDG87_OAI_TOKEN_MAX_AGE", DEFAULT_TOKEN_MAX_AGE))


def admin_email() -> str:
    return str(getattr(settings, "SDG87_OAI_ADMIN_EMAIL", "") or settings.DEFAULT_FROM_EMAIL)
