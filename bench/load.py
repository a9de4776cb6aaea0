"""Load test of the multi-node layout (issue 15 item 6): a realistic mix for N concurrent users.

    .venv/bin/python bench/load.py [--users 50] [--duration 300]
        [--base http://127.0.0.1:8080]

Without --base it starts the cluster of tests/cluster/conftest.py (PostgreSQL copy of the
template, Redis database 13, two gunicorn nodes, nginx, one task worker) and loads nginx.

The load comes from locust (bench/locustfile.py) when var/bench-venv/bin/locust exists
(`.venv/bin/python -m venv var/bench-venv && var/bench-venv/bin/pip install locust==2.32.4`;
not in the project's lock: a bench tool only), otherwise (or with --threads) from a threaded
generator here. Each user waits 0.5-2 s between requests (locust's `between(0.5, 2)`); one user
in ten is a signed-in editor. The mix (weights):

    pages in en/fr/es: home 3, country profile 4, indicator page 3, dataset list 2
    API JSON: observations of one country 5, indicator list 1
    CSV download: every 8.7.1 observation as CSV 1
    search page 2
    editors: their datasets 3, a dataset page 2 (signed in, never cached)

Printed: per route the count, errors, p50, p95 and max in ms; the total error count (anything
but the expected status, or no answer). Results also go to var/bench/load-<time>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.cluster.conftest import PASSWORD, Browser, start_cluster  # noqa: E402

LOCUST = ROOT / "var" / "bench-venv" / "bin" / "locust"

LANGS = ("en", "fr", "es")
# Real countries of the bundled SDG 8.7.1 data.
COUNTRIES = ("KEN", "NPL", "BGD", "UGA", "PER", "LKA", "IND", "NGA", "BRA", "ETH", "MLI", "PAK")
TERMS = ("child labour", "travail des enfants", "trabajo infantil", "forced labour", "Nepal")

Route = tuple[str, Callable[[], str]]


def anonymous_routes() -> list[tuple[int, Route]]:
    def lang() -> str:
        return random.choice(LANGS)

    return [
        (3, ("page home", lambda: f"/{lang()}/")),
        (4, ("page country", lambda: f"/{lang()}/countries/{random.choice(COUNTRIES)}/")),
        (3, ("page indicator", lambda: f"/{lang()}/indicators/SL_TLF_CHLDEA/")),
        (2, ("page datasets", lambda: f"/{lang()}/datasets/")),
        (
            5,
            (
                "api observations",
                lambda: f"/api/v1/observations?indicator=8.7.1&country={random.choice(COUNTRIES)}",
            ),
        ),
        (1, ("api indicators", lambda: "/api/v1/indicators")),
        (1, ("csv download", lambda: "/api/v1/observations?indicator=8.7.1&format=csv")),
        (2, ("search", lambda: f"/{lang()}/search/?q={random.choice(TERMS)}")),
    ]


def pick(weighted: list[tuple[int, Route]]) -> Route:
    return random.choices([r for _w, r in weighted], weights=[w for w, _r in weighted])[0]


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}

    def add(self, route: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times[route].append(seconds)
            if error:
                self.errors[route] += 1
                self.samples.setdefault(route, error)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def user(base: str, stats: Stats, until: float, editor: dict[str, str] | None) -> None:
    anonymous = anonymous_routes()
    browser: Browser | None = None
    if editor is not None:
        browser = Browser()
        browser.sign_in(base, editor["username"])
        slugs = editor["slugs"].split(",")
        editor_routes: list[tuple[int, Route]] = [
            (3, ("editor my datasets", lambda: "/en/datasets/mine/")),
            (2, ("editor dataset page", lambda: f"/en/datasets/{random.choice(slugs)}/")),
        ]
    session = requests.Session()
    while time.monotonic() < until:
        time.sleep(random.uniform(0.5, 2.0))
        signed_in = browser is not None and random.random() < 0.5
        name, url = pick(editor_routes if signed_in else anonymous)
        started = time.monotonic()
        try:
            if signed_in and browser is not None:
                answer = browser.get(base + url())
            else:
                answer = session.get(base + url(), timeout=60, allow_redirects=False)
            _ = answer.content
            error = "" if answer.status_code == 200 else f"HTTP {answer.status_code} {url}"
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        stats.add(name, time.monotonic() - started, error)


def run(base: str, users: int, duration: float, editor: dict[str, str]) -> dict[str, object]:
    stats = Stats()
    until = time.monotonic() + duration
    threads = [
        threading.Thread(
            target=user, args=(base, stats, until, editor if i % 10 == 0 else None), daemon=True
        )
        for i in range(users)
    ]
    started = time.monotonic()
    for i, thread in enumerate(threads):
        thread.start()
        if i % 10 == 9:
            time.sleep(1)  # ramp up: ten users a second
    for thread in threads:
        thread.join(duration + 120)
    elapsed = time.monotonic() - started
    routes = {
        name: {
            "requests": len(times),
            "errors": stats.errors.get(name, 0),
            "p50_ms": round(percentile(times, 0.50) * 1000),
            "p95_ms": round(percentile(times, 0.95) * 1000),
            "max_ms": round(max(times) * 1000),
        }
        for name, times in sorted(stats.times.items())
    }
    total = sum(len(t) for t in stats.times.values())
    return {
        "generator": "threads",
        "users": users,
        "duration_s": round(elapsed),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "errors": sum(stats.errors.values()),
        "error_samples": stats.samples,
        "routes": routes,
    }


def run_locust(base: str, users: int, duration: float, editor: dict[str, str]) -> dict[str, object]:
    """bench/locustfile.py, headless, from var/bench-venv; its CSV statistics as run()'s."""
    prefix = ROOT / "var" / "bench" / "locust"
    prefix.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SDG87_LOAD_EDITOR": editor["username"],
        "SDG87_LOAD_PASSWORD": PASSWORD,
        "SDG87_LOAD_SLUGS": editor["slugs"],
    }
    command = [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    command += ["-u", str(users), "-r", "10", "-t", f"{int(duration)}s", "--host", base]
    command += ["--csv", str(prefix), "--only-summary", "--stop-timeout", "30"]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=False)
    elapsed = time.monotonic() - started
    routes: dict[str, dict[str, int]] = {}
    total = errors = 0
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                total, errors = int(row["Request Count"]), int(row["Failure Count"])
                continue
            routes[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50_ms": int(float(row["50%"] or 0)),
                "p95_ms": int(float(row["95%"] or 0)),
                "max_ms": int(float(row["Max Response Time"] or 0)),
            }
    samples: dict[str, str] = {}
    with open(f"{prefix}_failures.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            samples.setdefault(row["Name"], f"{row['Occurrences']}x {row['Error']}")
    return {
        "generator": "locust",
        "users": users,
        "duration_s": round(elapsed),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "errors": errors,
        "error_samples": samples,
        "routes": routes,
    }


def smoke(base: str) -> None:
    """One request of each anonymous route before the load: a cluster that fails them all
    (e.g. started without collected static files) stops the run here, not after 5 minutes."""
    failed = []
    for _weight, (name, url) in anonymous_routes():
        path = url()
        answer = requests.get(base + path, timeout=120, allow_redirects=False)
        if answer.status_code != 200:
            failed.append(f"{name} {path}: HTTP {answer.status_code}")
    if failed:
        raise SystemExit("the cluster fails before any load:\n  " + "\n  ".join(failed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--base", default="")
    parser.add_argument("--node-workers", type=int, default=3)
    parser.add_argument("--threads", action="store_true", help="the threaded generator")
    args = parser.parse_args()
    with ExitStack() as stack:
        base = args.base
        if base:
            editor = {"username": "zz_cluster_editor", "slugs": ""}
        else:
            cluster = stack.enter_context(start_cluster(workers=args.node_workers, warmup=True))
            base = cluster.front
            editor = {
                "username": cluster.seed["editor"],
                "slugs": ",".join(cluster.seed["approved"] + [cluster.seed["draft"]]),
            }
        smoke(base)
        print(f"{args.users} users for {args.duration:.0f} s against {base}", flush=True)
        if LOCUST.exists() and not args.threads:
            result = run_locust(base, args.users, args.duration, editor)
        else:
            result = run(base, args.users, args.duration, editor)
    header = ("route", "requests", "errors", "p50 ms", "p95 ms", "max ms")
    print("\n{:<22} {:>8} {:>6} {:>7} {:>7} {:>7}".format(*header))
    for name, row in result["routes"].items():  # type: ignore[attr-defined]
        print(
            f"{name:<22} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>7} "
            f"{row['p95_ms']:>7} {row['max_ms']:>7}"
        )
    print(
        f"\n{result['requests']} requests in {result['duration_s']} s "
        f"({result['requests_per_s']}/s), {result['errors']} errors"
    )
    for route, sample in result["error_samples"].items():  # type: ignore[attr-defined]
        print(f"  first error of {route}: {sample}")
    out = ROOT / "var" / "bench" / f"load-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
