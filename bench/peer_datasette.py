#!/usr/bin/env python
"""Side by side with a peer: the platform's observations API against Datasette, same question.

    .venv/bin/python bench/peer_datasette.py                      # fresh loaded SQLite db
    .venv/bin/python bench/peer_datasette.py --db sqlite:////path/loaded.sqlite3 --duration 10
    .venv/bin/python bench/peer_datasette.py --rounds 2 --no-cached

The question: Nepal's SDG 8.7.1 observations (6 rows), at 16 connections for N seconds;
with `--question history`, a country's history: every Nepal row of the UN SDG series both
sides hold (262 rows, one answer). `--baseline-root DIR` also serves another checkout (for
example `git archive <commit> | tar -x -C DIR`) uncached, for before/after in the same run.
- Datasette (installed with pip from PyPI into its own virtualenv, var/bench-venv, not the
  project's lock) serves one SQLite table built here from the bundled UN SDG Global Database
  files (data/unsd_sdg/*.csv: 8.7.1, 16.2.2 and 5.3.1, every row as published), in immutable
  mode (`datasette serve -i`), with indexes on `iso3` and `sdg_indicator` as
  `sqlite-utils create-index` would add them:
  `/<db>/observations.json?sdg_indicator=8.7.1&iso3=NPL&_shape=array`.
- The platform: gunicorn, 2 sync workers, production settings, anonymous API response cache
  OFF (SDG87_API_CACHE_SECONDS=0) and the anonymous time budget off (it would answer 429 to a
  load generator): `/api/v1/observations?indicator=8.7.1&country=NPL`, against the full
  platform database (every bundled data set, 220,000 observations), planner statistics
  refreshed as after a load. Optionally also with the cache on, for reference.

Both run on this machine in the same run, one after the other (with `--rounds`, alternately).
wrk is used when installed (`apt-get install wrk`), else a Python closed-loop client. Prints
requests/s, p50, p95 and p99 side by side and the server CPU per request (steadier than
latency on a shared machine). Targets (issue 15): platform uncached >= 1.5 x Datasette's
requests/s; p95 <= 20 ms at 16 connections with the cache off.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_load

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "var" / "bench-venv"
UNSD_FILES = sorted((ROOT / "data" / "unsd_sdg").glob("*.csv"))
PLATFORM_PATH = "/api/v1/observations?indicator=8.7.1&country=NPL"
PEER_DB = "unsd_sdg"
PEER_PATH = f"/{PEER_DB}/observations.json?sdg_indicator=8.7.1&iso3=NPL&_shape=array"
# A country's history (issue 15 item 2): every observation of Nepal in the UN SDG series both
# sides hold (the bundled UN SDG files: 262 rows), in one answer each.
UNSD_SERIES = (
    "VC_HTF_DETV,VC_HTF_DETVR,VC_HTF_DETVOP,VC_HTF_DETVOPR,VC_HTF_DETVFL,VC_HTF_DETVFLR,"
    "VC_HTF_DETVSX,VC_HTF_DETVSXR,SL_TLF_CHLDEA,SL_TLF_CHLDEC,SP_DYN_MRBF15,SP_DYN_MRBF18"
)
QUESTIONS = {
    "indicator": (PLATFORM_PATH, PEER_PATH),
    "history": (
        f"/api/v1/observations?country=NPL&series={UNSD_SERIES}&limit=1000",
        f"/{PEER_DB}/observations.json?iso3=NPL&_shape=array&_size=max",
    ),
}


def datasette_install() -> Path:
    """var/bench-venv/bin/datasette, installed from PyPI the first time."""
    exe = VENV / "bin" / "datasette"
    if not exe.exists():
        print(f"  installing datasette into {VENV} (pip, PyPI)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", "datasette"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    print(f"  {version.stdout.strip()}", flush=True)
    return exe


def peer_database_build(path: Path) -> int:
    """One `observations` table with every row of the bundled UN SDG files; returns rows."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE observations (id INTEGER PRIMARY KEY, series_code TEXT, "
        "series_description TEXT, sdg_indicator TEXT, geo_area_code_m49 TEXT, "
        "geo_area_name TEXT, iso3 TEXT, age_group TEXT, sex TEXT, nature TEXT, units TEXT, "
        "year INTEGER, value REAL)"
    )
    rows = 0
    for file in UNSD_FILES:
        with file.open(newline="", encoding="utf-8") as handle:
            batch = [
                (
                    r["series_code"],
                    r["series_description"],
                    r["sdg_indicator"],
                    r["geo_area_code_m49"],
                    r["geo_area_name"],
                    r["iso3"],
                    r["age_group"],
                    r["sex"],
                    r["nature"],
                    r["units"],
                    int(r["year"]),
                    float(r["value"]) if r["value"] not in ("", "NaN") else None,
                )
                for r in csv.DictReader(handle)
            ]
        db.executemany(
            "INSERT INTO observations (series_code, series_description, sdg_indicator, "
            "geo_area_code_m49, geo_area_name, iso3, age_group, sex, nature, units, year, "
            "value) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            batch,
        )
        rows += len(batch)
    db.execute("CREATE INDEX idx_observations_iso3 ON observations (iso3)")
    db.execute("CREATE INDEX idx_observations_sdg_indicator ON observations (sdg_indicator)")
    db.execute("ANALYZE")
    db.commit()
    db.close()
    return rows


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, _body, _headers = api_load._get(url)
            if status == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server for {url} did not start")
        time.sleep(0.3)


