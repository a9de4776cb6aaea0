"""The per-digest drawing lock (render.drawing_lock): real processes, a real flock, no mocks.

Two processes asking for the same undrawn chart at the same moment draw it once; a drawer that
dies (SIGKILL) frees the lock at once; a drawer that hangs is waited for at most
SDG87_CHART_LOCK_SECONDS.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings

from sdg87.core.charts import line_chart, render_svg, spec_hash
from sdg87.core.charts.render import canonical_json, chart_path

ROOT = Path(django_settings.BASE_DIR)

# A process of its own (a gunicorn worker's stand-in): warms the chart engine up on another
# chart, says "ready", waits for the go file, then asks for the chart of argv[2].
DRAWER = """
import hashlib, json, logging, sys, time
import django
django.setup()
from django.conf import settings
settings.SDG87_CHART_DIR = sys.argv[1]
from sdg87.core.charts import render_svg
from sdg87.core.charts.render import drawing_lock
handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(logging.Formatter("LOG %(message)s"))
log = logging.getLogger("sdg87.core.charts.render")
log.addHandler(handler)
log.setLevel(logging.INFO)
log.propagate = False
spec = json.loads(open(sys.argv[2]).read())
mode = sys.argv[3]
if mode == "hold":
    with drawing_lock(sys.argv[4], "svg"):
        print("held", flush=True)
        time.sleep(600)
warm = json.loads(open(sys.argv[4]).read())
render_svg(warm)
print("ready", flush=True)
go = sys.argv[5]
import os
while not os.path.exists(go):
    time.sleep(0.001)
svg = render_svg(spec)
print("svg", hashlib.sha256(svg.encode()).hexdigest(), flush=True)
"""


def _spec(title: str) -> dict[str, Any]:
    rows = [
        {"geo": "World", "year": 2000, "value": 16.0, "nature": "G"},
        {"geo": "World", "year": 2020, "value": 9.6, "nature": "G"},
    ]
    return line_chart(rows, title=title, description="D", x_title="Year", y_title="%")


def _write(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(canonical_json(spec))
    return path


def _drawer(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.Popen(
        [sys.executable, "-c", DRAWER, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(proc: subprocess.Popen[str], word: str) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == word:
            return
    raise AssertionError(f"drawer exited before {word!r}: {proc.wait()} {proc.stderr.read()}")  # type: ignore[union-attr]


def test_two_processes_asking_at_once_draw_the_chart_once(chart_dir, tmp_path):
    target, warm = _spec("Drawn once"), _spec("Warm-up")
    digest = spec_hash(target)
    go = tmp_path / "go"
    args = [str(chart_dir), str(_write(tmp_path / "t.json", target)), "draw"]
    args += [str(_write(tmp_path / "w.json", warm)), str(go)]
    drawers = [_drawer(*args), _drawer(*args)]
    try:
        for proc in drawers:
            _read_until(proc, "ready")
        go.touch()  # both are past their warm-up: they ask for the chart within a millisecond
        outputs = [proc.communicate(timeout=120)[0] for proc in drawers]
    finally:
        for proc in drawers:
            proc.kill()
    assert [proc.returncode for proc in drawers] == [0, 0]
    drew = [out.count(f"LOG chart {digest[:12]} rendered to SVG") for out in outputs]
    assert sorted(drew) == [0, 1], outputs
    waited = [f"LOG chart {digest[:12]}: waited" in out for out in outputs]
    assert sorted(waited) == [False, True], outputs
    hashes = {line for out in outputs for line in out.splitlines() if line.startswith("svg ")}
    assert len(hashes) == 1  # the same drawing
    assert chart_path(digest, "svg").exists()
    assert not list(chart_dir.glob(".lock-*"))  # the drawer removed its lock file


def _holder(chart_dir: Path, tmp_path: Path, digest: str) -> subprocess.Popen[str]:
    spec = _write(tmp_path / "t.json", _spec("Held"))
    proc = _drawer(str(chart_dir), str(spec), "hold", digest)
    _read_until(proc, "held")
    return proc


def test_a_drawer_killed_while_holding_the_lock_does_not_block_the_next(
    chart_dir, tmp_path, settings
):
    settings.SDG87_CHART_LOCK_SECONDS = 60
    spec = _spec("Held")
    digest = spec_hash(spec)
    holder = _holder(chart_dir, tmp_path, digest)
    drawn: list[str] = []
    asker = threading.Thread(target=lambda: drawn.append(render_svg(spec)))
    try:
        asker.start()
        time.sleep(1.0)
        assert asker.is_alive() and not drawn  # waits for the other process's lock
        killed = time.monotonic()
        os.kill(holder.pid, signal.SIGKILL)  # dies mid-drawing: nothing cleans up
        asker.join(30)
        after_kill = time.monotonic() - killed
    finally:
        holder.kill()
        holder.wait()
    assert not asker.is_alive()
    assert drawn and drawn[0].startswith("<svg")
    assert after_kill < 10  # freed by the kernel at the kill, not after the 60 s patience
    assert chart_path(digest, "svg").exists()


def test_a_hung_drawer_is_waited_for_only_so_long(chart_dir, tmp_path, settings, caplog):
    settings.SDG87_CHART_LOCK_SECONDS = 1
    spec = _spec("Held")
    digest = spec_hash(spec)
    holder = _holder(chart_dir, tmp_path, digest)
    try:
        started = time.monotonic()
        svg = render_svg(spec)
        took = time.monotonic() - started
        assert holder.poll() is None  # still holding
    finally:
        holder.kill()
        holder.wait()
    assert svg.startswith("<svg")
    assert 1.0 <= took < 15
    assert "still being drawn elsewhere" in caplog.text
    assert json.loads(chart_path(digest, "vl.json").read_text())["title"]


def test_the_lock_file_goes_when_its_holder_leaves_drawn_or_failed(chart_dir: Any) -> None:
    """The holder removes its lock file whether the drawing succeeded or raised."""
    from sdg87.core.charts.render import drawing_lock

    lock_file = chart_path("f" * 64, "svg").with_name(f".lock-{'f' * 64}.svg")
    try:
        with drawing_lock("f" * 64, "svg") as held:
            assert held and lock_file.exists()
            raise RuntimeError("the chart engine failed")
    except RuntimeError:
        pass
    assert not lock_file.exists()
    with drawing_lock("f" * 64, "svg") as held:
        assert held
    assert not lock_file.exists()
