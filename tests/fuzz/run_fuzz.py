"""The fuzz leg (issue 7 item 12), run by `make fuzz` and by `.ci/run`'s `fuzz` leg.

1. In the background: the database of the live server, var/ci/fuzz-api.sqlite3, with the
   bundled data (migrate, load_data, statistics_sync, as `make prepare`). It is kept between
   runs; these are no-ops when nothing changed, so only a fresh clone pays for the load.
2. `pytest -m fuzz tests/fuzz --hypothesis-seed=0`: the hypothesis fuzz of the upload parsers
   and of the CKAN Action API (exit 5, nothing collected, is a failure).
3. gunicorn on 127.0.0.1 at a free port, test settings, DEBUG off, that database; then
   `schemathesis run` against /api/v1/openapi.json: every operation, FUZZ_EXAMPLES examples
   each (default 20), seed FUZZ_SEED (default 0), checks `not_a_server_error` and
   `response_schema_conformance`. The server is stopped whatever happens; schemathesis gets
   FUZZ_TIME_LIMIT seconds (default 240), after which it is stopped and the leg fails.
4. gunicorn's access log is the count of what was asked: the requests and every 5xx answer,
   each printed with the exception logged for it.

The last line is the leg's summary ("=== N passed, N failed; schemathesis: ... in Ns ===").
The exit status is non-zero if any step failed or any server error was seen.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CI_DIR = ROOT / "var" / "ci"
PY = sys.executable
DB = CI_DIR / "fuzz-api.sqlite3"
ACCESS_LOG = CI_DIR / "fuzz-gunicorn-access.log"
SERVER_LOG = CI_DIR / "fuzz-gunicorn.log"
PREPARE_LOG = CI_DIR / "fuzz-prepare.log"
ST_DIR = CI_DIR / "schemathesis"  # schemathesis' cwd: its .schemathesis/ cache stays here

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
SEED = os.environ.get("FUZZ_SEED", "0")
TIME_LIMIT = int(os.environ.get("FUZZ_TIME_LIMIT", "240"))
PYTEST_ARGS = shlex.split(os.environ.get("FUZZ_PYTEST_ARGS", f"--hypothesis-seed={SEED}"))
CHECKS = "not_a_server_error,response_schema_conformance"
# gunicorn's access log format: the request line and the status, tab-separated
ACCESS_FORMAT = '%(s)s\t"%(r)s"'


def server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDG87_", "DJANGO_SETTINGS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        SDG87_DATABASE_URL=f"sqlite:///{DB}",
        SDG87_DEBUG="false",
        PYTHONUNBUFFERED="1",
    )
    return env


# What `make prepare` does, in one interpreter: migrate, load the bundled data, sync the
# visibility of imported statistics (when that command exists).
PREPARE_PY = """
import django
django.setup()
from django.core.management import call_command, get_commands
call_command("migrate", interactive=False, verbosity=0)
call_command("load_data")
if "statistics_sync" in get_commands():
    call_command("statistics_sync", verbosity=0)
"""


def prepare() -> subprocess.Popen[bytes]:
    """The live server's database (DB), prepared in the background (output in PREPARE_LOG)."""
    with PREPARE_LOG.open("wb") as log:
        return subprocess.Popen(
            [PY, "-c", PREPARE_PY], cwd=ROOT, env=server_env(), stdout=log, stderr=log
        )


def run_pytest() -> tuple[int, str]:
    """(exit status, pytest's summary line) of the hypothesis fuzz; 5 (no tests) fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDG87_DATABASE")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    command = [PY, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-m", "fuzz"]
    command += ["tests/fuzz", "--durations=5", *PYTEST_ARGS]
    print("$", shlex.join(command), flush=True)
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    summary = ""
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="", flush=True)
        match = re.match(r"^=+ (.*(?:passed|failed|error|no tests ran).*) in [0-9.]+s", line)
        if match:
            summary = match.group(1)
    rc = proc.wait()
    if rc == 5:
        print("run_fuzz: pytest collected no tests; failing.", file=sys.stderr)
        rc = 1
    return rc, summary or "pytest: no summary"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group (gunicorn and its workers), SIGKILL after 15 s."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def server_errors() -> tuple[int, dict[str, int], list[str]]:
    """(requests, {status: count}, request lines answered 5xx) from gunicorn's access log."""
    statuses: dict[str, int] = {}
    errors: list[str] = []
    total = 0
    if not ACCESS_LOG.exists():
        return 0, statuses, errors
    for line in ACCESS_LOG.read_text(errors="replace").splitlines():
        status, _tab, request = line.partition("\t")
        total += 1
        statuses[status] = statuses.get(status, 0) + 1
        if status.startswith("5"):
            errors.append(f"{status} {request}")
    return total, statuses, errors


