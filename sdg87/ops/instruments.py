"""The process-side Prometheus instruments. Free of Django imports, so a gunicorn hook or a
test can load it alone.

With ``PROMETHEUS_MULTIPROC_DIR`` set in the environment before the first import of
prometheus_client (the systemd unit or the compose file sets it), every gunicorn worker writes
its samples to files in that directory and a scrape of any worker sums them all
(prometheus_client's multiprocess mode); without it, each process counts for itself.
"""

from __future__ import annotations

from prometheus_client import Histogram

REQUEST_DURATION = Histogram(
    "sdg87_http_request_duration_seconds",
    "Time from the first middleware to the response, by URL route (never the raw path), "
    "HTTP method and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def request_observe(*, route: str, method: str, status: int, seconds: float) -> None:
    """Counts one served request; unusual methods share one label so labels stay bounded."""
    REQUEST_DURATION.labels(
        route=route,
        method=method if method in KNOWN_METHODS else "OTHER",
        status=f"{status // 100}xx",
    ).observe(seconds)
