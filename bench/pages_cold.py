#!/usr/bin/env python
"""Cold render time of the public pages: country profiles and indicator pages.

    .venv/bin/python bench/pages_cold.py                  # the configured database
    SDG87_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdg87 .venv/bin/python bench/pages_cold.py
    .venv/bin/python bench/pages_cold.py --repeat 9 --page /en/countries/NPL/

Needs a database with the bundled data loaded (`manage.py load_data`). Renders each page in
this process through the whole request stack (django.test.Client, DEBUG off), N times, and
prints per page the median and p95 render time (wall clock), the median CPU time of this
process (on PostgreSQL the server's own work is not in it), the median time spent in SQL as
Django measures it (wall clock, DEBUG-style capture) and the number of SQL queries, in two
modes:

  cold   every cache emptied before each request: the Django cache (page cache, default
         slices, chart SVGs) and the per-process chart memory; the chart store on disk
         (var/charts/, one file per spec hash, i.e. per chart and data version) is kept, as
         it is after the warm-up task that follows every data change;
  bare   the same, and the chart store emptied too (a fresh temporary SDG87_CHART_DIR for
         each request): no chart but the sparklines is drawn yet. This is the first request
         after a data change for a page the warm-up did not cover. The page does not wait
         for the chart engine (SDG87_CHART_DEFER, on outside tests): it shows such a chart as
         an image of /charts/<hash>.svg, whose first request draws it with vl-convert. The
         columns `charts` and `chart ms` count those images and time fetching them all after
         the page (what the browser does next, not part of the page's time).

One warm-up request per page is made first and not counted (imports, URL resolvers, the
JavaScript runtime of vl-convert). Times are wall clock on whatever machine runs it: say
whether it was shared when recording them (docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

DEFAULT_PAGES = [
    "/en/countries/KEN/",
    "/en/countries/NPL/",
    "/fr/countries/BGD/",
    "/en/indicators/SL_TLF_CHLDEA/",
    "/en/indicators/VC_HTF_DETV/",
    "/es/indicators/SP_DYN_MRBF18/",
]


# A chart shown as an image of the chart store because the page did not wait for it.
DEFERRED = re.compile(r'<div class="chart-svg"><img src="(/charts/[0-9a-f]{64}\.svg)"')


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--page", action="append", help="a path (repeatable)")
    parser.add_argument("--mode", choices=["cold", "bare", "both"], default="both")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sdg87.core.charts.render import memory_clear

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    pages = args.page or DEFAULT_PAGES
    modes = ["cold", "bare"] if args.mode == "both" else [args.mode]
    engine = connection.vendor
    print(f"database: {engine} ({settings.DATABASES['default']['NAME']}), repeat {args.repeat}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    kept_dir = settings.SDG87_CHART_DIR if getattr(settings, "SDG87_CHART_DIR", None) else None

    for path in pages:  # not counted: first imports, resolvers, the chart engine
        cache.clear()
        status = client.get(path).status_code
        if status != 200:
            print(f"{path}: HTTP {status} (data loaded?)")
            return 1

    print(
        f"{'mode':5} {'page':38} {'median ms':>9} {'p95 ms':>8} {'cpu ms':>7} {'sql ms':>7} "
        f"{'queries':>7} {'charts':>6} {'chart ms':>8}"
    )
    for mode in modes:
        for path in pages:
            times: list[float] = []
            cpu_times: list[float] = []
            sql_times: list[float] = []
            chart_times: list[float] = []
            queries = 0
            deferred = 0
            for _ in range(args.repeat):
                cache.clear()
                memory_clear()
                scratch = None
                if mode == "bare":
                    scratch = tempfile.mkdtemp(prefix="sdg87-charts-")
                    settings.SDG87_CHART_DIR = scratch
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    cpu_started = time.process_time()
                    response = client.get(path)
                    elapsed = (time.perf_counter() - started) * 1000
                    cpu_times.append((time.process_time() - cpu_started) * 1000)
                assert response.status_code == 200, (path, response.status_code)
                times.append(elapsed)
                queries = len(captured)
                sql_times.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
                # Charts the page did not wait for: the browser's image requests draw them.
                images = DEFERRED.findall(response.content.decode("utf-8"))
                deferred = len(images)
                if images:
                    started = time.perf_counter()
                    for src in images:
                        assert client.get(src).status_code == 200, src
                    chart_times.append((time.perf_counter() - started) * 1000)
                if scratch is not None:
                    settings.SDG87_CHART_DIR = kept_dir
                    shutil.rmtree(scratch, ignore_errors=True)
            print(
                f"{mode:5} {path:38} {statistics.median(times):9.0f} {_p95(times):8.0f} "
                f"{statistics.median(cpu_times):7.0f} {statistics.median(sql_times):7.0f} "
                f"{queries:7d} {deferred:6d} "
                f"{statistics.median(chart_times) if chart_times else 0:8.0f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
