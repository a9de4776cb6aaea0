"""Faults on the cluster (issue 15 item 6): nothing lost, nothing half-written, service resumes.

Redis down and a full disk get a node of their own (a private redis-server, a `ulimit -f`),
so the shared cluster is never degraded for the other tests. The faults that need more than a
node (the worker killed mid-import, PostgreSQL restarted mid-request) are runs of
bench/faults.py, results in docs/deployment.md."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from .conftest import VAR, Browser, Cluster, Node, free_port, node_env, stop

pytestmark = pytest.mark.cluster

CSV_HEAD = b"geo,year,value,unit\n"


def media_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def distributions(cluster: Cluster, title: str) -> int:
    return int(cluster.sql(f"SELECT count(*) FROM catalog_distribution WHERE title = '{title}'"))


def upload_form(browser: Browser, base: str, slug: str) -> None:
    assert browser.get(f"{base}/en/datasets/{slug}/upload/").status_code == 200


def multipart(title: str, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----sdg87cluster7MA4YWxkTrZu0gW"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode(),
        content,
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def redis_server(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc


@dataclass
class Degraded:
    """One extra node for the faults that must not touch the shared cluster: its own
    redis-server (which a test stops) and RLIMIT_FSIZE 512 KiB on a media path of its own."""

    node: Node
    media: Path
    redis_port: int
    redis: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def degraded(cluster: Cluster) -> Iterator[Degraded]:
    port = free_port()
    redis_proc = redis_server(port)
    media = VAR / "media-full"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir()
    env = node_env(cluster.db_url, redis_url=f"redis://127.0.0.1:{port}/0", media=media)
    node = Node("node-degraded", free_port(), env, limits="-f 512")
    cluster.extra.append(node)
    node.start()
    state = Degraded(node, media, port, redis_proc)
    yield state
    node.stop()
    stop(state.redis)


def test_with_redis_down_the_site_keeps_serving_uncached(
    cluster: Cluster, degraded: Degraded
) -> None:
    """A node on its own redis-server caches API answers; Redis is killed: pages, API answers
    and a sign-in still succeed (uncached: X-Cache miss every time); Redis back: cached again."""
    node = degraded.node
    api = f"{node.url}/api/v1/datasets?q=zz"
    assert [requests.get(api, timeout=30).headers["X-Cache"] for _ in range(2)] == ["miss", "hit"]
    stop(degraded.redis)
    for path in ("/en/", "/fr/", "/api/v1/datasets?q=zz"):
        answer = requests.get(node.url + path, timeout=30)
        assert answer.status_code == 200, (path, answer.status_code)
    assert requests.get(api, timeout=30).headers["X-Cache"] == "miss"
    assert requests.get(api, timeout=30).headers["X-Cache"] == "miss"
    browser = Browser()
    browser.sign_in(node.url, cluster.seed["editor"])
    assert browser.get(f"{node.url}/en/datasets/mine/").status_code == 200
    degraded.redis = redis_server(degraded.redis_port)
    states = [requests.get(api, timeout=30).headers["X-Cache"] for _ in range(2)]
    assert states == ["miss", "hit"]


def test_a_full_media_disk_refuses_the_upload_and_leaves_nothing_behind(
    cluster: Cluster, degraded: Degraded, browser: Browser
) -> None:
    """The media path is full: simulated with RLIMIT_FSIZE (`ulimit -f 512`: no file the node
    writes may exceed 512 KiB; a loop device or tmpfs needs privileges this machine's CI may
    not have). A 1 MB upload fails with a 507 page saying nothing was saved (not a crash of
    the node), leaves no distribution row and no file under MEDIA_ROOT; a small upload then
    succeeds."""
    node, media = degraded.node, degraded.media
    slug = cluster.seed["draft"]
    browser.sign_in(node.url, cluster.seed["contributor"])
    upload_form(browser, node.url, slug)
    rows = b"".join(b"KEN,%d,12.5,PERCENT\n" % (1000 + i % 1000) for i in range(50_000))
    answer = browser.post(
        f"{node.url}/en/datasets/{slug}/upload/",
        data={"title": "disk-full"},
        files={"file": ("full.csv", CSV_HEAD + rows, "text/csv")},
    )
    assert answer.status_code == 507, "a 1 MB file cannot have been stored"
    assert "Nothing was saved" in answer.text
    assert distributions(cluster, "disk-full") == 0
    assert media_files(media) == set()
    assert requests.get(f"{node.url}/healthz", timeout=10).status_code == 200
    small = browser.post(
        f"{node.url}/en/datasets/{slug}/upload/",
        data={"title": "disk-ok"},
        files={"file": ("ok.csv", CSV_HEAD + b"KEN,2019,12.5,PERCENT\n", "text/csv")},
    )
    assert small.status_code == 302
    assert distributions(cluster, "disk-ok") == 1


def test_a_web_node_killed_mid_upload_writes_nothing_and_the_retry_succeeds(
    cluster: Cluster, browser: Browser
) -> None:
    """Half of a 3 MB upload reaches node A, then node A is killed (SIGKILL). No distribution
    row, no file under MEDIA_ROOT; the same upload sent again through nginx lands once, on
    node B (node A stays down: the last test that needs it)."""
    cluster.a.ready()  # started again by the session test
    slug = cluster.seed["draft"]
    browser.sign_in(cluster.front, cluster.seed["contributor"])
    upload_form(browser, cluster.front, slug)
    rows = b"".join(b"KEN,%d,12.5,PERCENT\n" % (1000 + i % 1000) for i in range(150_000))
    body, content_type = multipart("half-upload", "half.csv", CSV_HEAD + rows)
    before = media_files(cluster.media)
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    head = (
        f"POST /en/datasets/{slug}/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: {cookie}\r\nX-CSRFToken: {browser.cookies['csrftoken']}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", cluster.a.port), timeout=30) as sock:
        sock.sendall(head + body[: len(body) // 2])
        time.sleep(0.5)
        cluster.a.kill()
    assert distributions(cluster, "half-upload") == 0
    assert media_files(cluster.media) == before
    # Node A stays down: nginx cannot connect to it and passes the POST to node B (a request
    # that never reached a node is safe to send to the next one).
    answer = browser.post(
        f"{cluster.front}/en/datasets/{slug}/upload/",
        data={"title": "half-upload"},
        files={"file": ("half.csv", CSV_HEAD + rows, "text/csv")},
    )
    assert answer.status_code == 302, answer.text[:500]
    assert distributions(cluster, "half-upload") == 1
