"""Reads of geographies: countries, aggregates and their memberships."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from sdg87.geo.models import Geography, GeographyKind


def country_list(*, region: Geography | None = None, q: str | None = None) -> QuerySet[Geography]:
    """Countries by English name; optionally members of an aggregate and/or matching `q`
    (case-insensitive substring of the English, French or Spanish name, or the ISO3 code)."""
    qs = Geography.objects.filter(kind=GeographyKind.COUNTRY)
    if region is not None:
        qs = qs.filter(groups=region)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(name_en__icontains=q)
            | Q(name_fr__icontains=q)
            | Q(name_es__icontains=q)
            | Q(iso3__iexact=q)
        )
    return qs.order_by("name_en")


def geography_get(*, code: str) -> Geography | None:
    """Find a geography by its code, ISO3 or M49 code (case-insensitive for ISO3)."""
    code = code.strip()
    if code.isdigit():
        padded = code.zfill(3)
        return Geography.objects.filter(Q(m49=padded) | Q(code=padded)).first()
    return Geography.objects.filter(code__iexact=code).first()


def country_get(*, iso3: str) -> Geography | None:
    """A country by ISO3 code (case-insensitive), with its groups prefetched."""
    return (
        Geography.objects.filter(kind=GeographyKind.COUNTRY, iso3__iexact=iso3.strip())
        .prefetch_related(Prefetch("groups", queryset=Geography.objects.order_by("kind", "code")))
        .first()
    )


def geography_list(*, kind: str | None = None) -> QuerySet[Geography]:
    """Aggregates (everything but countries), with their country members prefetched."""
    qs = Geography.objects.exclude(kind=GeographyKind.COUNTRY)
    if kind:
        qs = qs.filter(kind=kind)
    countries = Geography.objects.filter(kind=GeographyKind.COUNTRY).order_by("iso3")
    return qs.prefetch_related(Prefetch("members", queryset=countries)).order_by("kind", "code")


def geography_resolve(*, codes: Iterable[str]) -> tuple[dict[str, Geography], list[str]]:
    """Map each of `codes` (geography code, ISO3 or M49) to a geography in one query.

    Returns the found mapping (keyed by the code as given) and the codes that matched nothing.
    """
    wanted = [code.strip() for code in codes if code.strip()]
    m49s = {code.zfill(3) for code in wanted if code.isdigit() and len(code) <= 3}
    texts = {code.upper() for code in wanted if not code.isdigit()}
    condition = Q(m49__in=m49s) | Q(code__in=m49s | texts) | Q(iso3__in=texts)
    rows = list(Geography.objects.filter(condition)) if wanted else []
    found: dict[str, Geography] = {}
    missing: list[str] = []
    for code in wanted:
        match = None
        for geo in rows:
            if code.isdigit():
                if code.zfill(3) in {geo.m49, geo.code}:
                    match = geo
            elif code.upper() in {geo.code.upper(), (geo.iso3 or "").upper()}:
                match = geo
            if match:
                break
        if match is None:
            missing.append(code)
        else:
            found[code] = match
    return found, missing
