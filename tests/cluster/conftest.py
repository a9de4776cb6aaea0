"""The production layout on this machine (issue 15 item 5), for the `cluster` tests.

One session-wide cluster: PostgreSQL (127.0.0.1:5432, a throwaway database copied from a kept,
migrated template), Redis (127.0.0.1:6379, a dedicated database number, flushed), two gunicorn
nodes with production settings, nginx (Debian's package, not a daemon, config generated under
var/cluster/ from deploy/nginx/sdg87-proxy.conf) in front of them, and one `manage.py db_worker`.

The template database (sdg87_cluster_template_<hash of the checkout path>) is migrated and
seeded with a small slice of the bundled data once and kept between runs (migrate and
load_data are no-ops when nothing changed); each run copies it (CREATE DATABASE ... TEMPLATE)
and drops the copy at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "cluster"
PY = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
# One template per checkout: its seeded uploads live in this checkout's var/cluster/.
TEMPLATE_DB = "sdg87_cluster_template_" + hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = int(os.environ.get("CLUSTER_REDIS_DB", "13"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "cluster-Pw-2026-zz"
REPLICA_NAME = "sdg87-replica"
# Steps of the bundled data in the template: enough for country, indicator and API pages.
DATA_STEPS = ("geo.countries", "geo.aggregates", "indicators.unsd_8_7_1")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", f"{PG}/{db}", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def base_env(db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDG87_", "DJANGO_"))}
    env.update(
        PYTHONUNBUFFERED="1",
        SDG87_DATABASE_URL=db_url,
        SDG87_LOG_LEVEL="WARNING",
        SDG87_LOG_FORMAT="text",
    )
    return env


def node_env(db_url: str, *, redis_url: str, media: Path, warmup: bool = False) -> dict[str, str]:
    """Production settings as deploy/sdg87.env.example sets them, over plain HTTP. The page
    warm-up after each data change is off unless asked: on this shared machine it holds the one
    worker for most of a minute, and the tests are about the queue, not the warm-up."""
    env = base_env(db_url)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SDG87_SECRET_KEY=SECRET_KEY,
        SDG87_ALLOWED_HOSTS="127.0.0.1,localhost",
        SDG87_SITE_URL="http://127.0.0.1",
        SDG87_SECURE_SSL_REDIRECT="false",
        SDG87_TRUSTED_PROXY_COUNT="1",
        SDG87_REDIS_URL=redis_url,
        SDG87_MEDIA_ROOT=str(media),
        SDG87_PRIVATE_ROOT=str(VAR / "private"),
        SDG87_API_ANON_SECONDS="0",
        SDG87_LOGIN_IP_FAILURE_LIMIT="0",
        SDG87_PAGE_WARMUP="true" if warmup else "false",
    )
    return env


SECRET_KEY = secrets.token_urlsafe(50)


def stop(proc: subprocess.Popen[Any], sig: int = signal.SIGTERM, wait: float = 15) -> None:
    """Signal the process group (gunicorn master and workers); SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    for s, w in ((sig, wait), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, s)
        except ProcessLookupError:
            return
        try:
            proc.wait(w)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_http(url: str, proc: subprocess.Popen[Any] | None, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({proc.returncode})")
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@dataclass
class Node:
    name: str
    port: int
    env: dict[str, str]
    proc: subprocess.Popen[Any] | None = None
    limits: str = ""  # shell `ulimit` arguments, e.g. "-f 2048"
    workers: int = 2

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def spawn(self) -> Node:
        """Start the node (gunicorn in its own process group); ready() waits for it."""
        log = (VAR / f"{self.name}.log").open("ab")
        command = [
            str(Path(PY).parent / "gunicorn"),
            "config.wsgi:application",
            "--preload",  # as deploy/systemd/sdg87-web@.service
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "60",
            "--access-logfile",
            str(VAR / f"{self.name}-access.log"),
            "--no-control-socket",  # gunicorn 27: one per user by default, nodes would share it
        ]
        if self.limits:
            command = ["bash", "-c", f'ulimit {self.limits} && exec "$@"', "node", *command]
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        return self

    def start(self) -> Node:
        """Start the node and wait until it answers."""
        return self.spawn().ready()

    def ready(self) -> Node:
        wait_http(f"{self.url}/healthz", self.proc)
        return self

    def kill(self) -> None:
        """SIGKILL to the whole node, as a crashed machine: nothing gets to clean up."""
        if self.proc is not None:
            stop(self.proc, signal.SIGKILL)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, wait=5)  # a test node has nothing to finish


