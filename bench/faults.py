"""Fault runs that need more than one web node (issue 15 item 6); results in docs/deployment.md.

    .venv/bin/python bench/faults.py worker     # kill the task worker mid-import
    .venv/bin/python bench/faults.py postgres   # restart PostgreSQL mid-request

Both reuse the cluster pieces of tests/cluster/conftest.py (the kept, migrated template database
on 127.0.0.1:5432, Redis database 14, production settings).

worker: SYNTHETIC DATA, clearly labelled: a dataset "ZZ SYNTHETIC fault run" of generated values
(real country codes as the skeleton) is validated and approved in a throwaway copy of the
template, published through the real service, and its import is handed to a `db_worker`. Once
the import task is RUNNING the worker gets SIGKILL. Checked: how many observations landed (the
import is one transaction: all or none), what state the task is left in, and whether a new
worker picks it up again.

postgres: a second PostgreSQL cluster under var/faults/pg on a free port (initdb as the
`postgres` user; the shared server at 5432 is never restarted), the template restored into it,
one gunicorn node on it (production settings: CONN_MAX_AGE 60 with CONN_HEALTH_CHECKS), a client
asking for an uncached database-backed page in a loop while `pg_ctl restart -m fast` runs.
Counted: answers by status before, during and after the restart.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.cluster.conftest import (  # noqa: E402
    PG,
    PY,
    TEMPLATE_DB,
    VAR,
    Node,
    _prepare_template,
    base_env,
    free_port,
    node_env,
    psql,
    stop,
)

FAULTS = ROOT / "var" / "faults"
# Not the cluster tests' database (13): a run beside them must not bump their data version.
FAULTS_REDIS_DB = 14
REDIS_URL = f"redis://127.0.0.1:6379/{FAULTS_REDIS_DB}"

SEED_PY = """
import json
import django
django.setup()
from django.conf import settings
settings.MEDIA_ROOT = MEDIA  # test settings fix their own; the files go where the nodes look
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from sdg87.catalog.services import datasets, distributions, review
from sdg87.geo.models import Geography, GeographyKind
from sdg87.orgs.services import membership_set, organisation_upsert

codes = list(Geography.objects.filter(kind=GeographyKind.COUNTRY).order_by("code")
             .values_list("code", flat=True)[:60])
# SYNTHETIC values (bench only, never loaded into a real database): 40 series x 60 countries x
# 35 years.
lines = ["series,geo,year,value,unit"]
for s in range(40):
    for code in codes:
        for year in range(1990, 2025):
            lines.append(f"SYN{s},{code},{year},{(s * 7 + year) % 100 + 0.5},PERCENT")
org = organisation_upsert(slug="zz-faults", name="ZZ Fault runs", type="ngo")
editor = get_user_model().objects.create_user(
    username="zz_faults", email="zz_faults@example.org", password="zz-Faults-2026")
membership_set(user=editor, organisation=org, role="editor")
ds = datasets.dataset_create(actor=editor, publisher=org, title="ZZ SYNTHETIC fault run",
                             visibility="public", frequency="annual")
dist = distributions.distribution_upload(
    actor=editor, dataset=ds, map_to_observations=True,
    file=SimpleUploadedFile("synthetic.csv", "\\n".join(lines).encode(), content_type="text/csv"))
dist.refresh_from_db()
assert dist.is_valid, dist.validation_report
review.dataset_submit(actor=editor, dataset=ds)
review.dataset_approve(actor=editor, dataset=ds)
print(json.dumps({"dataset": ds.pk, "distribution": dist.pk, "rows": len(lines) - 1,
                  "prefix": f"ORG{org.pk}__"}))
"""

PUBLISH_PY = """
import django
django.setup()
from django.contrib.auth import get_user_model
from sdg87.catalog.models import Dataset
from sdg87.catalog.services import review
review.dataset_publish(actor=get_user_model().objects.get(username="zz_faults"),
                       dataset=Dataset.objects.get(pk=DATASET))
