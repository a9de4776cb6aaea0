#!/usr/bin/env python
"""A hundred times the data: a SYNTHETIC database of N observations, loaded and queried.

    .venv/bin/python bench/scale.py --engine sqlite --rows 1000000
    .venv/bin/python bench/scale.py --engine postgres                # 10,000,000 rows
    .venv/bin/python bench/scale.py --engine both --rows 10000000 --json /tmp/scale.json

SYNTHETIC DATA, FOR MEASUREMENT ONLY. The skeleton is real (the bundled countries, regions,
indicators, series, sources and releases: the geography and statistics load steps), every
observation value is generated (seeded pseudo-random numbers), and the sources and releases
are retitled "[SYNTHETIC bench/scale.py] ..." in this database. It is built in a database of
its own, `sdg87_scale_synthetic` on PostgreSQL or a file named
`sdg87-scale-synthetic.sqlite3` under a temporary directory on SQLite; the script refuses to
run against the configured database (SDG87_DATABASE_URL or the default under var/), and drops
its database at the end unless `--keep`.

Measured, per engine:
- bulk load of the observations: COPY on PostgreSQL, batched executemany on SQLite, indexes
  and (PostgreSQL) foreign keys dropped during the load and built after it, statistics
  refreshed (sdg87.core.db_stats) - no per-row `full_clean`: the generator only makes
  valid rows;
- the observations API uncached (response cache off, in process through Django's test
  client, one request at a time): a country's history (indicator 8.7.1 for one country,
  p50/p95 over many countries), indicator x year across all places (first page);
- a CSV export of up to 1,000,000 rows as one stream: rows/s and the process's RSS sampled
  every 100,000 rows (flat means constant memory);
- a country page with every cache empty, and the progress analysis of one series.
Targets (issue 15, 2 cores): 10 M rows loaded <= 5 min on PostgreSQL; country history p95
<= 30 ms; CSV >= 100,000 rows/s with flat memory.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_NAME = "sdg87_scale_synthetic"
SQLITE_NAME = "sdg87-scale-synthetic.sqlite3"
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


def target_url(engine: str, workdir: Path) -> str:
    """The synthetic database's URL; refuses anything that could be the configured one."""
    if engine == "postgres":
        url = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    else:
        url = f"sqlite:///{workdir / SQLITE_NAME}"
    configured = _configured_database_url()
    if url.rstrip("/") == configured.rstrip("/") or configured.rstrip("/").endswith(
        PG_NAME if engine == "postgres" else SQLITE_NAME
    ):
        raise SystemExit(f"refusing: {url} is the configured database")
    return url


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


