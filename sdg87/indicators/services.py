"""Writes to the statistics spine. The bundled loaders and contributor uploads share these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from sdg87.core.loading import ParseError
from sdg87.geo.models import Geography
from sdg87.indicators.models import (
    Age,
    Nature,
    Observation,
    Release,
    Series,
    Sex,
    Source,
    dimensions_key_for,
)

BATCH_SIZE = 2000
VALID_SEX = set(Sex.values)
VALID_AGE = set(Age.values)
VALID_NATURE = set(Nature.values)


@dataclass(frozen=True)
class ObservationRow:
    """One parsed observation, still keyed by codes. `line` is the input row number."""

    series: str
    geo: str
    year: int
    value: float
    unit: str
    sex: str = Sex.TOTAL
    age: str = Age.TOTAL
    nature: str = ""
    dimensions: dict[str, str] = field(default_factory=dict)
    note: str = ""
    line: int | None = None


def source_upsert(
    *,
    code: str,
    title: str,
    publisher: str,
    licence: str,
    url: str = "",
    licence_url: str = "",
    description: str = "",
) -> Source:
    source, _ = Source.objects.update_or_create(
        code=code,
        defaults={
            "title": title,
            "publisher": publisher,
            "licence": licence,
            "url": url,
            "licence_url": licence_url,
            "description": description,
        },
    )
    source.full_clean()
    return source


def release_upsert(
    *,
    source: Source,
    code: str,
    title: str,
    year: int,
    citation: str,
    provenance: str,
    url: str = "",
    released_on: object = None,
    file_sha256: str = "",
) -> Release:
    release, _ = Release.objects.update_or_create(
        code=code,
        defaults={
            "source": source,
            "title": title,
            "year": year,
            "citation": citation,
            "provenance": provenance,
            "url": url,
            "released_on": released_on,
            "file_sha256": file_sha256,
        },
    )
    release.full_clean()
    return release


@transaction.atomic
def observations_import(*, release: Release, rows: Iterable[ObservationRow]) -> int:
    """Replace the release's observations with `rows`, all or nothing.

    Unknown series or geography codes and invalid SDMX codes raise ParseError naming the row
    and column. Other releases are never touched: a new release never overwrites an old one.
    """
    series_ids = dict(Series.objects.values_list("code", "id"))
    geo_ids = _geography_lookup()
    Observation.objects.filter(release=release).delete()
    seen: set[tuple[object, ...]] = set()
    batch: list[Observation] = []
    count = 0
    for row in rows:
        obs = _to_observation(row, release, series_ids, geo_ids)
        key = (obs.series_id, obs.geography_id, obs.year, obs.sex, obs.age, obs.dimensions_key)
        if key in seen:
            raise ParseError("duplicate observation for the same key", row=row.line, column=None)
        seen.add(key)
        batch.append(obs)
        if len(batch) >= BATCH_SIZE:
            Observation.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    Observation.objects.bulk_create(batch)
    return count + len(batch)


def _geography_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for pk, code, iso3, m49 in Geography.objects.values_list("id", "code", "iso3", "m49"):
        lookup[code.upper()] = pk
        if iso3:
            lookup[iso3.upper()] = pk
        if m49:
            lookup[m49] = pk
    return lookup


def _to_observation(
    row: ObservationRow, release: Release, series_ids: dict[str, int], geo_ids: dict[str, int]
) -> Observation:
    if row.series not in series_ids:
        raise ParseError(f"unknown series '{row.series}'", row=row.line, column="series")
    geo_key = row.geo.zfill(3) if row.geo.isdigit() else row.geo.upper()
    if geo_key not in geo_ids:
        raise ParseError(f"unknown geography '{row.geo}'", row=row.line, column="geography")
    if row.sex not in VALID_SEX:
        raise ParseError(f"unknown sex code '{row.sex}'", row=row.line, column="sex")
    if row.age not in VALID_AGE:
        raise ParseError(f"unknown age code '{row.age}'", row=row.line, column="age")
    if row.nature not in VALID_NATURE:
        raise ParseError(f"unknown nature flag '{row.nature}'", row=row.line, column="nature")
    return Observation(
        series_id=series_ids[row.series],
        geography_id=geo_ids[geo_key],
        release=release,
        year=row.year,
        sex=row.sex,
        age=row.age,
        dimensions=row.dimensions,
        dimensions_key=dimensions_key_for(row.dimensions),
        value=row.value,
        unit=row.unit,
        nature=row.nature,
        note=row.note[:500],
    )
