#!/usr/bin/env python
"""A hundred times the data: a SYNTHETIC database of N observations, loaded and queried.

    .venv/bin/python bench/scale.py --engine sqlite --rows 1000000
    .venv/bin/python bench/scale.py --engine postgres --pg-name bench_scale_x --keep  # 10 M
    .venv/bin/python bench/scale.py --engine postgres --pg-name bench_scale_x --reuse --keep
    .venv/bin/python bench/scale.py --pg-name bench_scale_x --clean   # drop it and the templates

SYNTHETIC DATA, FOR MEASUREMENT ONLY. The skeleton is real (the bundled countries, regions,
indicators, series, sources and releases: the geography and statistics load steps), every
observation value is generated (seeded pseudo-random numbers), and the sources and releases
are retitled "[SYNTHETIC bench/scale.py] ..." in this database. It is built in a database of
its own, `--pg-name` (default `sdg87_scale_synthetic`) on PostgreSQL or a file named
`sdg87-scale-synthetic.sqlite3` under a temporary directory on SQLite; the script refuses to
run against the configured database (SDG87_DATABASE_URL or the default under var/), and drops
its database at the end unless `--keep`. The migrated, skeleton-loaded empty database is built
once into a template (PostgreSQL `<name>_template`, SQLite a file in the temp directory) keyed
on the migration files and copied for each run; `--clean` drops it.

Measured, per engine:
- bulk load of the observations: COPY ... FREEZE after TRUNCATE on PostgreSQL, batched
  executemany on SQLite (load pragmas on the synthetic file only), keys, indexes and
  (PostgreSQL) foreign keys dropped during the load and built after it, each build timed,
  statistics refreshed (sdg87.core.db_stats) - no per-row `full_clean`: the generator only
  makes valid rows; loader CPU and (PostgreSQL) server process CPU;
- the observations API uncached (response cache off, in process through Django's test
  client, one request at a time): a country's history (indicator 8.7.1 for one country,
  all of it and one breakdown, p50/p95 over many countries), indicator x year across all
  places (first page), with the plan of each question's observation query;
- the country history over HTTP at 16 connections (gunicorn, wrk; `--connections 0`: not);
- a CSV export of about 1,000,000 rows as one stream: rows/s (wall, per CPU second of this
  process and with the PostgreSQL server process's), the RSS sampled every 100,000 rows
  (flat means constant memory);
- a country page with every cache empty, and the progress analysis of one series.
Targets (issue 15, 2 cores): 10 M rows loaded <= 5 min on PostgreSQL; country history p95
<= 30 ms; CSV >= 100,000 rows/s with flat memory.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import resource
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # api_load (wrk, gunicorn CPU)
PG_NAME = "sdg87_scale_synthetic"  # --pg-name; its template is PG_NAME + TEMPLATE_SUFFIX
SQLITE_NAME = "sdg87-scale-synthetic.sqlite3"
TEMPLATE_SUFFIX = "_template"
SYNTHETIC = "[SYNTHETIC bench/scale.py] "
SKELETON_STEPS = [
    "geo.countries",
    "geo.aggregates",
    "indicators.unsd_8_7_1",
    "indicators.unsd_16_2_2",
    "indicators.unsd_5_3_1",
    "indicators.ge_child_labour",
    "indicators.ge_modern_slavery",
    "indicators.gsi_2023",
    "indicators.unsd_8_7_1_history",
]
YEARS = list(range(2024, 1989, -1))
BREAKDOWNS = [
    (sex, age) for age in ("Y5T17", "_T", "Y5T11", "Y12T14", "Y15T17") for sex in ("_T", "F", "M")
]
# (dimensions JSON, dimensions_key): the total, then urban and rural (as the UN SDG database's
# "Location"), so that 54 real (series, release) pairs x 298 places hold ten million distinct
# points (35 years x 15 breakdowns alone give 8.4 million).
DIMENSIONS = [
    ("{}", ""),
    ('{"location": "URBAN"}', "location=URBAN"),
    ('{"location": "RURAL"}', "location=RURAL"),
]
COLUMNS = (
    "series_id",
    "geography_id",
    "release_id",
    "year",
    "sex",
    "age",
    "dimensions",
    "dimensions_key",
    "value",
    "unit",
    "nature",
    "note",
    "is_latest",
)
CSV_ROWS = 1_000_000


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _configured_database_url() -> str:
    """What the project would use without this script (SDG87_DATABASE_URL or its default)."""
    if os.environ.get("SDG87_DATABASE_URL"):
        return os.environ["SDG87_DATABASE_URL"]
    return f"sqlite:///{ROOT / 'var' / 'sdg87.sqlite3'}"


def target_url(engine: str, workdir: Path, pg_name: str = PG_NAME) -> str:
    """The synthetic database's URL; refuses anything that could be the configured one."""
    if engine == "postgres":
        url = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    else:
        url = f"sqlite:///{workdir / SQLITE_NAME}"
    configured = _configured_database_url()
    if url.rstrip("/") == configured.rstrip("/") or configured.rstrip("/").endswith(
        pg_name if engine == "postgres" else SQLITE_NAME
    ):
        raise SystemExit(f"refusing: {url} is the configured database")
    return url


