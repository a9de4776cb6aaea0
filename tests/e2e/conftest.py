"""Browser-test fixtures: one app server per session (gunicorn on a free loopback port, against a
SQLite database migrated, loaded with the bundled data and indexed for search once), one
Chromium per session.

The server is a subprocess rather than pytest-django's `live_server`: its database survives the
whole session (live_server needs transactional tests, which empty the tables after each test),
and it serves pages the way production does (gunicorn, DEBUG off, WhiteNoise).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
VAR = ROOT / "var" / "e2e"
CHROMIUM = os.environ.get("SDG87_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "e2e_settings",
            "PYTHONPATH": os.pathsep.join([str(E2E_DIR), str(ROOT)]),
            "SDG87_DATABASE_URL": f"sqlite:///{db_path}",
            "SDG87_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _manage(env: dict[str, str], *args: str, log: Path) -> None:
    with log.open("a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=900,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed; see {log}")


def _prepare_database(db_path: Path, log: Path) -> None:
    """Migrate and load the bundled data. The database is kept between sessions (load_data is
    checksummed, so an unchanged database costs seconds); SDG87_E2E_FRESH=1 starts afresh, and a
    database whose migration history no longer applies is rebuilt once."""
    if os.environ.get("SDG87_E2E_FRESH"):
        _remove_db(db_path)
    env = _server_env(db_path)
    for attempt in (1, 2):
        try:
            _manage(env, "migrate", "--noinput", "--verbosity", "0", log=log)
            _manage(env, "load_data", log=log)
            # the header's search box is on every page; the results page needs the index
            _manage(env, "search_reindex", "--if-stale", log=log)
            return
        except RuntimeError:
            if attempt == 2:
                raise
            _remove_db(db_path)


def _remove_db(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app server exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers; page errors are the tests' business
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"app server did not answer {url} within 90 s; see {log}")


def _database_path() -> Path:
    return Path(os.environ.get("SDG87_E2E_DB", VAR / "e2e.sqlite3"))


def _run_in_app_database(script: str) -> str:
    """Run `script` with `manage.py shell -c` in the app server's database (to make the people
    and content a contributors' page needs, through the services); its standard output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=_server_env(_database_path()),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


_signed_in_states: dict[str, Any] = {}


def _signed_in_state(browser: Any, base_url: str, username: str, password: str) -> Any:
    """The storage state of a context signed in as `username` through the login form (no
    JavaScript), made once per session and user."""
    if username not in _signed_in_states:
        context = browser.new_context(java_script_enabled=False)
        try:
            page = context.new_page()
            page.goto(base_url + "/en/accounts/login/")
            page.fill('input[name="username"]', username)
            page.fill('input[name="password"]', password)
            page.locator('main form button[type="submit"]').first.click()
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url, f"{username} could not sign in"
            _signed_in_states[username] = context.storage_state()
        finally:
            context.close()
    return _signed_in_states[username]


@pytest.fixture(scope="session")
def run_in_app_database() -> Callable[[str], str]:
    """run_in_app_database(script): see _run_in_app_database."""
    return _run_in_app_database


@pytest.fixture(scope="session")
def signed_in_state() -> Callable[..., Any]:
    """signed_in_state(browser, base_url, username, password): see _signed_in_state."""
    return _signed_in_state


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Base URL of a gunicorn server with the bundled data loaded and indexed for search."""
    VAR.mkdir(parents=True, exist_ok=True)
    db_path = _database_path()
    log = VAR / "server.log"
    log.write_text("")
    started = time.monotonic()
    _prepare_database(db_path, log)
    print(f"\ne2e database ready in {time.monotonic() - started:.1f} s: {db_path}")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log.open("a") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "120",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=_server_env(db_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(f"{base_url}/api/v1/openapi.json", proc, log)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


AXE_JS = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


def _axe_without_js(
    browser: Any, url: str, width: int, height: int = 740, storage_state: Any = None
) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page rendered without running its
    scripts: script execution is switched off through the DevTools protocol while the page
    loads (what java_script_enabled=False does, which would also stop axe's timers), then on
    again for axe alone. `storage_state` (a signed-in context's) checks a contributor's page."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, storage_state=storage_state
    )
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.goto(url, wait_until="load", timeout=60_000)
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ["violations"]});
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160)),
                }));
            }"""
        )
        return [v for v in result if v["impact"] in BLOCKING_IMPACTS]
    finally:
        context.close()


@pytest.fixture
def axe_without_js() -> Callable[..., list[dict[str, Any]]]:
    """axe_without_js(browser, url, width): the blocking axe-core violations of the page
    rendered without JavaScript."""
    return _axe_without_js


PHONE = {"width": 360, "height": 740}


def _fits_a_phone_and_passes_axe(
    browser: Any, url: str, screenshot: Path | None = None, storage_state: Any = None
) -> None:
    """The public-page bar: 200 without JavaScript, one h1, no sideways scroll at 360 px, no
    serious or critical axe-core violation at 360 and 1280 px. With `storage_state` (from a
    signed-in context) the same bar for a contributor's page."""
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, storage_state=storage_state
    )
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide"
        assert page.locator("h1").count() == 1, url
    finally:
        context.close()
    for viewport in (PHONE["width"], 1280):
        violations = _axe_without_js(browser, url, viewport, storage_state=storage_state)
        assert not violations, (url, violations)


@pytest.fixture
def fits_a_phone_and_passes_axe() -> Callable[..., None]:
    """fits_a_phone_and_passes_axe(browser, url, screenshot=None): asserts the public-page bar
    (see _fits_a_phone_and_passes_axe)."""
    return _fits_a_phone_and_passes_axe
