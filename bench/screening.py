#!/usr/bin/env python
"""Sourcing-list screening benchmark: a SYNTHETIC 100,000-row list screened end to end.

    .venv/bin/python bench/screening.py                 # 100,000 rows, throwaway SQLite file
    .venv/bin/python bench/screening.py --rows 20000 --distinct 500

It never touches var/db.sqlite3 or any real database: it migrates a fresh temporary SQLite
file, loads the real countries, aliases and every bundled edition of the DOL List of Goods
(the load steps geo.countries, geo.aliases, assessments.dol_goods and what they need), then
writes a synthetic list (labelled "synthetic" in its supplier column) of --rows rows drawn
from --distinct (good, country) pairs: real DOL goods and countries typed the ways buyers type
them (exact, lower case, synonyms, plurals, typos, ISO codes, aliases), goods that are on no
edition, unknown places and empty cells. Seeded: the same arguments give the same list.

Timed, in one process (the task worker is one process):
- parse: reading and checking the CSV (screening_parser.parse_sourcing_list);
- reference: reading the listings, countries and synonyms (screening_reference);
- match: screening every row (each distinct pair matched once);
- run: the whole task (screening_services.screening_run: parse, reference, match, writing
  every row to the database in batches with progress, the summary).
The target (issue 13): 100,000 rows in <= 20 s on 2 cores. Prints rows/s.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("geo.countries", "geo.aggregates", "geo.aliases", "assessments.dol_goods")
UNKNOWN_GOODS = ("laptops", "office chairs", "printer paper", "solar panels", "bicycles")
UNKNOWN_PLACES = ("Atlantis", "Europe", "Various", "TBC")


def _variants(text: str, rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.4:
        return text
    if choice < 0.6:
        return text.lower()
    if choice < 0.7:
        return text.upper()
    if choice < 0.8 and len(text) > 5:  # a typo: one letter doubled
        i = rng.randrange(1, len(text) - 1)
        return text[:i] + text[i] + text[i:]
    if choice < 0.9:
        return text + "s" if not text.endswith("s") else text[:-1]
    return f"  {text} "


def synthetic_list(
    rows: int, distinct: int, goods: list[str], countries: list[tuple[str, str, str]], seed: int
) -> bytes:
    """A SYNTHETIC sourcing list (CSV bytes)."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(distinct):
        roll = rng.random()
        good = rng.choice(goods) if roll > 0.08 else rng.choice(UNKNOWN_GOODS)
        iso3, iso2, name = rng.choice(countries)
        country = rng.choice([name, name.lower(), iso3, iso2])
        if rng.random() < 0.03:
            country = rng.choice(UNKNOWN_PLACES)
        if rng.random() < 0.01:
            country = ""
        pairs.append((_variants(good, rng), country))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["good", "country", "supplier", "volume"])
    for i in range(rows):
        good, country = pairs[rng.randrange(len(pairs))]
        writer.writerow([good, country, f"synthetic supplier {i % 997}", rng.randint(1, 10_000)])
    return out.getvalue().encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=87)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-screening-"))
    os.environ["SDG87_DATABASE_URL"] = f"sqlite:///{tmp / 'screening.sqlite3'}"
    os.environ["SDG87_DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(ROOT))
    try:
        return _run(args, tmp)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # cleanup goes on
            pass
        shutil.rmtree(tmp, ignore_errors=True)


def _run(args: argparse.Namespace, tmp: Path) -> int:
    from django.conf import settings

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from sdg87.core.loading import all_steps, run_step
    from sdg87.supplychains.models import ScreeningRow
    from sdg87.supplychains.screening_parser import parse_sourcing_list
    from sdg87.supplychains.screening_selectors import screening_reference
    from sdg87.supplychains.screening_services import (
        screen_rows,
        screening_create,
        screening_run,
    )

    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        flush=True,
    )
    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    steps = {s.key: s for s in all_steps()}
    for key in STEPS:
        run_step(steps[key], data_dir=Path(settings.SDG87_DATA_DIR))
    print(f"  setup (migrate, load {', '.join(STEPS)}): {time.perf_counter() - t:.1f} s")

    reference = screening_reference()
    countries = sorted({(c.iso3, c.iso2, c.names[0]) for c in reference.countries})
    data = synthetic_list(args.rows, args.distinct, reference.goods, countries, args.seed)
    path = tmp / "list.csv"
    path.write_bytes(data)
    print(f"  synthetic list: {args.rows:,} rows, {len(data) / 2**20:.1f} MB, seed {args.seed}")

    t = time.perf_counter()
    parsed = parse_sourcing_list(path, "list.csv")
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    reference = screening_reference()
    reference_s = time.perf_counter() - t
    t = time.perf_counter()
    results = list(screen_rows(parsed.rows, reference))
    match_s = time.perf_counter() - t
    statuses: dict[str, int] = {}
    for _, result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1

    screening = screening_create(
        file=SimpleUploadedFile("list.csv", data), channel="api", session_key="", user=None
    )
    t, cpu = time.perf_counter(), time.process_time()
    assert screening_run(screening_id=screening.pk)
    run_s, run_cpu = time.perf_counter() - t, time.process_time() - cpu
    written = ScreeningRow.objects.filter(screening=screening).count()
    assert written == args.rows, written

    rows = len(parsed.rows)
    print(f"  parse:     {parse_s:6.2f} s  {rows / parse_s:>10,.0f} rows/s")
    print(f"  reference: {reference_s:6.2f} s")
    print(f"  match:     {match_s:6.2f} s  {rows / match_s:>10,.0f} rows/s")
    print(
        f"  run (task, rows written): {run_s:6.2f} s  {rows / run_s:>10,.0f} rows/s "
        f"(process CPU {run_cpu:.2f} s; load average {os.getloadavg()[0]:.1f})"
    )
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    target = 20.0 * args.rows / 100_000
    verdict = "within" if run_s <= target else "OVER"
    print(f"Screened {rows:,} rows in {run_s:.2f} s: {verdict} the {target:.0f} s target.")
    return 0 if run_s <= target else 1


if __name__ == "__main__":
    sys.exit(main())