def template_key() -> str:
    """What the migrated, skeleton-loaded template depends on: every migration file and the
    skeleton's load steps (not the rest of the code: the template would be rebuilt on every
    edit of the shared tree; delete it with --clean after changing a load step's data)."""
    digest = hashlib.sha256(" ".join(SKELETON_STEPS).encode())
    for path in sorted(ROOT.glob("sdg87/*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Production settings with a cache of the process's own (the project's file cache under var/
# is shared with whoever runs the project here: emptying it for cold pages must not touch it)
# and static files without the collectstatic manifest.
SETTINGS = """from config.settings.production import *  # noqa: F403
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {**STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""


def _env(db_url: str) -> dict[str, str]:
    settings_dir = Path(tempfile.gettempdir()) / "sdg87-scale-settings"
    settings_dir.mkdir(exist_ok=True)
    (settings_dir / "sdg87_scale_settings.py").write_text(SETTINGS)
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "sdg87_scale_settings",
            "SDG87_SECRET_KEY": secrets.token_urlsafe(50),
            "SDG87_SECURE_SSL_REDIRECT": "false",
            "SDG87_SITE_URL": "https://bench.sdg87.example.org",
            "SDG87_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SDG87_DATABASE_URL": db_url,
            "SDG87_LOG_LEVEL": "ERROR",
            "SDG87_API_CACHE_SECONDS": "0",
            "SDG87_API_ANON_SECONDS": "0",
        }
    )
    return env


def _pg(sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _sqlite_template(key: str) -> Path:
    return Path(tempfile.gettempdir()) / f"sdg87-scale-template-{key}.sqlite3"


def prepare(engine: str, db_url: str, pg_name: str = PG_NAME) -> dict[str, Any]:
    """A fresh database with the schema and the real skeleton. Built once (migrations and load
    steps in a subprocess, exactly as `make run` does) into a template keyed on the migrations
    (`template_key`), then copied for each run: PostgreSQL `CREATE DATABASE ... TEMPLATE`, a
    file copy on SQLite. Migrating an empty PostgreSQL database took 12 minutes on a busy
    machine; the copy takes seconds."""
    key = template_key()
    started = time.perf_counter()
    if engine == "postgres":
        template = pg_name + TEMPLATE_SUFFIX
        _pg(f"DROP DATABASE IF EXISTS {pg_name}")
        comment = _pg(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            f"WHERE datname = '{template}'"
        )
        if comment != f"bench/scale.py template {key}":
            _pg(f"DROP DATABASE IF EXISTS {template}")
            _pg(f"CREATE DATABASE {template}")
            _build(db_url.rsplit("/", 1)[0] + f"/{template}")
            _pg(f"COMMENT ON DATABASE {template} IS 'bench/scale.py template {key}'")
            built = True
        else:
            built = False
        _pg(f"CREATE DATABASE {pg_name} TEMPLATE {template}")
    else:
        template_file = _sqlite_template(key)
        built = not template_file.exists()
        if built:
            partial = template_file.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            _build(f"sqlite:///{partial}")
            with sqlite3.connect(partial) as db:  # one self-contained file to copy
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                db.execute("PRAGMA journal_mode=DELETE")
            db.close()
            partial.rename(template_file)
        shutil.copyfile(template_file, db_url.removeprefix("sqlite:///"))
    seconds = round(time.perf_counter() - started, 1)
    print(f"  template {key} ({'built' if built else 'reused'}): {seconds} s", flush=True)
    return {"template_key": key, "template_built": built, "prepare_s": seconds}


def clean(pg_name: str) -> None:
    """Drop the synthetic database and its template (PostgreSQL) and the template files
    (SQLite)."""
    for name in (pg_name, pg_name + TEMPLATE_SUFFIX):
        _pg(f"DROP DATABASE IF EXISTS {name}")
    for path in Path(tempfile.gettempdir()).glob("sdg87-scale-template-*.sqlite3*"):
        path.unlink()
    shutil.rmtree(Path(tempfile.gettempdir()) / "sdg87-scale-settings", ignore_errors=True)
    print(f"dropped {pg_name}, its template and the SQLite template files", flush=True)


def _build(db_url: str) -> None:
    env = _env(db_url)
    for args in (
        ["migrate", "--noinput", "--verbosity", "0"],
        ["load_data", *[f"--only={key}" for key in SKELETON_STEPS]],
    ):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"  manage.py {args[0]}: {time.perf_counter() - t:.1f} s", flush=True)


def django_setup(db_url: str) -> None:
    env = _env(db_url)
    os.environ.update(env)
    sys.path[:0] = env["PYTHONPATH"].split(os.pathsep)
    import django

    django.setup()


def synthetic_rows(total: int, seed: int = 87) -> tuple[Iterator[tuple[Any, ...]], dict[str, Any]]:
    """(rows of COLUMNS, description): the real (series, release) pairs of the skeleton times
    every geography, filled with years and breakdowns until `total` rows; the newest release
    of each series holds the newest value of each point (`is_latest`)."""
    from sdg87.geo.models import Geography
    from sdg87.indicators.models import Observation, Release, Series, release_rank

    pairs = sorted(set(Observation.all_objects.values_list("series_id", "release_id").order_by()))
    releases = {r.id: r for r in Release.objects.all()}
    units = dict(Series.objects.values_list("id", "unit"))
    newest: dict[int, int] = {}
    for series_id, release_id in pairs:
        r = releases[release_id]
        best = newest.get(series_id)
        if best is None or release_rank(r.year, r.released_on, r.id) > release_rank(
            releases[best].year, releases[best].released_on, best
        ):
            newest[series_id] = release_id
    geos = list(Geography.objects.order_by("id").values_list("id", flat=True))
    combos = [
        (year, sex, age, dims, key)
        for dims, key in DIMENSIONS
        for sex, age in BREAKDOWNS
        for year in YEARS
    ]
    per_cell = -(-total // (len(pairs) * len(geos)))
    if per_cell > len(combos):
        raise SystemExit(f"at most {len(pairs) * len(geos) * len(combos):,} distinct rows")
    description = {
        "series_release_pairs": len(pairs),
        "series": len(newest),
        "geographies": len(geos),
        "points_per_geography_and_pair": per_cell,
    }

    def rows() -> Iterator[tuple[Any, ...]]:
        rng = random.Random(seed)
        made = 0
        for geo in geos:
            for series_id, release_id in pairs:
                latest = newest[series_id] == release_id
                unit = units.get(series_id) or "PERCENT"
                base = rng.uniform(1, 40)
                for year, sex, age, dims, key in combos[:per_cell]:
                    if made >= total:
                        return
                    value = round(base + rng.gauss(0, 2) - (year - 2000) * 0.1, 2)
                    yield (
                        series_id,
                        geo,
                        release_id,
                        year,
                        sex,
                        age,
                        dims,
                        key,
                        value,
                        unit,
                        "E",
                        "",
                        latest,
                    )
                    made += 1

    return rows(), description


def _observation_ddl(connection: Any) -> tuple[list[str], list[str]]:
    """(drop, create): the observation table's indexes and, on PostgreSQL, its primary key,
    unique and foreign-key constraints, to drop before the load and build after it (primary
    key, unique, indexes, then the foreign keys, which are checked against the table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'indicators_observation'::regclass "
                "AND contype IN ('p', 'u', 'f') ORDER BY array_position('{p,u,f}', contype::text)"
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'indicators_observation'"
            )
            constraint_names = {name for name, _def in constraints}
            indexes = [(n, d) for n, d in cursor.fetchall() if n not in constraint_names]
            drop = [
                f'ALTER TABLE indicators_observation DROP CONSTRAINT "{n}"' for n, _ in constraints
            ] + [f'DROP INDEX "{n}"' for n, _ in indexes]
            add = [
                f'ALTER TABLE indicators_observation ADD CONSTRAINT "{n}" {d}'
                for n, d in constraints
            ]
            keys = [a for a in add if "FOREIGN KEY" not in a]
            create = keys + [d for _, d in indexes] + [a for a in add if a not in keys]
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                "tbl_name = 'indicators_observation' AND sql IS NOT NULL"
            )
            found = cursor.fetchall()
            drop = [f'DROP INDEX "{n}"' for n, _ in found]
            create = [sql for _, sql in found]
    return drop, create


def _copy_postgres(connection: Any, rows: Iterator[tuple[Any, ...]], unlogged: bool) -> int:
    """COPY the rows (text format, 100,000 rows a write) into the emptied table; FREEZE (the
    table was truncated in this transaction): the rows are written frozen and all-visible, so
    neither a later VACUUM nor the first reads rewrite their pages, and index-only scans work
    at once."""
    loaded = 0
    with connection.connection.cursor() as cursor:
        if unlogged:
            cursor.execute("ALTER TABLE indicators_observation SET UNLOGGED")
        with cursor.copy(
            f"COPY indicators_observation ({', '.join(COLUMNS)}) FROM STDIN WITH (FREEZE)"
        ) as copy:
            lines: list[str] = []
            for r in rows:
                lines.append(
                    f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\t{r[5]}\t{r[6]}\t{r[7]}\t"
                    f"{r[8]}\t{r[9]}\t{r[10]}\t\t{'t' if r[12] else 'f'}\n"
                )
                if len(lines) == 100_000:
                    copy.write("".join(lines))
                    loaded += len(lines)
                    lines = []
            copy.write("".join(lines))
            loaded += len(lines)
    return loaded


def _insert_sqlite(connection: Any, rows: Iterator[tuple[Any, ...]]) -> int:
    """executemany, 100,000 rows a call, all in the load's one transaction."""
    insert = (
        f"INSERT INTO indicators_observation ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(COLUMNS))})"
    )
    loaded = 0
    while batch := list(itertools.islice(rows, 100_000)):
        connection.connection.executemany(insert, batch)
        loaded += len(batch)
    return loaded


# For the synthetic file only, during its load: no rollback journal, no fsync, a 1 GB page
# cache and sorts for the index builds in memory. The project's own database keeps its
# settings (WAL, synchronous=NORMAL: config/settings/base.py); WAL is restored after the load.
SQLITE_LOAD_PRAGMAS = (
    "PRAGMA journal_mode = OFF",
    "PRAGMA synchronous = OFF",
    "PRAGMA cache_size = -1000000",
    "PRAGMA temp_store = MEMORY",
)


def bulk_load(total: int, *, unlogged: bool = False) -> dict[str, Any]:
    """Replace the skeleton's observations by `total` synthetic ones; timings."""
    from django.db import connection, transaction

    from sdg87.core.db_stats import database_statistics_refresh
    from sdg87.indicators.models import Release, Source

    rows, description = synthetic_rows(total)
    drop, create = _observation_ddl(connection)
    postgres = connection.vendor == "postgresql"
    started, cpu0 = time.perf_counter(), time.process_time()
    if not postgres:
        connection.ensure_connection()
        for pragma in SQLITE_LOAD_PRAGMAS:
            connection.connection.execute(pragma)
    steps: dict[str, float] = {}
    backend_cpu0 = _backend_cpu(connection)
    with transaction.atomic():
        with connection.cursor() as cursor:
            if postgres:
                # TRUNCATE (not DELETE) in this transaction allows COPY ... FREEZE.
                cursor.execute("TRUNCATE indicators_observation")
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            else:
                cursor.execute("DELETE FROM indicators_observation")
            for statement in drop:
                cursor.execute(statement)
        for model in (Source, Release):
            for obj in model.objects.all():
                obj.title = SYNTHETIC + obj.title.removeprefix(SYNTHETIC)
                model.objects.filter(pk=obj.pk).update(title=obj.title)
        if postgres:
            loaded = _copy_postgres(connection, rows, unlogged)
        else:
            loaded = _insert_sqlite(connection, rows)
        copied = time.perf_counter() - started
        cpu_rows = time.process_time() - cpu0
        backend_cpu_rows = _backend_cpu(connection)
        with connection.cursor() as cursor:
            if unlogged and postgres:
                t = time.perf_counter()
                cursor.execute("ALTER TABLE indicators_observation SET LOGGED")
                steps["SET LOGGED"] = round(time.perf_counter() - t, 1)
            for statement in create:
                t = time.perf_counter()
                cursor.execute(statement)
                label = statement.split(" ON ")[0] if "INDEX" in statement else statement[:90]
                steps[label] = round(time.perf_counter() - t, 1)
        indexed = time.perf_counter() - started
    database_statistics_refresh()
    wall = time.perf_counter() - started
    backend_cpu = _backend_cpu(connection)
    if not postgres:  # back to the project's settings for the measurements
        connection.connection.execute("PRAGMA journal_mode = WAL")
        connection.connection.execute("PRAGMA synchronous = NORMAL")
        connection.connection.execute("PRAGMA cache_size = -2000")
    return {
        **description,
        "rows": loaded,
        "unlogged_during_load": unlogged and postgres,
        "rows_and_indexes_s": round(indexed, 1),
        "rows_only_s": round(copied, 1),
        "loader_cpu_rows_only_s": round(cpu_rows, 1),
        "index_and_constraint_steps_s": steps,
        "analyze_s": round(wall - indexed, 1),
        "total_s": round(wall, 1),
        "cpu_s": round(time.process_time() - cpu0, 1),
        # PostgreSQL: the server process of the load (not its parallel index build workers)
        "server_cpu_rows_only_s": round(backend_cpu_rows - backend_cpu0, 1),
        "server_cpu_s": round(backend_cpu - backend_cpu0, 1),
        "rows_per_s": round(loaded / wall),
    }


def _backend_cpu(connection: Any) -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL server process so far
    (same machine); 0 on SQLite, whose work is in this process."""
    return _pid_cpu(_backend_pid(connection))


def _backend_pid(connection: Any) -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _pid_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def measure_api(samples: int) -> dict[str, Any]:
    from django.test import Client

    from sdg87.geo.models import Geography

    client = Client()
    countries = list(
        Geography.objects.filter(kind="country").order_by("id").values_list("iso3", flat=True)
    )
    rng = random.Random(8)
    out: dict[str, Any] = {}
    for label, queries in {
        # All of a country's 8.7.1 points: at 10 M rows a full first page (1,000 of 1,244
        # rows: 622 points per series and place), so mostly the cost of serialising 1,000 rows.
        "country_history": [
            f"indicator=8.7.1&country={rng.choice(countries)}" for _ in range(samples)
        ],
        # One breakdown of it (both sexes, 5-17), as a chart asks: years x 3 locations x 2 series.
        "country_history_one_breakdown": [
            f"indicator=8.7.1&country={rng.choice(countries)}&sex=_T&age=Y5T17"
            for _ in range(samples)
        ],
        "indicator_year_all_places": [
            f"indicator=8.7.1&year_from={y}&year_to={y}"
            for y in (rng.choice(YEARS) for _ in range(max(10, samples // 4)))
        ],
    }.items():
        try:
            out[label] = _measure_question(client, queries)
        except Exception as exc:  # report, do not lose the other question
            traceback.print_exc()
            out[label] = {"error": repr(exc)[:300]}
        out[label]["plan"] = _plan(client, queries[0])
    return out


def _measure_question(client: Any, queries: list[str]) -> dict[str, Any]:
    client.get(f"/api/v1/observations?{queries[0]}")  # warm the process
    times, rows = [], []
    cpu0 = time.process_time()
    for query in queries:
        t = time.perf_counter()
        response = client.get(f"/api/v1/observations?{query}")
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.content[:200]
        rows.append(len(response.json()["results"]))
    return {
        "requests": len(times),
        # CPU of this process (Django and, on SQLite, the database) per request: steadier
        # than the latency on a shared machine.
        "cpu_ms_per_request": round((time.process_time() - cpu0) * 1000 / len(times), 1),
        "rows_per_answer_median": sorted(rows)[len(rows) // 2],
        "p50_ms": round(_pct(times, 50), 1),
        "p95_ms": round(_pct(times, 95), 1),
        "max_ms": round(max(times), 1),
    }


def _plan(client: Any, query: str) -> list[str]:
    """The plan of the observation query of one request: EXPLAIN (ANALYZE, BUFFERS) on
    PostgreSQL, EXPLAIN QUERY PLAN on SQLite."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/api/v1/observations?{query}")
        found = [q["sql"] for q in captured.captured_queries]
        sql = next(q for q in found if 'FROM "indicators_observation"' in q)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [" ".join(str(c) for c in row) for row in cursor.fetchall()][:25]
    except Exception as exc:
        return [f"no plan: {exc!r}"[:300]]


