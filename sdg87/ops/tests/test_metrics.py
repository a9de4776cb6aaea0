"""/metrics: Prometheus text format parsed by prometheus_client's own parser, latency by
route (never the raw path), queue gauges and the data version, access by network or token,
and samples summed across processes in multiprocess mode."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from sdg87.core.cache import data_version
from sdg87.ops import metrics
from sdg87.ops.middleware import UNMATCHED_ROUTE


def _scrape(client: Client) -> dict[str, list[Sample]]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        family.name: family.samples
        for family in text_string_to_metric_families(response.content.decode())
    }


@pytest.mark.django_db
def test_a_scrape_has_latency_by_route_queue_and_data_version() -> None:
    """After a request for a missing page under /en/ and one matching no route, the
    histogram has their routes (not the paths asked for); the queue gauges count the ready
    task; the data version is the cache's."""
    client = Client()
    client.get("/en/ops-metrics-probe-xyz/")
    client.get("/healthz/ops-metrics-unmatched-xyz")  # a machine prefix: no language redirect
    client.get("/healthz")
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="sdg87.ops.tests.no_such_task",
        backend_name="default",
        run_after=timezone.now(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=30)
    )
    families = _scrape(client)

    counts = families["sdg87_http_request_duration_seconds"]
    routes = {s.labels["route"] for s in counts}
    assert "healthz" in routes
    assert UNMATCHED_ROUTE in routes
    assert not any("xyz" in route for route in routes)  # bounded: never the raw path
    healthz = [
        s
        for s in counts
        if s.name.endswith("_count")
        and s.labels == {"route": "healthz", "method": "GET", "status": "2xx"}
    ]
    assert healthz and healthz[0].value >= 1
    assert "4xx" in {s.labels["status"] for s in counts if s.labels["route"] == UNMATCHED_ROUTE}

    assert families["sdg87_task_queue_ready"][0].value == 1
    assert 25 <= families["sdg87_task_queue_oldest_ready_age_seconds"][0].value < 120
    assert families["sdg87_data_version"][0].value == data_version()


@pytest.mark.django_db
def test_only_allowed_networks_or_the_token_may_scrape() -> None:
    """127.0.0.1 by default; another address gets a plain 404 unless its network is allowed
    or it sends the bearer token; a wrong token is a 404."""
    client = Client()
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    with override_settings(SDG87_METRICS_ALLOW=["203.0.113.0/24"]):
        assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    with override_settings(SDG87_METRICS_TOKEN="s3cret-token", SDG87_METRICS_ALLOW=[]):
        ok = client.get(
            "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token"
        )
        assert ok.status_code == 200
        wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer no")
        assert wrong.status_code == 404


WORKER = """
from sdg87.ops.instruments import request_observe
request_observe(route="api/v1/observations", method="GET", status=200, seconds=0.02)
request_observe(route="api/v1/observations", method="BREW", status=503, seconds=0.2)
"""


@pytest.mark.django_db
def test_multiprocess_mode_sums_every_worker(tmp_path: Path) -> None:
    """Two worker processes write to one PROMETHEUS_MULTIPROC_DIR; a scrape reads both: two
    2xx and two 5xx requests (the unknown method counted as OTHER)."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", WORKER], env=env, check=True, timeout=60)
    body, content_type = metrics.exposition(str(tmp_path))
    assert content_type.startswith("text/plain; version=0.0.4")
    samples = [
        s
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
        if s.name == "sdg87_http_request_duration_seconds_count"
    ]
    by_status = {(s.labels["method"], s.labels["status"]): s.value for s in samples}
    assert by_status == {("GET", "2xx"): 2.0, ("OTHER", "5xx"): 2.0}
