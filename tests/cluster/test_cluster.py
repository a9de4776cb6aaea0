"""Two gunicorn nodes behind nginx, sharing PostgreSQL and Redis, with one task worker
(issue 15 item 5): what one node writes, the other serves at once; a session outlives the node
that created it; the worker runs what either node enqueued."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests

from .conftest import REPLICA_NAME, VAR, Browser, Cluster

pytestmark = pytest.mark.cluster


def datasets_answer(base: str) -> tuple[str, list[str]]:
    """(X-Cache, slugs) of the anonymous public dataset list answered by `base`."""
    response = requests.get(f"{base}/api/v1/datasets?q=cluster&limit=50", timeout=30)
    assert response.status_code == 200, response.text[:300]
    slugs = [row["slug"] for row in response.json()["results"]]
    return response.headers.get("X-Cache", ""), slugs


def wait_until(check: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.3)
    return check()


def test_a_publish_on_node_a_is_served_at_once_by_node_b_and_nginx(
    cluster: Cluster, browser: Browser
) -> None:
    """Node B caches the anonymous answer in Redis (node A then hits the same entry); the
    editor publishes through node A; node B's next answer is fresh (a miss, with the dataset),
    and so is nginx's."""
    slug = cluster.seed["approved"][0]
    assert datasets_answer(cluster.b.url) == ("miss", [])
    assert datasets_answer(cluster.b.url)[0] == "hit"
    assert datasets_answer(cluster.a.url)[0] == "hit"  # one cache for every node

    browser.sign_in(cluster.a.url, cluster.seed["editor"])
    answer = browser.post(f"{cluster.a.url}/en/datasets/{slug}/action/publish/", data={})
    assert answer.status_code == 302

    state, slugs = datasets_answer(cluster.b.url)
    assert (state, slugs) == ("miss", [slug])
    assert datasets_answer(cluster.front)[1] == [slug]
    page = requests.get(f"{cluster.front}/en/datasets/{slug}/", timeout=30)
    assert page.status_code == 200


def test_node_b_reads_anonymous_requests_from_the_replica(cluster: Cluster) -> None:
    """Node B has SDG87_DATABASE_REPLICA_URL (the same database under the connection name
    sdg87-replica): an anonymous page opens that connection; signed-in requests and writes on
    node B go to the primary (they pass in the other tests: uploads, the session test)."""
    assert requests.get(f"{cluster.b.url}/en/datasets/", timeout=30).status_code == 200
    connections = cluster.sql(
        "SELECT count(*) FROM pg_stat_activity "
        f"WHERE datname = current_database() AND application_name = '{REPLICA_NAME}'"
    )
    assert int(connections) >= 1


def _upload(browser: Browser, base: str, slug: str, name: str) -> requests.Response:
    form = browser.get(f"{base}/en/datasets/{slug}/upload/")
    assert form.status_code == 200, form.status_code
    body = b"geo,year,value,unit\nKEN,2019,12.5,PERCENT\nNPL,2019,14.1,PERCENT\n"
    return browser.post(
        f"{base}/en/datasets/{slug}/upload/",
        data={"title": name},
        files={"file": (f"{name}.csv", body, "text/csv")},
    )


def test_the_worker_runs_tasks_enqueued_by_either_node(cluster: Cluster, browser: Browser) -> None:
    """An upload through node A and one through node B each enqueue a validation task; the one
    worker validates both."""
    slug = cluster.seed["draft"]
    browser.sign_in(cluster.b.url, cluster.seed["contributor"])
    for node, name in ((cluster.a, "from-node-a"), (cluster.b, "from-node-b")):
        assert _upload(browser, node.url, slug, name).status_code == 302

    def validated() -> str:
        return cluster.sql(
            "SELECT string_agg(d.title || '=' || coalesce(d.is_valid::text, 'pending'), ',' "
            "ORDER BY d.title) FROM catalog_distribution d JOIN catalog_dataset s "
            f"ON s.id = d.dataset_id WHERE s.slug = '{slug}' AND d.title LIKE 'from-node-%'"
        )

    assert wait_until(lambda: "pending" not in validated() and validated(), 60)
    assert validated() == "from-node-a=true,from-node-b=true"


def test_a_session_outlives_the_node_that_made_it(cluster: Cluster, browser: Browser) -> None:
    """Signed in through node A; node A dies (SIGKILL); the next request through nginx is
    answered by node B, still signed in. Node A is started again afterwards (not waited for:
    the next test that needs it waits)."""
    browser.sign_in(cluster.a.url, cluster.seed["editor"])
    mine = f"{cluster.front}/en/datasets/mine/"
    assert browser.get(mine).status_code == 200
    served_by_b = _count(cluster, "node-b", "/en/datasets/mine/")
    cluster.a.kill()
    try:
        for _ in range(4):  # round robin: each node would have had its turn
            answer = browser.get(mine)
            assert answer.status_code == 200, answer.status_code
            assert "/accounts/login/" not in answer.headers.get("Location", "")
        assert _count(cluster, "node-b", "/en/datasets/mine/") == served_by_b + 4
    finally:
        cluster.a.spawn()


def _count(cluster: Cluster, node: str, path: str) -> int:
    """Requests for `path` in a node's gunicorn access log."""
    log = VAR / f"{node}-access.log"
    time.sleep(0.2)
    return sum(f"GET {path} " in line for line in log.read_text().splitlines())


def test_static_files_are_hashed_and_immutable_through_nginx_and_the_nodes(
    cluster: Cluster,
) -> None:
    """Pages link static files by content-hashed names (collectstatic's manifest); nginx and a
    gunicorn node (whitenoise, for setups without nginx) serve them for a year, immutable; an
    unhashed name is only cached for an hour."""
    # Node A may be booting again after the kill test: with --preload its master loads the
    # application before it listens, so until then a connection is refused, not queued.
    cluster.a.ready()
    page = requests.get(f"{cluster.front}/en/", timeout=30)
    assert page.status_code == 200
    hashed = sorted(set(re.findall(r'/static/[^"\s]+\.[0-9a-f]{12}\.css', page.text)))
    assert hashed, "the home page links no hashed stylesheet"
    for base in (cluster.front, cluster.a.url):
        answer = requests.get(base + hashed[0], timeout=30)
        assert answer.status_code == 200
        control = answer.headers["Cache-Control"]
        assert "immutable" in control and re.search(r"max-age=(31536000|315360000)\b", control)
    plain = re.sub(r"\.[0-9a-f]{12}(\.css)$", r"\1", hashed[0])
    answer = requests.get(cluster.front + plain, timeout=30)
    assert answer.status_code == 200
    assert "immutable" not in answer.headers["Cache-Control"]
