"""Writes to country assessments. The bundled loaders use these; each replaces the records of
the given releases, all or nothing, so reloading a file never duplicates and a release never
touches another release's records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction

from sdg87.assessments.models import (
    CountryAssessment,
    FindingValue,
    GoodListing,
    SuggestedAction,
    TierPlacement,
)
from sdg87.indicators.models import Release

BATCH_SIZE = 2000
# Foreign keys are resolved by the caller from ids it has just read, so validating them again
# would cost two queries per row; every other field is validated by full_clean.
_RESOLVED_FKS = ["country", "release", "derived_country"]


def _char_limits(model: type[models.Model]) -> list[tuple[str, int | None, set[str] | None]]:
    limits = []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.CharField):
            choices = {str(key) for key, _label in f.flatchoices} if f.choices else None
            limits.append((f.attname, f.max_length, choices))
    return limits


def _check_chars(obj: Any, limits: list[tuple[str, int | None, set[str] | None]]) -> None:
    """The text checks of full_clean (length, choices), at a fraction of its cost per row."""
    for attname, max_length, choices in limits:
        value = getattr(obj, attname)
        if max_length is not None and len(value) > max_length:
            raise ValidationError({attname: f"longer than {max_length} characters: {value!r}"})
        if choices is not None and value not in choices:
            raise ValidationError({attname: f"not a valid choice: {value!r}"})


def _replace[M: models.Model](
    model: type[M],
    *,
    releases: Sequence[Release],
    objects: Iterable[M] | Iterable[Any],  # models, or rows of their columns (*Row)
    full_clean: bool = True,
) -> int:
    model._default_manager.filter(release__in=list(releases)).delete()
    release_ids = {release.pk for release in releases}
    limits = _char_limits(model)
    batch: list[Any] = []
    count = 0
    for obj in objects:
        if obj.release_id not in release_ids:  # type: ignore[union-attr]
            raise ValueError(f"{obj!r} belongs to a release not being replaced")
        if full_clean:
            obj.full_clean(exclude=_RESOLVED_FKS, validate_unique=False, validate_constraints=False)
        else:
            _check_chars(obj, limits)
        batch.append(obj)
        if len(batch) >= BATCH_SIZE:
            count += _insert(model, batch, plain=not full_clean)
            batch = []
    return count + _insert(model, batch, plain=not full_clean)


def _insert[M: models.Model](model: type[M], batch: list[Any], *, plain: bool) -> int:
    """bulk_create, or for `plain` models (ints, floats, text and ids only) one executemany:
    the ORM's per-value SQL compilation costs most of the time of an 80,000-row load."""
    if not batch:
        return 0
    if not plain:
        model._default_manager.bulk_create(batch)
        return len(batch)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from model meta)
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[getattr(obj, f.attname) for f in fields] for obj in batch])
    return len(batch)


@transaction.atomic
def country_assessments_replace(
    *, releases: Sequence[Release], assessments: Iterable[CountryAssessment]
) -> int:
    """Make `assessments` the Findings country assessments of `releases`."""
    return _replace(CountryAssessment, releases=releases, objects=assessments)


@dataclass(slots=True)
class FindingValueRow:
    """A FindingValue's columns, by their attribute names, without a model instance: building
    77,000 FindingValue objects (field descriptors, two signals each) cost about a third of
    the load of the Findings values, and the insert only reads the columns."""

    country_id: int
    release_id: int
    report_year: int
    source_file: str
    section: str
    field_path: str
    territory: str
    value_text: str
    value_number: float | None


@dataclass(slots=True)
class SuggestedActionRow:
    """A SuggestedAction's columns (12,000 rows), like FindingValueRow."""

    country_id: int
    release_id: int
    report_year: int
    source_file: str
    area: str
    action: str
    order: int


@transaction.atomic
def finding_values_replace(
    *, releases: Sequence[Release], values: Iterable[FindingValue | FindingValueRow]
) -> int:
    """Make `values` the Findings profile values of `releases`.

    80,000 rows: text fields get the length and choice checks of full_clean without its
    per-row cost; the parser has already typed every other field."""
    return _replace(FindingValue, releases=releases, objects=values, full_clean=False)


@transaction.atomic
def suggested_actions_replace(
    *, releases: Sequence[Release], actions: Iterable[SuggestedAction | SuggestedActionRow]
) -> int:
    """Make `actions` the suggested government actions of `releases`.

    12,000 rows: the parser refuses an empty country or an unknown area and skips empty
    actions; text fields get the length and choice checks of full_clean without its per-row
    cost (issue 15: validation in the parser, no per-row full_clean)."""
    return _replace(SuggestedAction, releases=releases, objects=actions, full_clean=False)


@transaction.atomic
def good_listings_replace(*, releases: Sequence[Release], listings: Iterable[GoodListing]) -> int:
    """Make `listings` the good-country pairs of the List editions `releases`."""
    return _replace(GoodListing, releases=releases, objects=listings)


@transaction.atomic
def tier_placements_replace(
    *, releases: Sequence[Release], placements: Iterable[TierPlacement]
) -> int:
    """Make `placements` the TIP tier placements of `releases`."""
    return _replace(TierPlacement, releases=releases, objects=placements)