def _gunicorn(
    env: dict[str, str], port: int, log: Path, workers: int, root: Path = ROOT
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=root,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _measure(
    url: str, pid: int, *, wrk: str | None, connections: int, duration: int
) -> dict[str, Any]:
    for _ in range(5):  # warm each worker's connection and caches
        api_load._get(url)
    cpu_before = api_load._server_cpu_seconds(pid)
    if wrk:
        result = api_load._wrk(wrk, url, connections=connections, duration=duration, gzip_ok=False)
    else:
        result = api_load._python_load(
            url, connections=connections, duration=duration, gzip_ok=False
        )
    cpu = api_load._server_cpu_seconds(pid) - cpu_before
    result["server_cpu_ms_per_request"] = cpu * 1000 / max(result["requests"], 1)
    result["loadavg_1min"] = os.getloadavg()[0]
    return result


def _rows(url: str) -> int:
    status, body, _headers = api_load._get(url)
    if status != 200:
        raise RuntimeError(f"{url}: status {status}")
    data = json.loads(body)
    return len(data["results"] if isinstance(data, dict) else data)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SDG87_DATABASE_URL of an already loaded platform database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the servers N times")
    parser.add_argument("--no-cached", action="store_true", help="skip the cache-on reference")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--question",
        action="append",
        choices=sorted(QUESTIONS),
        help="indicator: Nepal's 8.7.1 (6 rows, default); history: Nepal's UN SDG series "
        "(262 rows). Repeatable.",
    )
    parser.add_argument(
        "--baseline-root",
        type=Path,
        help="another checkout (e.g. `git archive <commit>` unpacked) also served uncached, "
        "same database and settings, for before/after figures in the same run",
    )
    args = parser.parse_args()
    duration = max(1, min(args.duration, 120))
    connections = max(1, min(args.connections, 64))
    workers = max(1, min(args.workers, 8))

    tmp = Path(tempfile.mkdtemp(prefix="sdg87-bench-peer-"))
    print("Preparing:", flush=True)
    datasette = datasette_install()
    peer_db = tmp / f"{PEER_DB}.db"
    peer_rows = peer_database_build(peer_db)
    print(f"  {peer_db.name}: {peer_rows} rows from {len(UNSD_FILES)} UN SDG files", flush=True)

    db_url = args.db or f"sqlite:///{tmp / 'platform.sqlite3'}"
    env = api_load._env(db_url)
    env.update({"SDG87_API_CACHE_SECONDS": "0", "SDG87_API_ANON_SECONDS": "0"})
    api_load._manage(env, "migrate", "--noinput", "--verbosity", "0")
    if not args.db:
        api_load._manage(env, "load_data")
    api_load._manage(
        env,
        "shell",
        "-c",
        "from sdg87.core.db_stats import database_statistics_refresh as r; r()",
    )
    api_load._manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    wrk = None if args.python_client else api_load._ensure_wrk()

    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    questions = args.question or ["indicator"]
    try:
        port = api_load._free_port()
        peer = subprocess.Popen(
            [
                str(datasette),
                "serve",
                "-i",
                str(peer_db),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=(tmp / "datasette.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        bases: dict[str, tuple[subprocess.Popen[bytes], str]] = {
            "Datasette (immutable)": (peer, f"http://127.0.0.1:{port}")
        }
        port = api_load._free_port()
        uncached = _gunicorn(env, port, tmp / "gunicorn.log", workers)
        bases["platform, API cache off"] = (uncached, f"http://127.0.0.1:{port}")
        if args.baseline_root:
            port = api_load._free_port()
            before = _gunicorn(
                env, port, tmp / "gunicorn-baseline.log", workers, root=args.baseline_root
            )
            bases["baseline checkout, API cache off"] = (before, f"http://127.0.0.1:{port}")
        if not args.no_cached:
            cached_env = dict(env, SDG87_API_CACHE_SECONDS="300")
            port = api_load._free_port()
            cached = _gunicorn(cached_env, port, tmp / "gunicorn-cached.log", workers)
            bases["platform, API cache on"] = (cached, f"http://127.0.0.1:{port}")
        for question in questions:
            platform_path, peer_path = QUESTIONS[question]
            for label, (process, base) in bases.items():
                path = peer_path if label.startswith("Datasette") else platform_path
                servers[f"{label} [{question}]"] = (process, base + path)
        for process, url in servers.values():
            _wait(url, process)
        print(
            f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
            f"{connections} connections, {duration} s per measurement, "
            f"{'wrk' if wrk else 'python client'}; gunicorn {workers} sync workers",
            flush=True,
        )
        for label, (_process, url) in servers.items():
            print(f"  {label}: {url} -> {_rows(url)} rows", flush=True)

        results: dict[str, list[dict[str, Any]]] = {label: [] for label in servers}
        for _round in range(max(1, args.rounds)):
            for label, (process, url) in servers.items():
                results[label].append(
                    _measure(url, process.pid, wrk=wrk, connections=connections, duration=duration)
                )
    finally:
        for process in {id(p): p for p, _url in servers.values()}.values():
            _stop(process)

    print(
        "\n| | requests/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req "
        "| wrk CPU ms/req | KB/answer | load avg |"
        "\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for label, runs in results.items():
        for run in runs:
            print(
                f"| {label} | {run['rps']:.0f} | {run['p50_ms']:.1f} | {run['p95_ms']:.1f} | "
                f"{run['p99_ms']:.1f} | {run['errors']} | "
                f"{run['server_cpu_ms_per_request']:.2f} | "
                f"{run.get('client_cpu_ms_per_request', float('nan')):.2f} | "
                f"{run['bytes_per_request'] / 1000:.0f} | {run['loadavg_1min']:.1f} |"
            )
    ratios = {}
    for question in questions:
        peer_rps = max(r["rps"] for r in results[f"Datasette (immutable) [{question}]"])
        ours = results[f"platform, API cache off [{question}]"]
        ratio = ratios[question] = max(r["rps"] for r in ours) / peer_rps
        p95 = min(r["p95_ms"] for r in ours)
        print(
            f"\n[{question}] platform uncached / Datasette requests/s: {ratio:.2f} x "
            f"(target >= 1.5); platform uncached p95 {p95:.1f} ms (target <= 20 ms)"
        )
    if args.json:
        args.json.write_text(json.dumps({"results": results, "ratio": ratios}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
