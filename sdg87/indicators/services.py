"""Writes to the statistics spine. The bundled loaders and contributor uploads share these.

Indicators, series, sources and releases are created by the upserts and corrected by editors
through the `<model>_update` services (the Wagtail admin calls them): an upsert never overwrites
a field an editor changed (`edited_fields`), and every edit bumps the data version.
"""

from __future__ import annotations

import datetime
import enum
import json
import math
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils.translation import gettext

from sdg87.core.cache import data_version_bump
from sdg87.core.editor_owned import editor_update, unedited
from sdg87.core.ingest import ParseError
from sdg87.geo.models import Geography
from sdg87.indicators.ingest.common import ObservationRow
from sdg87.indicators.models import (
    Age,
    Indicator,
    Nature,
    Observation,
    Release,
    Series,
    Sex,
    Source,
    dimensions_key_for,
    release_rank,
)

__all__ = [
    "ObservationRow",
    "OwnershipError",
    "indicator_update",
    "indicator_upsert",
    "observations_import",
    "release_update",
    "release_upsert",
    "releases_set_public",
    "series_update",
    "series_upsert",
    "source_update",
    "source_upsert",
]


class OwnershipError(ValueError):
    """A write would move or overwrite statistics that belong to another source or owner."""


BATCH_SIZE = 2000
VALID_SEX = set(Sex.values)
VALID_AGE = set(Age.values)
VALID_NATURE = set(Nature.values)


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
    defaults = {
        "title": title,
        "publisher": publisher,
        "licence": licence,
        "url": url,
        "licence_url": licence_url,
        "description": description,
    }
    source, _ = Source.objects.update_or_create(
        code=code, defaults=unedited(Source, {"code": code}, defaults), create_defaults=defaults
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
    released_on: datetime.date | None = None,
    file_sha256: str = "",
    licence_note: str = "",
    is_public: bool = True,
) -> Release:
    """Create or update a release by code. A release never moves to another source: a code
    that exists under another source is refused (OwnershipError), never taken over.
    `is_public` applies only when the release is created."""
    existing = Release.objects.filter(code=code).select_related("source").first()
    if existing is not None and existing.source_id != source.pk:
        raise OwnershipError(
            f"release '{code}' belongs to the source '{existing.source.code}', not '{source.code}'"
        )
    defaults = {
        "source": source,
        "title": title,
        "year": year,
        "citation": citation,
        "provenance": provenance,
        "url": url,
        "released_on": released_on,
        "file_sha256": file_sha256,
        "licence_note": licence_note,
    }
    release, _ = Release.objects.update_or_create(
        code=code,
        defaults=unedited(Release, {"code": code}, defaults),
        create_defaults={**defaults, "is_public": is_public},
    )
    release.full_clean()
    return release


def indicator_upsert(
    *,
    code: str,
    name: str,
    is_sdg: bool,
    goal: int | None = None,
    target: str = "",
    definition: str = "",
    unit: str = "",
    custodians: str = "",
    methodology: str = "",
    sort_order: int = 100,
    translations: dict[str, dict[str, str]] | None = None,
) -> Indicator:
    """Create or update an indicator's metadata by code."""
    defaults = {
        "name": name,
        "is_sdg": is_sdg,
        "goal": goal,
        "target": target,
        "definition": definition,
        "unit": unit,
        "custodians": custodians,
        "methodology": methodology,
        "sort_order": sort_order,
        "translations": translations or {},
    }
    indicator, _ = Indicator.objects.update_or_create(
        code=code, defaults=unedited(Indicator, {"code": code}, defaults), create_defaults=defaults
    )
    indicator.full_clean()
    return indicator


def series_upsert(
    *,
    code: str,
    indicator: Indicator | None,
    name: str,
    unit: str,
    unit_label: str = "",
    description: str = "",
    dimensions: list[str] | None = None,
    target_year: int | None = None,
    decimals: int = 1,
    sort_order: int = 100,
    translations: dict[str, dict[str, str]] | None = None,
) -> Series:
    """Create or update a series' metadata by code."""
    defaults: dict[str, object] = {
        "indicator": indicator,
        "name": name,
        "unit": unit,
        "unit_label": unit_label,
        "description": description,
        "dimensions": dimensions or [],
        "target_year": target_year,
        "decimals": decimals,
        "sort_order": sort_order,
        "translations": translations or {},
    }
    series, _ = Series.objects.update_or_create(
        code=code, defaults=unedited(Series, {"code": code}, defaults), create_defaults=defaults
    )
    series.full_clean()
    return series