"""

REQUEUE_PY = """
import django
django.setup()
from django_tasks_db.models import DBTaskResult
from sdg87.catalog.tasks import distribution_statistics_import_task
stale = DBTaskResult.objects.filter(status="RUNNING")
print("stale running tasks marked failed:", stale.update(status="FAILED"))
distribution_statistics_import_task.enqueue(DISTRIBUTION)
"""


def worker_run() -> dict[str, object]:
    FAULTS.mkdir(parents=True, exist_ok=True)
    VAR.mkdir(parents=True, exist_ok=True)
    _prepare_template()
    db = "sdg87_faults_worker"
    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{db}" TEMPLATE "{TEMPLATE_DB}"')
    url = f"{PG}/{db}"
    media = FAULTS / "media"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir()
    seed_env = base_env(url)
    seed_env.update(DJANGO_SETTINGS_MODULE="config.settings.test", SDG87_MEDIA_ROOT=str(media))
    out = subprocess.run(
        [PY, "-c", f"MEDIA = {str(media)!r}\n" + SEED_PY],
        cwd=ROOT,
        env=seed_env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    seed = json.loads(out.strip().splitlines()[-1])
    env = node_env(url, redis_url=REDIS_URL, media=media)
    result: dict[str, object] = {"synthetic_rows": seed["rows"]}

    def observations() -> int:
        return int(
            psql(
                "SELECT count(*) FROM indicators_observation o JOIN indicators_series s "
                f"ON s.id = o.series_id WHERE s.code LIKE '{seed['prefix']}%'",
                db,
            )
        )

    def task_states() -> str:
        return psql(
            "SELECT string_agg(status, ',') FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE '%distribution_statistics_import_task'",
            db,
        )

    log = (FAULTS / "worker.log").open("ab")

    def start_worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [PY, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    worker = start_worker()
    try:
        subprocess.run(
            [PY, "-c", f"DATASET = {seed['dataset']}\n" + PUBLISH_PY], cwd=ROOT, env=env, check=True
        )
        deadline = time.monotonic() + 120
        while "RUNNING" not in (task_states() or "") and time.monotonic() < deadline:
            time.sleep(0.2)
        running_at = time.monotonic()
        time.sleep(1.5)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        result["killed_after_running_s"] = round(time.monotonic() - running_at, 1)
        result["observations_after_kill"] = observations()
        result["task_after_kill"] = task_states()
        worker = start_worker()
        time.sleep(20)
        result["task_20s_after_a_new_worker"] = task_states()
        result["observations_20s_after_a_new_worker"] = observations()
        # Recovery by hand (docs/deployment.md): fail the orphaned task, queue the import again.
        subprocess.run(
            [PY, "-c", f"DISTRIBUTION = {seed['distribution']}\n" + REQUEUE_PY],
            cwd=ROOT,
            env=env,
            check=True,
        )
        deadline = time.monotonic() + 300
        while "SUCCESSFUL" not in (task_states() or "") and time.monotonic() < deadline:
            time.sleep(1)
        result["task_after_requeue"] = task_states()
        result["observations_after_requeue"] = observations()
    finally:
        stop(worker)
        psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return result


def as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def postgres_run() -> dict[str, object]:
    _prepare_template()
    pg_dir = FAULTS / "pg"
    shutil.rmtree(pg_dir, ignore_errors=True)
    pg_dir.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(pg_dir, "postgres", "postgres")
        shutil.chown(FAULTS, "postgres", "postgres")
    bindir = Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
    port = free_port()
    data = pg_dir / "data"
    subprocess.run(
        as_postgres(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
        check=True,
        capture_output=True,
    )
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(pg_dir / "pg.log")]
    opts = f"-p {port} -k {pg_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(as_postgres(*pg_ctl, "-o", opts, "-w", "start"), check=True)
    url = f"postgres://postgres@127.0.0.1:{port}/sdg87"
    result: dict[str, object] = {}
    node: Node | None = None
    try:
        started = time.monotonic()
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "sdg87"], check=True
        )
        dump = subprocess.Popen(["pg_dump", "-Fc", f"{PG}/{TEMPLATE_DB}"], stdout=subprocess.PIPE)
        subprocess.run(["pg_restore", "--no-owner", "-d", url], stdin=dump.stdout, check=True)
        dump.wait()
        result["restore_s"] = round(time.monotonic() - started, 1)
        env = node_env(url, redis_url=REDIS_URL, media=FAULTS / "m")
        env["SDG87_API_CACHE_SECONDS"] = "0"
        node = Node("faults-pg-node", free_port(), env).start()
        phase = ["before"]
        counts: Counter[str] = Counter()
        stop_flag = threading.Event()

        target = f"{node.url}/api/v1/datasets"

        def client() -> None:
            while not stop_flag.is_set():
                try:
                    status = str(requests.get(target, timeout=30).status_code)
                except requests.RequestException as exc:
                    status = type(exc).__name__
                counts[f"{phase[0]}:{status}"] += 1

        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        phase[0] = "during"
        restart_started = time.monotonic()
        subprocess.run(as_postgres(*pg_ctl, "-o", opts, "-m", "fast", "-w", "restart"), check=True)
        result["restart_s"] = round(time.monotonic() - restart_started, 1)
        phase[0] = "after"
        time.sleep(10)
        stop_flag.set()
        for thread in threads:
            thread.join()
        result["answers"] = dict(sorted(counts.items()))
    finally:
        if node is not None:
            node.stop()
        subprocess.run(as_postgres(*pg_ctl, "-m", "immediate", "stop"), check=False)
    return result


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    runs = {"worker": worker_run, "postgres": postgres_run}
    if which not in runs:
        sys.exit(__doc__)
    print(json.dumps(runs[which](), indent=2))
