"""Typed readers for the SDG87_* environment variables: the one place settings come from."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"SDG87_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(f"SDG87_{name}")
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"SDG87_{name}")
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        # Settings are still loading: no system check can run yet, so name the variable here.
        raise ImproperlyConfigured(
            f"SDG87_{name} must be a whole number (e.g. 26214400), not {raw!r}"
        ) from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(f"SDG87_{name}")
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def default_database_url() -> str:
    return f"sqlite:///{BASE_DIR / 'var' / 'sdg87.sqlite3'}"
