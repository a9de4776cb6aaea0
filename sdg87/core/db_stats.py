"""Planner statistics after a data load.

The query planners choose among the observation indexes by what they know of the table:
without statistics SQLite guesses that every index is equally selective, and PostgreSQL's
autovacuum runs its ANALYZE only some time after a bulk load. `database_statistics_refresh`
is called once after the loads (`sdg87.core.loading.load_all`, `bench/scale.py`), so the
first request after a new release is already planned with the new row counts. It lives in core
(it names the tables, it imports no app) so that the data load can call it without an import
cycle through indicators.
"""

from __future__ import annotations

from django.db import connections

# Tables whose row counts decide the plans of the observation queries.
ANALYZED_TABLES = (
    "indicators_observation",
    "indicators_series",
    "indicators_indicator",
    "indicators_release",
    "indicators_source",
    "geo_geography",
)
# SQLite reads at most this many index rows per index (PRAGMA analysis_limit): approximate
# statistics in milliseconds, even at ten million observations, and good enough to choose.
SQLITE_ANALYSIS_LIMIT = 2000


def database_statistics_refresh(*, using: str = "default") -> None:
    """Refresh the planner statistics of the observation tables (SQLite: ANALYZE with an
    analysis limit; PostgreSQL: ANALYZE of each table)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [t for t in ANALYZED_TABLES if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