def _pg(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(engine: str, db_url: str) -> None:
    """A fresh database with the schema and the real skeleton (a subprocess: migrations and
    load steps run exactly as `make run` does)."""
    if engine == "postgres":
        _pg(f"DROP DATABASE IF EXISTS {PG_NAME}")
        _pg(f"CREATE DATABASE {PG_NAME}")
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
    combos = [(year, sex, age) for sex, age in BREAKDOWNS for year in YEARS]
    per_cell = min(len(combos), -(-total // (len(pairs) * len(geos))))
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
                for year, sex, age in combos[:per_cell]:
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
                        "{}",
                        "",
                        value,
                        unit,
                        "E",
                        "",
                        latest,
                    )
                    made += 1

    return rows(), description


def _observation_ddl(connection: Any) -> list[str]:
    """CREATE statements of the observation table's indexes (and, on PostgreSQL, its
    unique and foreign-key constraints), to rebuild them after the load."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'indicators_observation'::regclass AND contype IN ('u', 'f')"
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                "'indicators_observation' AND indexname NOT LIKE '%pkey'"
            )
            constraint_names = {name for name, _def in constraints}
            indexes = [(n, d) for n, d in cursor.fetchall() if n not in constraint_names]
            drop = [
                f'ALTER TABLE indicators_observation DROP CONSTRAINT "{n}"' for n, _ in constraints
            ] + [f'DROP INDEX "{n}"' for n, _ in indexes]
            create = [d for _, d in indexes] + [
                f'ALTER TABLE indicators_observation ADD CONSTRAINT "{n}" {d}'
                for n, d in constraints
            ]
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                "tbl_name = 'indicators_observation' AND sql IS NOT NULL"
            )
            found = cursor.fetchall()
            drop = [f'DROP INDEX "{n}"' for n, _ in found]
            create = [sql for _, sql in found]
    return [*drop, "--", *create]


def bulk_load(total: int) -> dict[str, Any]:
    """Replace the skeleton's observations by `total` synthetic ones; timings."""
    from django.db import connection, transaction

    from sdg87.core.db_stats import database_statistics_refresh
    from sdg87.indicators.models import Release, Source

    rows, description = synthetic_rows(total)
    ddl = _observation_ddl(connection)
    split = ddl.index("--")
    drop, create = ddl[:split], ddl[split + 1 :]
    started, cpu0 = time.perf_counter(), time.process_time()
    loaded = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM indicators_observation")
            for statement in drop:
                cursor.execute(statement)
        for model in (Source, Release):
            for obj in model.objects.all():
                obj.title = SYNTHETIC + obj.title.removeprefix(SYNTHETIC)
                model.objects.filter(pk=obj.pk).update(title=obj.title)
        raw = connection.connection
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                with cursor.copy(
                    f"COPY indicators_observation ({', '.join(COLUMNS)}) FROM STDIN"
                ) as copy:
                    buffer = io.StringIO()
                    for row in rows:
                        buffer.write(
                            f"{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\t{row[4]}\t{row[5]}\t{{}}\t"
                            f"\t{row[8]}\t{row[9]}\t{row[10]}\t\t{'t' if row[12] else 'f'}\n"
                        )
                        loaded += 1
                        if loaded % 100_000 == 0:
                            copy.write(buffer.getvalue())
                            buffer = io.StringIO()
                    copy.write(buffer.getvalue())
        else:
            insert = (
                f"INSERT INTO indicators_observation ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(COLUMNS))})"
            )
            raw.execute("PRAGMA cache_size = -200000")
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 50_000:
                    raw.executemany(insert, batch)
                    loaded += len(batch)
                    batch = []
            raw.executemany(insert, batch)
            loaded += len(batch)
        copied = time.perf_counter() - started
        with connection.cursor() as cursor:
            for statement in create:
                cursor.execute(statement)
        indexed = time.perf_counter() - started
    database_statistics_refresh()
    wall = time.perf_counter() - started
    return {
        **description,
        "rows": loaded,
        "rows_and_indexes_s": round(indexed, 1),
        "rows_only_s": round(copied, 1),
        "analyze_s": round(wall - indexed, 1),
        "total_s": round(wall, 1),
        "cpu_s": round(time.process_time() - cpu0, 1),
        "rows_per_s": round(loaded / wall),
    }


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
        "country_history": [
            f"indicator=8.7.1&country={rng.choice(countries)}" for _ in range(samples)
        ],
        "indicator_year_all_places": [
            f"indicator=8.7.1&year_from={y}&year_to={y}"
            for y in (rng.choice(YEARS) for _ in range(max(10, samples // 4)))
        ],
    }.items():
        client.get(f"/api/v1/observations?{queries[0]}")  # warm the process
        times, rows = [], []
        cpu0 = time.process_time()
        for query in queries:
            t = time.perf_counter()
            response = client.get(f"/api/v1/observations?{query}")
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.content[:200]
            rows.append(len(response.json()["results"]))
        out[label] = {
            "requests": len(times),
            # CPU of this process (Django and, on SQLite, the database) per request: steadier
            # than the latency on a shared machine.
            "cpu_ms_per_request": round((time.process_time() - cpu0) * 1000 / len(times), 1),
            "rows_per_answer_median": sorted(rows)[len(rows) // 2],
            "p50_ms": round(_pct(times, 50), 1),
            "p95_ms": round(_pct(times, 95), 1),
            "max_ms": round(max(times), 1),
        }
    return out


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
    for code, n in counts:
        if expected >= limit_rows:
            break
        chosen.append(code)
        expected += n
    client = Client()
    url = f"/api/v1/observations?series={','.join(chosen)}&release=all&format=csv"
    rss = [round(_rss_mb())]
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
    rows = lines - 1
    return {
        "url": url,
        "rows": rows,
        "mb": round(size / 1e6),
        "seconds": round(wall, 1),
        "rows_per_s": round(rows / wall),
        "cpu_rows_per_s": round(rows / (time.process_time() - cpu0)),
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


def run_engine(engine: str, rows: int, samples: int, keep: bool) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="sdg87-scale-"))
    db_url = target_url(engine, workdir)
    print(f"\n== {engine}: {rows:,} SYNTHETIC observations in {db_url}", flush=True)
    prepare(engine, db_url)
    # The measurements run in a child process configured for the synthetic database.
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            engine,
            "--rows",
            str(rows),
            "--samples",
            str(samples),
            "--db-url",
            db_url,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(result.stderr[-3000:])
    if not keep:
        if engine == "postgres":
            _pg(f"DROP DATABASE IF EXISTS {PG_NAME}")
        else:
            (workdir / SQLITE_NAME).unlink(missing_ok=True)
    line = next(ln for ln in result.stdout.splitlines()[::-1] if ln.startswith("SCALEJSON "))
    return json.loads(line[len("SCALEJSON ") :])


def child(engine: str, rows: int, samples: int, db_url: str) -> None:
    if db_url.rstrip("/") == _configured_database_url().rstrip("/"):
        raise SystemExit("refusing: the configured database")
    django_setup(db_url)
    figures: dict[str, Any] = {"engine": engine, "loadavg_at_start": os.getloadavg()[0]}
    print("  loading ...", file=sys.stderr, flush=True)
    figures["load"] = load = bulk_load(rows)
    print(f"  load: {load}", file=sys.stderr, flush=True)
    figures["api"] = measure_api(samples)
    print(f"  api: {figures['api']}", file=sys.stderr, flush=True)
    figures["csv"] = measure_csv(min(CSV_ROWS, rows))
    print(f"  csv: {figures['csv']}", file=sys.stderr, flush=True)
    try:
        figures["pages"] = measure_pages()
    except Exception as exc:  # best effort: report, do not lose the other figures
        figures["pages"] = {"error": repr(exc)[:300]}
    print(f"  pages: {figures['pages']}", file=sys.stderr, flush=True)
    figures["loadavg_at_end"] = os.getloadavg()[0]
    print("SCALEJSON " + json.dumps(figures), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--samples", type=int, default=200, help="API requests per question")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic database")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, args.samples, args.db_url)
        return 0
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    print(
        f"bench/scale.py: SYNTHETIC data, {args.rows:,} rows; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    results = [run_engine(e, args.rows, args.samples, args.keep) for e in engines]
    for figures in results:
        print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