def logged_exceptions() -> list[str]:
    """The exceptions Django logged ('Internal Server Error: <path>' then a traceback): the
    path and the traceback's last line, once each."""
    if not SERVER_LOG.exists():
        return []
    found: list[str] = []
    path = ""
    for line in SERVER_LOG.read_text(errors="replace").splitlines():
        if line.startswith("Internal Server Error:"):
            path = line.split(":", 1)[1].strip()
        elif path and re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Warning)\b", line):
            entry = f"{path}: {line[:300]}"
            if entry not in found:
                found.append(entry)
            path = ""
    return found


def run_schemathesis(port: int) -> tuple[int, str]:
    """(exit status, schemathesis' summary) of one bounded run against the live server."""
    ST_DIR.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(PY).parent / "schemathesis"),
        "run",
        f"http://127.0.0.1:{port}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--report",
        "junit",
        "--report-dir",
        str(ST_DIR),
        "--no-color",
    ]
    print("$", shlex.join(command), flush=True)
    proc = subprocess.Popen(
        command, cwd=ST_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    timer = threading.Timer(TIME_LIMIT, proc.kill)  # a hung run cannot hold the leg
    timer.start()
    cases = ""
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            print(line, end="", flush=True)
            match = re.match(r"^\s*(\d+ generated.*)$", line)
            if match:
                cases = match.group(1)
        rc = proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
    if rc == -signal.SIGKILL:
        print(f"run_fuzz: schemathesis exceeded {TIME_LIMIT} s; stopped.", file=sys.stderr)
        return 1, f"schemathesis stopped after {TIME_LIMIT} s"
    return rc, cases or "schemathesis: no summary"


def main() -> int:
    started = time.monotonic()
    CI_DIR.mkdir(parents=True, exist_ok=True)
    print(f"--- preparing {DB.relative_to(ROOT)} in the background ({PREPARE_LOG.name})")
    preparing = prepare()

    print("--- hypothesis: upload parsers and CKAN actions (tests/fuzz)", flush=True)
    pytest_rc, pytest_summary = run_pytest()

    print("--- waiting for the database", flush=True)
    prepare_rc = preparing.wait()
    print(PREPARE_LOG.read_text(errors="replace")[-600:])
    if prepare_rc != 0:
        print(f"run_fuzz: preparing the database failed ({prepare_rc})", file=sys.stderr)
        summary = f"{pytest_summary}; schemathesis: not run, database not prepared"
        print(f"=== {summary} in {time.monotonic() - started:.1f}s ===")
        return 1

    port = free_port()
    print(f"--- schemathesis against gunicorn on 127.0.0.1:{port} (REST API)", flush=True)
    for log in (ACCESS_LOG, SERVER_LOG):
        log.unlink(missing_ok=True)
    with SERVER_LOG.open("wb") as server_log:
        server = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--no-control-socket",
                "--access-logfile",
                str(ACCESS_LOG),
                "--access-logformat",
                ACCESS_FORMAT,
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=server_env(),
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends the workers too
        )
    try:
        if not wait_for(f"http://127.0.0.1:{port}/api/v1/openapi.json", server):
            print(SERVER_LOG.read_text(errors="replace")[-3000:])
            print("run_fuzz: the server did not answer", file=sys.stderr)
            st_rc, st_cases = 1, "server did not start"
        else:
            st_rc, st_cases = run_schemathesis(port)
    finally:
        stop(server)

    total, statuses, errors = server_errors()
    exceptions = logged_exceptions()
    print(
        "--- requests answered by the live server:",
        total,
        "by status:",
        dict(sorted(statuses.items())),
    )
    if errors:
        print(f"--- {len(errors)} server error(s) (5xx):")
        for line in errors[:50]:
            print("   ", line)
        for line in exceptions[:50]:
            print("    exception:", line)
    failed = pytest_rc != 0 or st_rc != 0 or bool(errors)
    summary = (
        f"{pytest_summary}; schemathesis: {st_cases}, {total} requests, {len(errors)} server errors"
    )
    print(f"=== {summary} in {time.monotonic() - started:.1f}s ===")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
