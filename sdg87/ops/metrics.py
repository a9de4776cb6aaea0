"""Prometheus exposition for /metrics: the request histogram of every process (see
``sdg87.ops.instruments``) plus gauges read at scrape time from the database and the cache:
task queue depth, age of the oldest ready task, and the public data version."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from sdg87.core.cache import data_version
from sdg87.core.client_ip import client_ip
from sdg87.ops import selectors

logger = logging.getLogger(__name__)


class ScrapeTimeCollector(Collector):
    """Gauges that are facts about shared state, not about one process: read once per scrape.
    A source that cannot be read is left out of the answer (and logged), never a failed
    scrape; /readyz says what is down."""

    def collect(self) -> Iterator[Metric]:
        try:
            stats = selectors.task_queue_stats()
        except Exception:
            logger.exception("metrics: could not read the task queue")
        else:
            depth = GaugeMetricFamily(
                "sdg87_task_queue_ready",
                "Tasks in django-tasks-db's queue that a worker may start now.",
            )
            depth.add_metric([], stats.ready)
            yield depth
            age = GaugeMetricFamily(
                "sdg87_task_queue_oldest_ready_age_seconds",
                "How long the oldest ready task has waited (0 when the queue is empty).",
            )
            age.add_metric([], stats.oldest_ready_age_seconds)
            yield age
        try:
            version = data_version()
        except Exception:
            logger.exception("metrics: could not read the data version")
        else:
            gauge = GaugeMetricFamily(
                "sdg87_data_version",
                "The public data version (sdg87.core.cache): bumped by every write that "
                "changes what the public sees; cached answers are keyed by it.",
            )
            gauge.add_metric([], version)
            yield gauge


class _DefaultRegistry(Collector):
    """This process's own instruments (single-process mode)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def registry(multiproc_dir: str | None = None) -> CollectorRegistry:
    """A registry for one scrape: every worker's samples when a multiprocess directory is set,
    else this process's, plus the scrape-time gauges."""
    multiproc_dir = multiproc_dir or os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    scrape = CollectorRegistry(auto_describe=False)
    if multiproc_dir:
        MultiProcessCollector(scrape, path=multiproc_dir)
    else:
        scrape.register(_DefaultRegistry())
    scrape.register(ScrapeTimeCollector())
    return scrape


def exposition(multiproc_dir: str | None = None) -> tuple[bytes, str]:
    """The text exposition format 0.0.4 (legacy names, what every Prometheus reads) and its
    content type."""
    return generate_latest(registry(multiproc_dir)), CONTENT_TYPE_PLAIN_0_0_4


def scrape_allowed(request: HttpRequest) -> bool:
    """A scrape is answered for a bearer token equal to SDG87_METRICS_TOKEN (when set), or for a
    client address (sdg87.core.client_ip) inside one of the SDG87_METRICS_ALLOW networks."""
    token = settings.SDG87_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].encode(), token.encode())
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for network in settings.SDG87_METRICS_ALLOW:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            logger.warning("SDG87_METRICS_ALLOW: %r is not a network", network)
    return False
