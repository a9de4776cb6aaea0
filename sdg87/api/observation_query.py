"""API v1 observations: the rows of one JSON page, with the SQL compiled once per filter shape.

Building the observations queryset and compiling it to SQL cost about 1.3 ms of CPU per
uncached answer, more than running the query (issue 15 item 2). The SQL depends only on the
shape of the filters (which filters are set, how many codes each list holds, the page size),
not on their values, so it is compiled once per shape and process: `observation_list` is
called with placeholder values, its SQL kept with the positions of those placeholders among
the parameters, and each later request of that shape only puts its own values in those
positions. The rows are exactly those of `observation_list(...).values_list(...)[:n]`
(test_observation_query); filters that this does not cover (as_of, include_history,
updated_after, dimensions) take the ordinary path.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models.expressions import Expression

from sdg87.api.observation_rows import OBSERVATION_COLUMNS, ObservationRow
from sdg87.geo.models import Geography
from sdg87.indicators.models import Indicator, Observation, Release
from sdg87.indicators.selectors import observation_list

# Placeholders: numbers and strings that are no constant of the query (its constants are
# booleans), each distinct, so their positions among the compiled parameters are unambiguous.
# They must lie within the column's integer range: Django drops (or empties) a comparison with
# an out-of-range number while compiling (`IntegerFieldOverflow`; PostgreSQL's ranges are
# 32-bit for ids, 16-bit for years). Ids: 1,000,000,000 up; years: 32,000 up.
_ID_BASE = 1_000_000_000
_YEAR_BASE = 32_000
_STR_PREFIX = "\x00sdg87-placeholder-"
# Requests whose numbers fall outside these go the ordinary way (Django decides what an
# out-of-range comparison means there).
_ID_RANGE = range(0, 2_147_483_648)
_YEAR_RANGE = range(-32_768, 32_768)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # (position in params, index of the request's value) for each placeholder
    slots: tuple[tuple[int, int], ...]
    # position in the row -> (converter functions, expression), as Django's compiler applies them
    converters: tuple[tuple[int, tuple[Any, ...], Expression], ...]


_compiled: dict[tuple[Any, ...], _Compiled] = {}
# Shapes kept per process at most (the page size and list lengths vary; a client trying many
# of them only makes this start over).
_COMPILED_MAX = 256


class _Placeholders:
    def __init__(self) -> None:
        self.counter = itertools.count()
        self.by_value: dict[int | str, int] = {}
        self.per_base: dict[int, int] = {}

    def number(self, base: int = _ID_BASE) -> int:
        index = next(self.counter)
        value = base + self.per_base.get(base, 0)
        self.per_base[base] = value - base + 1
        self.by_value[value] = index
        return value

    def text(self) -> str:
        index = next(self.counter)
        value = f"{_STR_PREFIX}{index}"
        self.by_value[value] = index
        return value


def _distinct(values: Collection[Any] | None) -> list[Any] | None:
    """The values as the SQL `IN` list holds them (Django drops duplicates and None)."""
    if values is None:
        return None
    return list(dict.fromkeys(v for v in values if v is not None))


def observation_page_rows(
    *,
    series_ids: Collection[int] | None,
    indicator: Indicator | None,
    geography_ids: Collection[int] | None,
    region: Geography | None,
    year_from: int | None,
    year_to: int | None,
    sex: Sequence[str],
    age: Sequence[str],
    release: Release | None,
    all_releases: bool,
    latest_year_only: bool,
    after_id: int | None,
    count: int,
) -> list[ObservationRow]:
    """At most `count` rows (OBSERVATION_COLUMNS) of `observation_list` with these filters,
    ordered by id: the same rows as `observation_list(...).values_list(...)[:count]`."""
    lists = [_distinct(series_ids), _distinct(geography_ids), _distinct(sex), _distinct(age)]
    ids = [*(lists[0] or ()), *(lists[1] or ()), *([after_id] if after_id is not None else ())]
    if (
        any(values is not None and not values for values in lists[:2])
        or any(not isinstance(value, int) or value not in _ID_RANGE for value in ids)
        or any(year is not None and year not in _YEAR_RANGE for year in (year_from, year_to))
    ):
        # An empty IN list (Django answers without a query) or an id out of range: leave
        # these to Django.
        return list(
            observation_list(
                series_ids=series_ids,
                indicator=indicator,
                geography_ids=geography_ids,
                region=region,
                year_from=year_from,
                year_to=year_to,
                sex=sex,
                age=age,
                release=release,
                all_releases=all_releases,
                latest_year_only=latest_year_only,
                after_id=after_id,
            ).values_list(*OBSERVATION_COLUMNS)[:count]
        )
    series_list, geo_list, sex_list, age_list = lists
    alias = router.db_for_read(Observation)
    values: list[Any] = [
        *(series_list or ()),
        *([indicator.pk] if indicator is not None else ()),
        *(geo_list or ()),
        *([region.pk] if region is not None else ()),
        *([year_from] if year_from is not None else ()),
        *([year_to] if year_to is not None else ()),
        *(sex_list or ()),
        *(age_list or ()),
        *([release.pk] if release is not None else ()),
        *([after_id] if after_id is not None else ()),
    ]
    shape = (
        alias,
        None if series_list is None else len(series_list),
        indicator is not None,
        None if geo_list is None else len(geo_list),
        region is not None,
        year_from is not None,
        year_to is not None,
        len(sex_list or ()),
        len(age_list or ()),
        release is not None,
        bool(all_releases),
        bool(latest_year_only),
        after_id is not None,
        count,
    )
    compiled = _compiled.get(shape)
    if compiled is None:
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        compiled = _compiled[shape] = _compile(shape, alias)
    params = list(compiled.params)
    for position, index in compiled.slots:
        params[position] = values[index]
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if not compiled.converters:
        return [tuple(row) for row in rows]
    # Converted once per distinct stored value (a page repeats a few `dimensions` texts; decoding
    # each row's JSON was a third of a 262-row answer). Rows of one answer may share the
    # decoded value: they are only serialised.
    out: list[ObservationRow] = []
    memo: dict[tuple[int, Any], Any] = {}
    for row in rows:
        cells = list(row)
        for position, functions, expression in compiled.converters:
            stored = cells[position]
            key = (position, stored)
            if key in memo:
                cells[position] = memo[key]
                continue
            value = stored
            for function in functions:
                value = function(value, expression, connection)
            cells[position] = memo[key] = value
        out.append(tuple(cells))
    return out


def _compile(shape: tuple[Any, ...], alias: str) -> _Compiled:
    """The SQL of one filter shape, with placeholders in place of the filter values."""
    (
        _alias,
        n_series,
        has_indicator,
        n_geo,
        has_region,
        has_year_from,
        has_year_to,
        n_sex,
        n_age,
        has_release,
        all_releases,
        latest_year_only,
        has_after,
        count,
    ) = shape
    p = _Placeholders()
    # The same order as `values` in observation_page_rows.
    series_ids = None if n_series is None else [p.number() for _ in range(n_series)]
    indicator = Indicator(pk=p.number()) if has_indicator else None
    geography_ids = None if n_geo is None else [p.number() for _ in range(n_geo)]
    region = Geography(pk=p.number()) if has_region else None
    year_from = p.number(_YEAR_BASE) if has_year_from else None
    year_to = p.number(_YEAR_BASE) if has_year_to else None
    sex = [p.text() for _ in range(n_sex)]
    age = [p.text() for _ in range(n_age)]
    release = Release(pk=p.number()) if has_release else None
    after_id = p.number() if has_after else None
    queryset = observation_list(
        series_ids=series_ids,
        indicator=indicator,
        geography_ids=geography_ids,
        region=region,
        year_from=year_from,
        year_to=year_to,
        sex=sex,
        age=age,
        release=release,
        all_releases=all_releases,
        latest_year_only=latest_year_only,
        after_id=after_id,
    ).values_list(*OBSERVATION_COLUMNS)[:count]
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    slots: list[tuple[int, int]] = []
    for position, param in enumerate(params):
        if isinstance(param, bool) or not isinstance(param, int | str):
            continue
        index = p.by_value.get(param)
        if index is not None:
            slots.append((position, index))
    found = {index for _position, index in slots}
    if found != set(p.by_value.values()):
        raise RuntimeError(f"observation query: placeholders lost in compiling shape {shape}")
    fields = [select[0] for select in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(fields)
    return _Compiled(
        sql=sql,
        params=tuple(params),
        slots=tuple(slots),
        converters=tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in sorted(converters.items())
        ),
    )