@transaction.atomic
def source_update(*, source: Source, changes: Mapping[str, object]) -> Source:
    """An editor's correction of a source's texts, kept by later data loads."""
    return editor_update(Source, source.pk, changes)[0]


@transaction.atomic
def indicator_update(*, indicator: Indicator, changes: Mapping[str, object]) -> Indicator:
    """An editor's correction of an indicator's texts, kept by later data loads."""
    return editor_update(Indicator, indicator.pk, changes)[0]


@transaction.atomic
def series_update(*, series: Series, changes: Mapping[str, object]) -> Series:
    """An editor's correction of a series' texts, kept by later data loads."""
    return editor_update(Series, series.pk, changes)[0]


RELEASE_ORDER_FIELDS = {"year", "released_on", "is_public"}


def release_follows_dataset(release: Release) -> bool:
    """A release imported from a dataset's file (key `upload-<distribution id>`, ADR 0006): its
    visibility is the dataset's, kept by catalog's dataset_statistics_sync."""
    return release.code.startswith("upload-")


@transaction.atomic
def release_update(*, release: Release, changes: Mapping[str, object]) -> Release:
    """An editor's correction of a release, kept by later data loads. A change of its year,
    date or visibility changes which value of each data point is newest: `is_latest` is
    recomputed for the release's series. The visibility of a release imported from a dataset
    follows the dataset and cannot be set here (ValidationError)."""
    current = Release.objects.get(pk=release.pk)
    new_visibility = changes.get("is_public", current.is_public) != current.is_public
    if new_visibility and release_follows_dataset(current):
        raise ValidationError(
            {
                "is_public": gettext(
                    "These statistics follow their dataset: publish, unpublish or retract "
                    "the dataset's file instead."
                )
            }
        )
    updated, changed = editor_update(Release, release.pk, changes)
    if changed & RELEASE_ORDER_FIELDS:
        series_ids = set(
            Observation.all_objects.filter(release=updated)
            .order_by()
            .values_list("series_id", flat=True)
            .distinct()
        )
        observations_mark_latest(series_ids=series_ids)
    return updated


class _AnyOwner(enum.Enum):
    """The default of `series_owner`: no owner check (the data loaders' own imports)."""

    ANY = enum.auto()


_ANY_OWNER = _AnyOwner.ANY


@transaction.atomic
def observations_import(
    *,
    release: Release,
    rows: Iterable[ObservationRow],
    series_scope: Collection[str] | None = None,
    series_owner: models.Model | _AnyOwner | None = _ANY_OWNER,
) -> int:
    """Replace the release's observations with `rows`, all or nothing.

    Unknown series or geography codes and invalid SDMX codes raise ParseError naming the row
    and column. Other releases are never touched: a new release never overwrites an old one.
    With `series_scope`, only the release's observations of those series are replaced (one
    release loaded from several files); a row of another series is then an error. With
    `series_owner` (an Organisation, or None for the platform's own series), a row of a series
    owned by anybody else is an error: an upload can never write into another's series.
    """
    if series_owner is _ANY_OWNER:
        series_ids = dict(Series.objects.values_list("code", "id"))
    else:
        owner_id = series_owner.pk if series_owner is not None else None
        series_ids = dict(Series.objects.filter(owner_id=owner_id).values_list("code", "id"))
    geo_ids = geography_ids()
    existing = Observation.all_objects.filter(release=release)
    if series_scope is not None:
        existing = existing.filter(series__code__in=list(series_scope))
    touched = set(existing.values_list("series_id", flat=True).distinct())
    existing.delete()
    seen: set[_Values] = set()
    insert = _ObservationInsert(release)
    for row in rows:
        if series_scope is not None and row.series not in series_scope:
            raise ParseError(
                gettext("series '%(code)s' is outside this import") % {"code": row.series},
                row=row.line,
                column="series",
            )
        values = insert.values(row, series_ids, geo_ids)
        key = values[:_KEY_LENGTH]
        if key in seen:
            raise ParseError(
                gettext("duplicate observation for the same key"), row=row.line, column=None
            )
        seen.add(key)
        touched.add(values[0])
        insert.add(values)
    insert.flush()
    observations_mark_latest(series_ids=touched)
    data_version_bump()
    return insert.count


