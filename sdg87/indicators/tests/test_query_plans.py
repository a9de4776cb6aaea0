"""Query plans of the main observation reads, on the bundled real data (issue 15, item 2).

The SQL is the real one: every query the API, the page selectors and the progress analysis run
is captured while they run, and each one that reads `indicators_observation` is explained by
the database in use (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN (FORMAT JSON)`) after
the planner statistics were refreshed as after a load (`database_statistics_refresh`). A plan
fails when it reads the observations table in full (a table scan, or a walk of a whole index
with no condition on it, such as the primary key in id order) or through an index that leads
with the low-selectivity `is_latest`. Small tables may be scanned.

Only queries whose (first) FROM is the observations table are judged. Left out: the lookup of series
by code, whose `Series.objects.public()` checks with `OR EXISTS (... observations ... LIMIT
1)` that a contributed series has a public value; PostgreSQL plans that EXISTS as an
early-exit Seq Scan, but runs it only for contributed series (`owner_id IS NULL` is tested
first), and the API resolves it once per data version (`observation_filter_resolve`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdg87.core.db_stats import database_statistics_refresh
from sdg87.geo.models import Geography
from sdg87.indicators import selectors
from sdg87.indicators.analysis_selectors import progress_list
from sdg87.indicators.models import Series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

TABLE = "indicators_observation"
OBS = "/api/v1/observations"


def _leading_is_latest_indexes() -> set[str]:
    """Indexes of the observations table whose first column is `is_latest`."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return {
        name
        for name, info in constraints.items()
        if info["index"] and info["columns"] and info["columns"][0] == "is_latest"
    }


def sqlite_plan_problems(details: list[str], bad_indexes: set[str]) -> list[str]:
    """The steps of a SQLite `EXPLAIN QUERY PLAN` that read the observations table badly:
    `SCAN` (the whole table or a whole index) or `SEARCH` through a low-selectivity index."""
    problems = []
    for detail in details:
        words = detail.split()
        if TABLE not in words:
            continue
        if words[0] == "SCAN" or any(f"INDEX {name} " in f"{detail} " for name in bad_indexes):
            problems.append(detail)
    return problems


def postgresql_plan_problems(plan: dict[str, Any], bad_indexes: set[str]) -> list[str]:
    """The nodes of a PostgreSQL JSON plan that read the observations table badly: a Seq Scan,
    an index scan without an index condition (a walk of the whole index), or a scan of a
    low-selectivity index."""
    problems = []

    def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        yield node
        for child in node.get("Plans", []):
            yield from walk(child)

    for node in walk(plan):
        kind = node["Node Type"]
        index = node.get("Index Name", "")
        if kind == "Seq Scan" and node.get("Relation Name") == TABLE:
            problems.append(f"Seq Scan on {TABLE}")
        elif index in bad_indexes:
            problems.append(f"{kind} using {index}")
        elif (
            kind in ("Index Scan", "Index Only Scan")
            and node.get("Relation Name") == TABLE
            and "Index Cond" not in node
        ):
            problems.append(f"{kind} using {index} without a condition")
    return problems


def test_sqlite_plan_problems_flag_scans_and_the_is_latest_index():
    """A full scan of the observations table, a walk of one of its indexes, and a search
    through the is_latest index are problems; searches by series or place and scans of
    other tables are not."""
    bad = {"indicators_observation_is_latest_f1f321ff"}
    assert sqlite_plan_problems(
        [
            "SCAN indicators_observation",
            "SCAN indicators_observation USING INDEX obs_release_series",
            "SEARCH indicators_observation USING INDEX indicators_observation_is_latest_f1f321ff"
            " (is_latest=?)",
            "SEARCH indicators_observation USING INDEX obs_series_geo_latest (series_id=?)",
            "SCAN indicators_series",
            "SEARCH indicators_release USING INTEGER PRIMARY KEY (rowid=?)",
        ],
        bad,
    ) == [
        "SCAN indicators_observation",
        "SCAN indicators_observation USING INDEX obs_release_series",
        "SEARCH indicators_observation USING INDEX indicators_observation_is_latest_f1f321ff"
        " (is_latest=?)",
    ]