def measure_csv(limit_rows: int) -> dict[str, Any]:
    """Stream one CSV export of about `limit_rows` rows (series chosen whole, release=all)."""
    from django.db.models import Count
    from django.test import Client

    from sdg87.indicators.models import Observation

    counts = (
        Observation.objects.order_by()
        .values_list("series__code")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    chosen, expected = [], 0
    for code, n in counts:  # the largest series that fit, up to about limit_rows in all
        if expected + n <= limit_rows * 1.1:
            chosen.append(code)
            expected += n
    client = Client()
    url = f"/api/v1/observations?series={','.join(chosen)}&release=all&format=csv"
    rss = [round(_rss_mb())]
    from django.db import connection

    backend = _backend_pid(connection)
    server0 = _pid_cpu(backend)
    started, cpu0 = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200
    lines = 0
    size = 0
    next_mark = 100_000
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        lines += chunk.count(b"\n")
        size += len(chunk)
        if lines >= next_mark:
            rss.append(round(_rss_mb()))
            next_mark += 100_000
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    server_cpu = _pid_cpu(backend) - server0
    rows = lines - 1
    return {
        "url": url,
        "rows": rows,
        "mb": round(size / 1e6),
        "seconds": round(wall, 1),
        "rows_per_s": round(rows / wall),
        # Rows per CPU second of this process (Django; and SQLite), then with the PostgreSQL
        # server process's CPU for the same export added.
        "cpu_rows_per_s": round(rows / cpu),
        "server_cpu_s": round(server_cpu, 1),
        "cpu_rows_per_s_with_server": round(rows / (cpu + server_cpu)),
        "rss_mb_every_100k_rows": rss,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def measure_pages() -> dict[str, Any]:
    """A country page with the caches emptied before each render, and the progress analysis
    of one series; best effort (a page may need data the skeleton lacks)."""
    from django.core.cache import cache
    from django.test import Client

    from sdg87.indicators.analysis_selectors import progress_list
    from sdg87.indicators.models import Series

    out: dict[str, Any] = {}
    client = Client()
    times = []
    for iso3 in ("NPL", "KEN", "BGD", "PER", "UGA"):
        cache.clear()
        t = time.perf_counter()
        response = client.get(f"/en/countries/{iso3}/")
        times.append((time.perf_counter() - t) * 1000)
        out.setdefault("country_page_status", set()).add(response.status_code)
    out["country_page_status"] = sorted(out["country_page_status"])
    out["country_page_ms"] = [round(t) for t in times]
    series = Series.objects.get(code="SL_TLF_CHLDEA")
    t = time.perf_counter()
    found = progress_list(series=series)
    out["progress_SL_TLF_CHLDEA_ms"] = round((time.perf_counter() - t) * 1000)
    out["progress_geographies"] = len(found)
    return out


def _countries(engine: str, db_url: str) -> list[str]:
    sql = "SELECT iso3 FROM geo_geography WHERE kind = 'country' ORDER BY id"
    if engine == "postgres":
        return _pg_in(db_url.rsplit("/", 1)[1], sql).split()
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
        found = [iso3 for (iso3,) in db.execute(sql)]
    db.close()
    return found


def _pg_in(database: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qAt", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


HTTP_QUESTIONS = {
    "country_history": "indicator=8.7.1&country={}",
    "country_history_one_breakdown": "indicator=8.7.1&country={}&sex=_T&age=Y5T17",
}


def _history_lua(countries: list[str], query: str, path: Path) -> Path:
    """A wrk script whose requests walk a shuffled list of every country, reporting p95."""
    path.write_text(
        "local paths = {"
        + ",".join(f'"/api/v1/observations?{query.format(c)}"' for c in countries)
        + "}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
        + '  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n'
        + (Path(__file__).resolve().parent / "wrk_report.lua").read_text()
    )
    return path


def measure_http(
    engine: str, db_url: str, *, connections: int, duration: int, workers: int
) -> dict[str, Any]:
    """Country history over HTTP: gunicorn (sync workers, production settings, response cache
    off) on the synthetic database, wrk with `connections` connections, each request a random
    country's 8.7.1 history (all of it, then one breakdown)."""
    import api_load

    wrk = api_load._ensure_wrk()
    if not wrk:
        return {"error": "wrk not installed"}
    countries = _countries(engine, db_url)
    random.Random(16).shuffle(countries)
    workdir = Path(tempfile.mkdtemp(prefix="sdg87-scale-http-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--worker-class", "sync", "--timeout", "60", "--log-level", "warning"]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=_env(db_url),
        stdout=(workdir / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {"connections": connections, "gunicorn_sync_workers": workers}
    try:
        for _ in range(300):
            try:
                status, _body, _h = api_load._get(f"{base}/api/v1/observations?indicator=8.7.1")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        for label, query in HTTP_QUESTIONS.items():
            for country in countries[:20]:  # each worker's connection and per-process lookups
                api_load._get(f"{base}/api/v1/observations?{query.format(country)}")
            lua = _history_lua(countries, query, workdir / f"{label}.lua")
            cpu0 = api_load._server_cpu_seconds(server.pid)
            load0 = os.getloadavg()[0]
            wrk_args = ["-t", "2", "-c", str(connections), "-d", f"{duration}s"]
            run = subprocess.run(
                [wrk, *wrk_args, "--timeout", "10s", "-s", str(lua), base],
                capture_output=True,
                text=True,
                timeout=duration + 60,
                check=True,
            )
            cpu = api_load._server_cpu_seconds(server.pid) - cpu0
            line = next(ln for ln in run.stdout.splitlines() if ln.startswith("WRKJSON "))
            raw = json.loads(line[len("WRKJSON ") :])
            out[label] = {
                "seconds": duration,
                "requests": raw["requests"],
                "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6)),
                "p50_ms": round(raw["p50_us"] / 1000, 1),
                "p95_ms": round(raw["p95_us"] / 1000, 1),
                "p99_ms": round(raw["p99_us"] / 1000, 1),
                "errors": sum(v for k, v in raw.items() if k.startswith("err_")),
                "gunicorn_cpu_ms_per_request": round(cpu * 1000 / max(raw["requests"], 1), 2),
                "loadavg_before_after": [round(load0, 1), round(os.getloadavg()[0], 1)],
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    return out


def run_engine(engine: str, args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="sdg87-scale-"))
    db_url = target_url(engine, workdir, args.pg_name)
    print(f"\n== {engine}: {args.rows:,} SYNTHETIC observations in {db_url}", flush=True)
    if args.reuse:
        if engine != "postgres":
            raise SystemExit("--reuse: PostgreSQL only (the SQLite file is in a new temp dir)")
        prepared: dict[str, Any] = {"reused_loaded_database": True}
    else:
        prepared = prepare(engine, db_url, args.pg_name)
    try:
        # Load and in-process measurements run in a child process configured for the
        # synthetic database.
        command = [sys.executable, __file__, "--child", engine, "--db-url", db_url]
        command += ["--rows", str(args.rows), "--samples", str(args.samples)]
        command += ["--unlogged"] if args.unlogged else []
        command += ["--load-only"] if args.load_only else []
        command += ["--reuse"] if args.reuse else []
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        sys.stderr.write(result.stderr[-3000:])
        line = next(ln for ln in result.stdout.splitlines()[::-1] if ln.startswith("SCALEJSON "))
        figures: dict[str, Any] = {**prepared, **json.loads(line[len("SCALEJSON ") :])}
        if args.connections and not args.load_only:
            figures["http_country_history"] = measure_http(
                engine,
                db_url,
                connections=args.connections,
                duration=args.duration,
                workers=args.workers,
            )
            print(f"  http: {figures['http_country_history']}", flush=True)
        if engine == "postgres":
            figures["database_size_mb"] = round(
                int(_pg(f"SELECT pg_database_size('{args.pg_name}')")) / 1e6
            )
        else:
            figures["database_size_mb"] = round((workdir / SQLITE_NAME).stat().st_size / 1e6)
    finally:
        if engine == "postgres":
            shutil.rmtree(workdir, ignore_errors=True)  # (empty: the database is on the server)
            if not args.keep:
                _pg(f"DROP DATABASE IF EXISTS {args.pg_name}")
        elif not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return figures


def child(engine: str, args: argparse.Namespace) -> None:
    if args.db_url.rstrip("/") == _configured_database_url().rstrip("/"):
        raise SystemExit("refusing: the configured database")
    django_setup(args.db_url)
    figures: dict[str, Any] = {"engine": engine, "loadavg_at_start": os.getloadavg()[0]}
    print("  loading ...", file=sys.stderr, flush=True)
    if not args.reuse:
        figures["load"] = load = bulk_load(args.rows, unlogged=args.unlogged)
        print(f"  load: {load}", file=sys.stderr, flush=True)
    if not args.load_only:
        for label, measure in (
            ("api", lambda: measure_api(args.samples)),
            ("csv", lambda: measure_csv(min(CSV_ROWS, args.rows))),
            ("pages", measure_pages),
        ):
            try:
                figures[label] = measure()
            except Exception as exc:  # report, do not lose the other figures
                traceback.print_exc()
                figures[label] = {"error": repr(exc)[:300]}
            print(f"  {label}: {figures[label]}", file=sys.stderr, flush=True)
    figures["loadavg_at_end"] = os.getloadavg()[0]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures["child_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)
    print("SCALEJSON " + json.dumps(figures), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--samples", type=int, default=200, help="API requests per question")
    parser.add_argument("--pg-name", default=PG_NAME, help="PostgreSQL database to build")
    parser.add_argument(
        "--unlogged", action="store_true", help="PostgreSQL: load UNLOGGED, then SET LOGGED"
    )
    parser.add_argument("--load-only", action="store_true", help="measure the load only")
    parser.add_argument(
        "--reuse", action="store_true", help="PostgreSQL: measure a database kept by --keep"
    )
    parser.add_argument(
        "--connections", type=int, default=16, help="wrk connections for country history (0: no)"
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic database")
    parser.add_argument(
        "--clean", action="store_true", help="drop the synthetic database and the templates"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return 0
    if args.clean:
        clean(args.pg_name)
        return 0
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    print(
        f"bench/scale.py: SYNTHETIC data, {args.rows:,} rows; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    results = [run_engine(e, args) for e in engines]
    for figures in results:
        print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