@transaction.atomic
def releases_set_public(*, releases: Collection[Release], public: bool) -> int:
    """Show or hide the observations of these releases everywhere at once: the flag, the
    newest-value-per-data-point rule and the public cache. Returns how many releases changed."""
    ids = [r.pk for r in releases if r.is_public != public]
    if not ids:
        return 0
    Release.objects.filter(pk__in=ids).update(is_public=public)
    for release in releases:
        release.is_public = public
    series_ids = set(
        Observation.all_objects.filter(release_id__in=ids)
        .order_by()
        .values_list("series_id", flat=True)
        .distinct()
    )
    observations_mark_latest(series_ids=series_ids)
    data_version_bump()
    return len(ids)


def observations_mark_latest(*, series_ids: Collection[int]) -> int:
    """Recompute `is_latest` for these series: per data point (series, geography, year, sex,
    age, dimensions) only the observation of the newest *public* release is latest; the
    observations of hidden releases are never latest. Returns how many observations are not
    latest."""
    superseded: list[int] = []
    for series_id in series_ids:
        hidden = Observation.all_objects.filter(series_id=series_id, release__is_public=False)
        superseded.extend(hidden.values_list("id", flat=True))
        scope = Observation.all_objects.filter(series_id=series_id, release__is_public=True)
        release_ids = set(scope.values_list("release_id", flat=True).distinct())
        if len(release_ids) > 1:
            ranks = {
                pk: release_rank(year, released_on, pk)
                for pk, year, released_on in Release.objects.filter(pk__in=release_ids).values_list(
                    "id", "year", "released_on"
                )
            }
            newest: dict[tuple[object, ...], tuple[tuple[int, datetime.date, int], int]] = {}
            rows = scope.values_list(
                "id", "release_id", "geography_id", "year", "sex", "age", "dimensions_key"
            )
            for pk, release_id, *point in rows.iterator(chunk_size=5000):
                key, rank = tuple(point), ranks[release_id]
                best = newest.get(key)
                if best is None or rank > best[0]:
                    if best is not None:
                        superseded.append(best[1])
                    newest[key] = (rank, pk)
                else:
                    superseded.append(pk)
        scope.exclude(is_latest=True).update(is_latest=True)
    for start in range(0, len(superseded), BATCH_SIZE):
        Observation.all_objects.filter(pk__in=superseded[start : start + BATCH_SIZE]).update(
            is_latest=False
        )
    return len(superseded)


def geography_codes() -> set[str]:
    """Every code, ISO3 and M49 code by which observations_import can find a geography."""
    return set(geography_ids())


def geography_ids() -> dict[str, int]:
    """Geography id by every code observations_import accepts (code, ISO3, M49); look a
    file's code up with `geography_key`."""
    lookup: dict[str, int] = {}
    for pk, code, iso3, m49 in Geography.objects.values_list("id", "code", "iso3", "m49"):
        lookup[code.upper()] = pk
        if iso3:
            lookup[iso3.upper()] = pk
        if m49:
            lookup[m49] = pk
    return lookup


def geography_key(code: str) -> str:
    """The key under which geography_ids() finds `code`: M49 codes zero-padded to three
    digits, other codes upper-case."""
    return code.zfill(3) if code.isdigit() else code.upper()


def observation_row_problems(
    row: ObservationRow, *, geo_ids: Mapping[str, int]
) -> list[ParseError]:
    """What keeps `row` from becoming an observation, its series apart: a geography that is not
    in `geo_ids` (from geography_ids) and invalid SDMX codes, in column order."""
    problems = []
    if geography_key(row.geo) not in geo_ids:
        problems.append(
            ParseError(
                gettext("unknown geography '%(code)s'") % {"code": row.geo},
                row=row.line,
                column="geography",
            )
        )
    for column, code, valid in (("sex", row.sex, VALID_SEX), ("age", row.age, VALID_AGE)):
        if code not in valid:
            problems.append(
                ParseError(
                    gettext("unknown %(column)s code '%(code)s'")
                    % {"column": column, "code": code},
                    row=row.line,
                    column=column,
                )
            )
    if row.nature not in VALID_NATURE:
        problems.append(
            ParseError(
                gettext("unknown nature flag '%(nature)s'") % {"nature": row.nature},
                row=row.line,
                column="nature",
            )
        )
    return problems