def test_postgresql_plan_problems_flag_seq_scans_and_unbounded_index_walks():
    """Seq Scan of observations, an index walk without Index Cond (the primary key in id order)
    and the is_latest index are problems; an index search and a Seq Scan of a small table are
    not."""
    plan = {
        "Node Type": "Nested Loop",
        "Plans": [
            {"Node Type": "Seq Scan", "Relation Name": "indicators_series"},
            {"Node Type": "Seq Scan", "Relation Name": TABLE},
            {
                "Node Type": "Index Scan",
                "Relation Name": TABLE,
                "Index Name": "indicators_observation_pkey",
            },
            {
                "Node Type": "Bitmap Index Scan",
                "Index Name": "indicators_observation_is_latest_f1f321ff",
                "Index Cond": "(is_latest = true)",
            },
            {
                "Node Type": "Index Scan",
                "Relation Name": TABLE,
                "Index Name": "obs_series_geo_latest",
                "Index Cond": "(series_id = 3)",
            },
        ],
    }
    assert postgresql_plan_problems(plan, {"indicators_observation_is_latest_f1f321ff"}) == [
        f"Seq Scan on {TABLE}",
        "Index Scan using indicators_observation_pkey without a condition",
        "Bitmap Index Scan using indicators_observation_is_latest_f1f321ff",
    ]


def _explain(sql: str, bad_indexes: set[str]) -> tuple[str, list[str]]:
    """(the plan as text, its problems) of one captured query."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            return json.dumps(plan, indent=1), postgresql_plan_problems(plan, bad_indexes)
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        details = [row[-1] for row in cursor.fetchall()]
        return "\n".join(details), sqlite_plan_problems(details, bad_indexes)


def _captured(run: Callable[[], object]) -> list[str]:
    """The SELECTs reading the observations table while `run` runs (a streamed export's
    server-side cursor on PostgreSQL is logged as `DECLARE ... CURSOR ... FOR SELECT`)."""
    with CaptureQueriesContext(connection) as captured:
        run()
    found = []
    for query in captured.captured_queries:
        sql = query["sql"].lstrip()
        if sql.upper().startswith("DECLARE") and " FOR SELECT " in sql:
            sql = sql[sql.index(" FOR SELECT ") + len(" FOR ") :]
        if sql.upper().startswith("SELECT") and sql.split(" FROM ", 1)[-1].startswith(f'"{TABLE}"'):
            found.append(sql)
    return found


def _api(client: Any, query: str) -> Callable[[], object]:
    def run() -> object:
        response = client.get(f"{OBS}?{query}")
        assert response.status_code == 200, response.content[:300]
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content

    return run


def _reads() -> dict[str, Callable[[], object]]:
    """The page and analysis reads, called as the country, indicator and progress pages do."""
    series = Series.objects.get(code="SL_TLF_CHLDEA")
    kenya = Geography.objects.get(iso3="KEN")
    nepal = Geography.objects.get(iso3="NPL")
    return {
        "country page: series of a place": lambda: selectors.geography_series_coverage(
            geography=kenya
        ),
        "country page: observations by series": lambda: selectors.observations_by_series(
            series_ids=[series.pk], geography_ids=[kenya.pk, nepal.pk]
        ),
        "indicator page: newest per place": lambda: selectors.observation_newest_by_geography(
            series=series, sex="_T", age="Y5T17"
        ),
        "indicator page: timelines": lambda: selectors.observation_timelines(
            series=series, geography_ids=[kenya.pk, nepal.pk], sex="_T", age="Y5T17"
        ),
        "indicator page: places with years": lambda: selectors.series_geography_years(
            series=series, sex="_T", age="Y5T17", countries=True
        ),
        "series summary": lambda: selectors.series_summary(series=series),
        "progress": lambda: progress_list(series=series),
    }


API_QUERIES = {
    "API: country history (indicator)": "indicator=8.7.1&country=NPL",
    "API: country history (series)": "series=SL_TLF_CHLDEA&country=BGD",
    "API: indicator x year, all places": "indicator=8.7.1&year_from=2019&year_to=2019",
    "API: newest year of a country": "indicator=8.7.1&country=NPL&latest=true",
    "API: a place over a period": "country=KEN&year_from=2015&year_to=2020",
    "API: one series as CSV": "series=VC_HTF_DETV&format=csv",
}


def test_main_observation_queries_use_selective_indexes(client):
    """With statistics refreshed as after a load, no main observation query reads the
    observations table in full or through the is_latest index alone (the plan of
    `observations?indicator=8.7.1&country=NPL` walked most of the table before)."""
    database_statistics_refresh()
    # An answer cached by an earlier test of this process (same data version) reads nothing.
    cache.clear()
    bad_indexes = _leading_is_latest_indexes()
    runs = {name: _api(client, query) for name, query in API_QUERIES.items()} | _reads()
    failures = []
    explained = 0
    for name, run in runs.items():
        queries = _captured(run)
        assert queries, f"{name}: no query read {TABLE}"
        for sql in queries:
            plan, problems = _explain(sql, bad_indexes)
            explained += 1
            if problems:
                failures.append(f"{name}: {problems}\n{sql}\n{plan}")
    assert not failures, "\n\n".join(failures)
    assert explained >= len(runs)
