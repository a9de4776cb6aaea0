"""Reads over vintages: the statistics as published on a date, every vintage of a data point
with its validity, and what was added or revised after a date.

Terms. A *data point* is (series, geography, year, sex, age, dimensions). Every public release
holding a data point gives it one *vintage*. Releases are ordered by the one release order,
`indicators.models.release_rank` (ADR 0005); a release counts as published on
`release_published_on` (its `released_on`; undated, the last day of its year, but never after
the day it was loaded: a figure is never shown as published before it could have been).

* `observations_as_of(as_of=d)`: per data point, the vintage of the newest public release
  published on or before `d`: the default view (ADR 0005) as it stood on that day.
* `observation_history()` + `observation_validity(...)`: every public vintage, with
  `valid_from` (its release's publication date) and `valid_to` (the publication date of the
  next newer release holding the same point; None while it is the current value).
* `updated_after(since=t)`: vintages whose release was published after `t` (a release dated D
  counts as published at the start of D): new points and revisions, republished values too.

Only public releases are ever read (`Observation.objects`, `Release.objects.public()`): an
embargoed or retracted release never shows here (ADR 0006).

Querysets passed in must not already be narrowed to the newest values (`is_latest`): pass
`indicators.selectors.observation_list(..., all_releases=True)` or `Observation.objects`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from sdg87.indicators.models import Observation, Release, release_rank

POINT_FIELDS = ("series_id", "geography_id", "year", "sex", "age", "dimensions_key")

Point = tuple[int, int, int, str, str, str]


def release_published_on(release: Release) -> datetime.date:
    """The day a release counts as published (module docstring)."""
    if release.released_on is not None:
        return release.released_on
    end_of_year = datetime.date(release.year, 12, 31)
    loaded = release.loaded_at.date() if release.loaded_at else end_of_year
    return min(end_of_year, loaded)


def _rank(release: Release) -> tuple[int, datetime.date, int]:
    return release_rank(release.year, release.released_on, release.id)


def releases_public(*, as_of: datetime.date | None = None) -> list[Release]:
    """Public releases, oldest first by `release_rank`; with `as_of`, only those published on
    or before that day."""
    releases = list(Release.objects.public().select_related("source"))
    if as_of is not None:
        releases = [r for r in releases if release_published_on(r) <= as_of]
    return sorted(releases, key=_rank)


def _ordinal(releases: list[Release], field: str = "release_id") -> Case:
    """Each release's position in the release order, as a database expression."""
    return Case(
        *(When(**{field: r.id}, then=Value(i)) for i, r in enumerate(releases)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def observations_as_of(
    *, as_of: datetime.date, queryset: QuerySet[Observation] | None = None
) -> QuerySet[Observation]:
    """The values current on `as_of`: per data point, the observation of the newest public
    release published on or before that day. Keeps the queryset's own filters and order."""
    visible = releases_public(as_of=as_of)
    ids = [r.id for r in visible]
    base = Observation.objects.all() if queryset is None else queryset
    newer = (
        Observation.objects.filter(release_id__in=ids, **{f: OuterRef(f) for f in POINT_FIELDS})
        .alias(_vintage_rank=_ordinal(visible))
        .filter(_vintage_rank__gt=OuterRef("_vintage_rank"))
    )
    return (
        base.filter(release_id__in=ids, release__is_public=True)
        .alias(_vintage_rank=_ordinal(visible))
        .filter(~Exists(newer))
    )


def observation_history(*, queryset: QuerySet[Observation] | None = None) -> QuerySet[Observation]:
    """Every public vintage of the queryset's data points (its own filters and order kept);
    `observation_validity` dates them."""
    base = Observation.objects.all() if queryset is None else queryset
    return base.filter(release__is_public=True)


def updated_after(
    *, since: datetime.date | datetime.datetime, queryset: QuerySet[Observation] | None = None
) -> QuerySet[Observation]:
    """Vintages whose release was published after `since` (new points, revisions and values
    republished unchanged). Combine with `observations_as_of` or the default view to get one
    value per point."""
    day = since.date() if isinstance(since, datetime.datetime) else since
    ids = [r.id for r in releases_public() if release_published_on(r) > day]
    base = Observation.objects.all() if queryset is None else queryset
    return base.filter(release_id__in=ids, release__is_public=True)


@dataclass(frozen=True)
class Validity:
    valid_from: datetime.date
    valid_to: datetime.date | None  # None: still the current value of its point


def point_of(obs: Observation) -> Point:
    return (obs.series_id, obs.geography_id, obs.year, obs.sex, obs.age, obs.dimensions_key)


def observation_validity(observations: list[Observation]) -> dict[int, Validity]:
    """Validity of each observation (by id): from its release's publication day to the
    publication day of the next newer public release holding the same point. One query for
    the points of `observations` (callers bound the list: a page)."""
    if not observations:
        return {}
    releases = {r.id: r for r in releases_public()}
    points = {point_of(o) for o in observations}
    vintages: dict[Point, list[tuple[tuple[int, datetime.date, int], int, int]]] = {}
    siblings = Observation.objects.filter(
        series_id__in={p[0] for p in points},
        geography_id__in={p[1] for p in points},
        year__in={p[2] for p in points},
        release_id__in=releases.keys(),
    ).values_list("id", "release_id", *POINT_FIELDS)
    for obs_id, release_id, *key in siblings:
        point: Point = tuple(key)
        if point in points:
            rank = _rank(releases[release_id])
            vintages.setdefault(point, []).append((rank, obs_id, release_id))
    out: dict[int, Validity] = {}
    for entries in vintages.values():
        entries.sort()
        for index, (_rank_key, obs_id, release_id) in enumerate(entries):
            start = release_published_on(releases[release_id])
            end = None
            if index + 1 < len(entries):
                end = max(start, release_published_on(releases[entries[index + 1][2]]))
            out[obs_id] = Validity(valid_from=start, valid_to=end)
    return out
