"""API token lifecycle. The plain token is shown once, at creation; only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from sdg87.api.models import ApiToken

TOKEN_PREFIX = "sdg87_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str, expires_at: datetime | None = None
                     ) -> tuple[ApiToken, str]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[:12], key_hash=_hash(raw),
                     expires_at=expires_at)
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])


def api_token_authenticate(*, raw: str) -> Any | None:
    """The active user owning this token, or None. Records the time of use."""
    raw = raw.strip()
    if raw.lower().startswith("bearer "):
        raw = raw[7:].strip()
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(raw)).first()
    now = timezone.now()
    if token is None or token.revoked or (token.expires_at and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