@dataclass
class Cluster:
    db: str
    db_url: str
    redis_url: str
    media: Path
    seed: dict[str, Any]
    a: Node
    b: Node
    nginx_port: int
    nginx: subprocess.Popen[Any] | None = None
    worker: subprocess.Popen[Any] | None = None
    extra: list[Node] = field(default_factory=list)

    @property
    def front(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def start_worker(self) -> subprocess.Popen[Any]:
        log = (VAR / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [PY, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
            cwd=ROOT,
            env=self.a.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        return self.worker

    def sql(self, query: str) -> str:
        return psql(query, self.db)


PREPARE_PY = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_data", only=list(STEPS), verbosity=0)
"""

# People and datasets of the tests, through the services (test settings: tasks run at once).
SEED_PY = """
import json
import django
django.setup()
from django.conf import settings
settings.MEDIA_ROOT = MEDIA  # test settings fix their own; the files go where the nodes look
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from sdg87.catalog.services import datasets, distributions, review
from sdg87.orgs.models import OrganisationType
from sdg87.orgs.services import membership_set, organisation_upsert

from sdg87.catalog.models import Dataset


def answer():
    mine = Dataset.objects.filter(publisher__slug="zz-cluster-ngo")
    approved = mine.filter(title__startswith="ZZ cluster dataset").order_by("title")
    print(json.dumps({"approved": [d.slug for d in approved],
                      "draft": mine.get(title="ZZ cluster uploads").slug,
                      "editor": "zz_cluster_editor", "contributor": "zz_cluster_contributor"}))


if get_user_model().objects.filter(username="zz_cluster_editor").exists():
    answer()  # seeded before (the template is seeded once, then only migrated)
    raise SystemExit(0)
org = organisation_upsert(slug="zz-cluster-ngo", name="ZZ Cluster NGO", type=OrganisationType.NGO)
users = {}
for role in ("editor", "contributor"):
    users[role] = get_user_model().objects.create_user(
        username=f"zz_cluster_{role}", email=f"zz_cluster_{role}@example.org", password=PASSWORD
    )
    # test settings hash with MD5, which production settings cannot check: PBKDF2 here
    hasher = PBKDF2PasswordHasher()
    users[role].password = hasher.encode(PASSWORD, hasher.salt())
    users[role].save(update_fields=["password"])
    membership_set(user=users[role], organisation=org, role=role)
slugs = []
for n in range(3):
    ds = datasets.dataset_create(
        actor=users["contributor"], publisher=org, title=f"ZZ cluster dataset {n}",
        visibility="public", frequency="annual",
    )
    distributions.distribution_upload(
        actor=users["contributor"], dataset=ds,
        file=SimpleUploadedFile("data.csv", b"geo,year,value,unit\\nKEN,2019,12.5,PERCENT\\n",
                                content_type="text/csv"),
    )
    review.dataset_submit(actor=users["contributor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    slugs.append(ds.slug)
draft = datasets.dataset_create(
    actor=users["contributor"], publisher=org, title="ZZ cluster uploads",
    visibility="public", frequency="annual",
)
answer()
"""


def _template_stamp() -> str:
    """What the template depends on: the project's migrations, the locked dependencies (their
    migrations), the data steps and the bundled data files. Unchanged: no migrate, no load."""
    digest = hashlib.sha256(repr(DATA_STEPS).encode())
    digest.update((ROOT / "requirements" / "lock.txt").read_bytes())
    for path in sorted([*ROOT.glob("sdg87/*/migrations/*.py"), *ROOT.glob("data/**/*")]):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


TEMPLATE_MEDIA = VAR / "template-media"
SEED_FILE = VAR / "template-seed.json"


def _prepare_template() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    stamp_file = VAR / "template.stamp"
    stamp = _template_stamp()
    exists = bool(psql(f"SELECT 1 FROM pg_database WHERE datname = '{TEMPLATE_DB}'"))
    if exists and not (SEED_FILE.exists() and TEMPLATE_MEDIA.is_dir()):
        # The template's seeded files live in this checkout's var/: a template another checkout
        # made (a fresh clone, a cleared var/) names uploads this one does not have.
        psql(f'DROP DATABASE "{TEMPLATE_DB}" WITH (FORCE)')
        exists = False
    if exists and stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    if not exists:
        psql(f'CREATE DATABASE "{TEMPLATE_DB}"')
    env = base_env(f"{PG}/{TEMPLATE_DB}")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    code = f"STEPS = {DATA_STEPS!r}\n" + PREPARE_PY
    subprocess.run([PY, "-c", code], cwd=ROOT, env=env, check=True)
    # The people and datasets of the tests, in the template too (their files in TEMPLATE_MEDIA,
    # copied for each run): seeding is idempotent, so a migrated template keeps its seed.
    TEMPLATE_MEDIA.mkdir(parents=True, exist_ok=True)
    SEED_FILE.write_text(json.dumps(_seeded(_seed(f"{PG}/{TEMPLATE_DB}", TEMPLATE_MEDIA))))
    stamp_file.write_text(stamp)


def _seed(db_url: str, media: Path) -> subprocess.Popen[str]:
    """The seeding process (SEED_PY), started; _seeded() waits for it and reads its answer."""
    env = base_env(db_url)
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", SDG87_MEDIA_ROOT=str(media))
    code = f"PASSWORD = {PASSWORD!r}\nMEDIA = {str(media)!r}\n" + SEED_PY
    return subprocess.Popen(
        [PY, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _seeded(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"seeding failed: {err[-3000:]}")
    seeded: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return seeded


def nginx_config(*, listen: int, upstreams: list[int]) -> Path:
    """deploy/nginx/sdg87-proxy.conf behind a generated http block (paths rewritten to this
    checkout), non-daemon, everything under var/cluster/."""
    deploy = ROOT / "deploy" / "nginx"
    proxy = (deploy / "sdg87-proxy.conf").read_text()
    proxy = proxy.replace("/srv/sdg87/var/static/", f"{ROOT}/var/static/")
    proxy = proxy.replace(
        "snippets/sdg87-proxy-headers.conf", str(deploy / "sdg87-proxy-headers.conf")
    )
    (VAR / "sdg87-proxy.conf").write_text(proxy)
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in upstreams
    )
    temp = VAR / "nginx-temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = f"""{user}daemon off;
worker_processes 1;
pid {VAR}/nginx.pid;
error_log {VAR}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {VAR}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream sdg87_web {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{listen};
        server_name localhost;
        include {VAR}/sdg87-proxy.conf;
    }}
}}
"""
    path = VAR / "nginx.conf"
    path.write_text(conf)
    return path


def _redis_flush(url_db: int, port: int = REDIS_PORT) -> None:
    import redis

    redis.Redis(host=REDIS_HOST, port=port, db=url_db).flushdb()


def _collect_static() -> None:
    """The nodes' production settings serve static files through the manifest storage: without
    var/static/staticfiles.json every page is a 500 ("Missing staticfiles manifest entry").
    `make cluster-test` collects them first (its `static` prerequisite); bench/load.py and a
    bare pytest run do not, so collect them here when the manifest is missing."""
    if (ROOT / "var" / "static" / "staticfiles.json").exists():
        return
    env = base_env("")
    del env["SDG87_DATABASE_URL"]  # manage.py's default settings; collectstatic needs no database
    command = [PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with start_cluster() as started:
        yield started


@contextmanager
def start_cluster(*, workers: int = 2, warmup: bool = False) -> Iterator[Cluster]:
    """The cluster of the module docstring (also used by bench/load.py); stopped on exit."""
    # SIGTERM (a CI timeout, a kill) unwinds through the `finally` below like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    VAR.mkdir(parents=True, exist_ok=True)
    for log in VAR.glob("*.log"):
        log.unlink()
    started = time.monotonic()
    _collect_static()
    _prepare_template()
    db = f"sdg87_cluster_{os.getpid()}"
    psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{db}" TEMPLATE "{TEMPLATE_DB}"')
    db_url = f"{PG}/{db}"
    media = VAR / "media"
    shutil.rmtree(media, ignore_errors=True)
    shutil.copytree(TEMPLATE_MEDIA, media)
    nodes: list[Node] = []
    cl: Cluster | None = None
    try:
        seed = json.loads(SEED_FILE.read_text())
        _redis_flush(REDIS_DB)
        redis_url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
        env = node_env(db_url, redis_url=redis_url, media=media, warmup=warmup)
        a = Node("node-a", free_port(), env, workers=workers)
        # Node B reads anonymous requests from a "replica": this machine has no streaming
        # replica, so it is the same database under its own connection name (sdg87.core.dbrouter).
        replica = {"SDG87_DATABASE_REPLICA_URL": f"{db_url}?application_name={REPLICA_NAME}"}
        b = Node("node-b", free_port(), {**env, **replica}, workers=workers)
        nodes += [a, b]
        a.spawn(), b.spawn()
        cl = Cluster(db, db_url, redis_url, media, seed, a, b, free_port())
        a.ready(), b.ready()
        conf = nginx_config(listen=cl.nginx_port, upstreams=[a.port, b.port])
        subprocess.run([NGINX, "-t", "-q", "-c", str(conf)], check=True)
        nginx_log = (VAR / "nginx.log").open("ab")
        cl.nginx = subprocess.Popen(
            [NGINX, "-c", str(conf)], stdout=nginx_log, stderr=nginx_log, start_new_session=True
        )
        wait_http(f"{cl.front}/healthz", cl.nginx)
        cl.start_worker()
        print(f"cluster up in {time.monotonic() - started:.1f} s", file=sys.stderr)
        yield cl
    finally:
        if cl is not None:
            for proc in (cl.nginx, cl.worker):
                if proc is not None:
                    stop(proc, wait=5)
            nodes += cl.extra
        for node in nodes:
            node.stop()
        psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


class Browser:
    """A requests session that keeps cookies whatever their Secure flag (production settings set
    it; the cluster here speaks plain HTTP) and sends the CSRF token like a form does."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}

    def _remember(self, response: requests.Response) -> None:
        for resp in [*response.history, response]:
            for header in resp.raw.headers.getlist("Set-Cookie"):
                name, _eq, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in header.lower() or not value:
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        response = self.http.request(method, url, headers=headers, **kwargs)
        self._remember(response)
        return response

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def sign_in(self, base: str, username: str) -> None:
        page = self.get(f"{base}/en/accounts/login/")
        assert page.status_code == 200, page.status_code
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None
        answer = self.post(
            f"{base}/en/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": PASSWORD,
            },
        )
        assert answer.status_code == 302, (answer.status_code, answer.text[:500])
        assert "sessionid" in self.cookies


@pytest.fixture
def browser() -> Browser:
    return Browser()
