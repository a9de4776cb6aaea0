#!/usr/bin/env python
"""HTTP load benchmark of the API and the public pages under gunicorn (loopback only).

    .venv/bin/python bench/api_load.py                       # fresh loaded SQLite db, wrk
    .venv/bin/python bench/api_load.py --duration 5 --workers 2
    .venv/bin/python bench/api_load.py --db sqlite:////path/loaded.sqlite3
    .venv/bin/python bench/api_load.py --python-client       # no wrk: bounded Python client

Starts gunicorn (sync workers, production settings, DEBUG off, WhiteNoise with hashed and
precompressed static files) on a free port of 127.0.0.1 against a database loaded with the
bundled data, then measures, each for a bounded duration:
  (i)   one country's full 8.7.1 history as JSON at 16 connections;
  (ii)  a CSV export of at least 10,000 rows;
  (iii) the home page and a country profile at 16 connections (gzip accepted), plus the
        compressed bytes of each page and of what it loads (without the optional chart script).
Reports requests/s and p50/p95/p99 latency. wrk (Debian package) is used when present; it is
installed with apt-get when missing and we run as root; otherwise a Python client is used.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WRK_LUA = Path(__file__).resolve().parent / "wrk_report.lua"

HISTORY = "/api/v1/observations?series=SL_TLF_CHLDEA&country=BGD"
CSV_CANDIDATES = [
    "/api/v1/observations?series=VC_HTF_DETV&format=csv",
    "/api/v1/observations?indicator=16.2.2&format=csv",
    "/api/v1/observations?indicator=16.2.2&release=all&format=csv",
]
PAGES = {"home": "/en/", "country profile (BGD)": "/en/countries/BGD/"}
# Optional progressive-enhancement chart scripts, excluded from the page-weight budget.
OPTIONAL_ASSET = re.compile(r"vega|charts\.[0-9a-f.]*js|charts\.js")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SDG87_SECRET_KEY": secrets.token_urlsafe(50),
            "SDG87_SECURE_SSL_REDIRECT": "false",
            "SDG87_SITE_URL": "https://bench.sdg87.example.org",
            "SDG87_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SDG87_DATABASE_URL": db_url,
            "SDG87_LOG_LEVEL": "ERROR",
        }
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  manage.py {' '.join(args)}: {time.perf_counter() - t:.1f} s", flush=True)


def _get(url: str, *, gzip_ok: bool = False) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url)
    if gzip_ok:
        request.add_header("Accept-Encoding", "gzip")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("  installing wrk (apt-get install -y wrk)", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not shutil.which("wrk"):
            subprocess.run(
                ["apt-get", "update", "-qq"],
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "wrk"],
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    return shutil.which("wrk")


def _wrk(wrk: str, url: str, *, connections: int, duration: int, gzip_ok: bool) -> dict[str, Any]:
    cmd = [
        wrk,
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_LUA),
        url,
    ]
    if gzip_ok:
        cmd[1:1] = ["-H", "Accept-Encoding: gzip"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # wrk's own CPU (it shares the 2 cores with the server): what the server could not use
    client_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON "))
    raw = json.loads(line[len("WRKJSON ") :])
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in raw if k.startswith("err_"))
    return {
        "tool": "wrk",
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "bytes_per_request": raw["bytes"] / max(raw["requests"], 1),
        "client_cpu_ms_per_request": client_cpu * 1000 / max(raw["requests"], 1),
    }


def _python_load(url: str, *, connections: int, duration: int, gzip_ok: bool) -> dict[str, Any]:
    """Bounded closed-loop load: `connections` threads, each with one keep-alive connection,
    sending requests back to back until the deadline."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    latencies: list[float] = []
    errors = [0]
    received = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
        mine: list[float] = []
        size = 0
        bad = 0
        while time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                conn.request("GET", target, headers=headers)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    bad += 1
                size += len(body)
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(
                    parts.hostname or "127.0.0.1", parts.port, timeout=10
                )
                continue
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad
            received[0] += size

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "tool": "python",
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
        "errors": errors[0],
        "bytes_per_request": received[0] / max(len(latencies), 1),
    }


def _page_weight(base: str, path: str) -> dict[str, Any]:
    """Compressed bytes of the page and of the stylesheets, scripts and images it loads."""
    status, body, headers = _get(base + path, gzip_ok=True)
    html = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
    text = html.decode("utf-8", "replace")
    assets = set(re.findall(r'<link[^>]+rel="?stylesheet"?[^>]*href="([^"]+)"', text))
    assets |= set(re.findall(r'<link[^>]+href="([^"]+)"[^>]*rel="?stylesheet"?', text))
    assets |= set(re.findall(r'<script[^>]+src="([^"]+)"', text))
    assets |= set(re.findall(r'<img[^>]+src="([^"]+)"', text))
    required = 0
    optional = 0
    details = []
    for asset in sorted(a for a in assets if a.startswith("/")):
        a_status, a_body, _ = _get(base + asset, gzip_ok=True)
        is_optional = bool(OPTIONAL_ASSET.search(asset))
        if is_optional:
            optional += len(a_body)
        else:
            required += len(a_body)
        details.append((asset, a_status, len(a_body), is_optional))
    return {
        "status": status,
        "html_bytes": len(html),
        "html_gzip_bytes": len(body),
        "content_encoding": headers.get("Content-Encoding", "identity"),
        "assets_gzip_bytes": required,
        "optional_chart_js_gzip_bytes": optional,
        "total_gzip_bytes": len(body) + required,
        "assets": details,
    }


