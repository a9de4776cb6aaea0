from __future__ import annotations

from django.db.models import QuerySet

from sdg87.geo.models import Geography, GeographyKind


def country_list() -> QuerySet[Geography]:
    return Geography.objects.filter(kind=GeographyKind.COUNTRY).order_by("name_en")


def geography_get(*, code: str) -> Geography | None:
    """Find a geography by its code, ISO3 or M49 code (case-insensitive for ISO3)."""
    code = code.strip()
    if code.isdigit():
        return Geography.objects.filter(m49=code.zfill(3)).first()
    return Geography.objects.filter(code__iexact=code).first()