# The columns observations_import writes, the data point's key first (series, geography, year,
# sex, age, dimensions key: unique within one release).
_INSERT_FIELDS = (
    "series",
    "geography",
    "year",
    "sex",
    "age",
    "dimensions_key",
    "release",
    "dimensions",
    "value",
    "unit",
    "nature",
    "note",
    "is_latest",
)
_KEY_LENGTH = 6
# One row's values in _INSERT_FIELDS order (ids, numbers, text, prepared JSON).
_Values = tuple[Any, ...]
SMALLINT_RANGE = (-32768, 32767)


def observation_value_problems(row: ObservationRow) -> list[ParseError]:
    """What the database would refuse in `row`'s values, as errors naming the row and column:
    a value that is not a finite number, a year outside the year column's range, a unit longer
    than its column. Checked per row because the rows are inserted without the model's
    validation (full_clean), in batches."""
    problems = []
    if not SMALLINT_RANGE[0] <= row.year <= SMALLINT_RANGE[1]:
        problems.append(
            ParseError(
                gettext("year %(year)s is out of range") % {"year": row.year},
                row=row.line,
                column="year",
            )
        )
    if not isinstance(row.value, (int, float)) or not math.isfinite(row.value):
        problems.append(
            ParseError(
                gettext("value '%(value)s' is not a finite number") % {"value": row.value},
                row=row.line,
                column="value",
            )
        )
    if len(row.unit) > UNIT_MAX_LENGTH:
        problems.append(
            ParseError(
                gettext("unit '%(unit)s' is longer than %(limit)s characters")
                % {"unit": row.unit, "limit": UNIT_MAX_LENGTH},
                row=row.line,
                column="unit",
            )
        )
    return problems


UNIT_MAX_LENGTH = 40


class _ObservationInsert:
    """Batched INSERTs of one release's observations (executemany of one parameterised
    statement over the model's own columns): the ORM's bulk_create spent most of a large import
    building model instances and compiling SQL value by value (population, 100,368 rows: about
    85 % of the step's CPU). Rows are checked before (observation_row_problems,
    observation_value_problems); the database's constraints still stand behind them."""

    def __init__(self, release: Release) -> None:
        self.release_id = release.pk
        self.connection = connections[router.db_for_write(Observation)]
        meta = Observation._meta
        self.fields = [meta.get_field(name) for name in _INSERT_FIELDS]
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(str(field.column)) for field in self.fields)  # type: ignore[union-attr]
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Table and column names from the model, values as parameters: no input in the SQL.
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.dimensions_field = meta.get_field("dimensions")
        self.prepared_dimensions: dict[str, tuple[str, object]] = {}
        self.batch: list[_Values] = []
        self.count = 0

    def values(
        self, row: ObservationRow, series_ids: dict[str, int], geo_ids: dict[str, int]
    ) -> _Values:
        """The row's column values in _INSERT_FIELDS order, or the row's first problem."""
        if row.series not in series_ids:
            raise ParseError(
                gettext("unknown series '%(code)s'") % {"code": row.series},
                row=row.line,
                column="series",
            )
        problems = observation_row_problems(row, geo_ids=geo_ids) or observation_value_problems(row)
        if problems:
            raise problems[0]
        dimensions_key, dimensions = self._dimensions(row.dimensions)
        return (
            series_ids[row.series],
            geo_ids[geography_key(row.geo)],
            row.year,
            row.sex,
            row.age,
            dimensions_key,
            self.release_id,
            dimensions,
            float(row.value),
            row.unit,
            row.nature,
            row.note[:500],
            True,
        )

    def _dimensions(self, dimensions: dict[str, str]) -> tuple[str, object]:
        # Most rows have no dimensions: skip the JSON of an empty dict (100,000 population rows).
        raw = json.dumps(dimensions, sort_keys=True) if dimensions else "{}"
        prepared = self.prepared_dimensions.get(raw)
        if prepared is None:
            value = self.dimensions_field.get_db_prep_save(dimensions, self.connection)
            prepared = self.prepared_dimensions[raw] = (dimensions_key_for(dimensions), value)
        return prepared

    def add(self, values: _Values) -> None:
        self.batch.append(values)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, self.batch)
            self.count += len(self.batch)
            self.batch = []