def _server_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers: divided by
    the requests served, a per-request cost that other load on the machine barely changes."""
    pids = [master_pid]
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        pids += [int(pid) for pid in children]
    except OSError:
        pass
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _print_load(label: str, result: dict[str, Any]) -> None:
    print(
        f"  {label:<40} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
        f"p95 {result['p95_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms  "
        f"({result['requests']} requests, {result['errors']} errors, "
        f"{result['bytes_per_request'] / 1024:.1f} KiB each, {result['tool']}); "
        f"server CPU {result.get('server_cpu_ms_per_request', float('nan')):.1f} ms/request",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SDG87_DATABASE_URL of an already loaded database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (2-4)")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    duration = max(1, min(args.duration, 60))
    connections = max(1, min(args.connections, 64))
    workers = max(1, min(args.workers, 8))

    tmp = Path(tempfile.mkdtemp(prefix="sdg87-bench-api-"))
    db_url = args.db or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = _env(db_url)
    print("Preparing (migrate, load_data, collectstatic):", flush=True)
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    _manage(env, "load_data")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    wrk = None if args.python_client else _ensure_wrk()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp / "gunicorn.log").open("w")
    server = subprocess.Popen(
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
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    results: dict[str, Any] = {
        "workers": workers,
        "connections": connections,
        "duration_s": duration,
        "tool": "wrk" if wrk else "python",
        "cpus": os.cpu_count(),
    }
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base + "/api/v1/openapi.json")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        print(
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
            f"gunicorn: {workers} sync workers on {base}; {connections} connections, "
            f"{duration} s per measurement ({results['tool']})\n",
            flush=True,
        )

        def load(url: str, *, conns: int, gzip_ok: bool = False) -> dict[str, Any]:
            for _ in range(3):  # warm caches and each worker's connection
                _get(url, gzip_ok=gzip_ok)
            cpu_before = _server_cpu_seconds(server.pid)
            if wrk:
                result = _wrk(wrk, url, connections=conns, duration=duration, gzip_ok=gzip_ok)
            else:
                result = _python_load(url, connections=conns, duration=duration, gzip_ok=gzip_ok)
            cpu = _server_cpu_seconds(server.pid) - cpu_before
            result["server_cpu_ms_per_request"] = cpu * 1000 / max(result["requests"], 1)
            result["loadavg_1min"] = os.getloadavg()[0]
            return result

        status, body, _ = _get(base + HISTORY)
        rows = len(json.loads(body).get("results", [])) if status == 200 else 0
        print(f"(i) {HISTORY}: status {status}, {rows} observations, {len(body)} bytes")
        results["history"] = {
            "url": HISTORY,
            "status": status,
            "rows": rows,
            **load(base + HISTORY, conns=connections),
        }
        _print_load("country history JSON", results["history"])

        csv_url = None
        for candidate in CSV_CANDIDATES:
            t = time.perf_counter()
            status, body, _ = _get(base + candidate)
            seconds = time.perf_counter() - t
            csv_rows = body.count(b"\n") - 1 if status == 200 else 0
            print(
                f"(ii) {candidate}: status {status}, {csv_rows} rows, "
                f"{len(body) / 1024:.0f} KiB in {seconds * 1000:.0f} ms (single request)"
            )
            if csv_rows >= 10_000:
                csv_url = candidate
                results["csv"] = {
                    "url": candidate,
                    "rows": csv_rows,
                    "bytes": len(body),
                    "single_request_ms": seconds * 1000,
                }
                break
        if csv_url:
            results["csv"].update(load(base + csv_url, conns=4))
            _print_load(f"CSV export ({results['csv']['rows']} rows), 4 conns", results["csv"])
        else:
            print("  no candidate CSV export reached 10,000 rows")

        results["pages"] = {}
        for label, path in PAGES.items():
            weight = _page_weight(base, path)
            print(
                f"(iii) {path}: status {weight['status']}, HTML {weight['html_bytes'] / 1024:.1f}"
                f" KiB ({weight['content_encoding']} {weight['html_gzip_bytes'] / 1024:.1f} KiB)"
                f" + assets {weight['assets_gzip_bytes'] / 1024:.1f} KiB = "
                f"{weight['total_gzip_bytes'] / 1024:.1f} KiB compressed; optional chart JS "
                f"{weight['optional_chart_js_gzip_bytes'] / 1024:.1f} KiB"
            )
            for asset, a_status, size, optional in weight["assets"]:
                flag = " (optional)" if optional else ""
                print(f"      {a_status} {size / 1024:7.1f} KiB  {asset}{flag}")
            entry: dict[str, Any] = {"url": path, **weight}
            if weight["status"] == 200:
                entry.update(load(base + path, conns=connections, gzip_ok=True))
                _print_load(label, entry)
            results["pages"][label] = entry
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, default=str))
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
