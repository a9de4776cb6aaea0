"""Health, readiness and metrics endpoints: plain answers for load balancers and Prometheus,
outside the language prefix, never cached, no CSRF, no session."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from sdg87.ops import selectors


@csrf_exempt
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and serving: no database, cache or queue is touched."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _timed(check: Callable[[], Any]) -> tuple[bool, float, Any, str]:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # any failure of a dependency makes the node unready
        return False, (time.perf_counter() - started) * 1000, None, f"{type(exc).__name__}: {exc}"
    return True, (time.perf_counter() - started) * 1000, result, ""


@csrf_exempt
@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to take traffic: the database answers, the cache keeps a value, and the task queue
    can be read (with its depth and the age of its oldest ready task; that age fails the check
    only beyond SDG87_READY_MAX_TASK_AGE seconds, when set). 200, or 503 naming what failed."""
    checks: dict[str, dict[str, Any]] = {}
    for name, check in (("database", selectors.database_check), ("cache", selectors.cache_check)):
        ok, ms, _result, error = _timed(check)
        checks[name] = {"ok": ok, "ms": round(ms, 1)} | ({"error": error} if error else {})

    ok, ms, stats, error = _timed(selectors.task_queue_stats)
    tasks: dict[str, Any] = {"ok": ok, "ms": round(ms, 1)}
    if ok:
        tasks["ready"] = stats.ready
        tasks["oldest_ready_age_seconds"] = stats.oldest_ready_age_seconds
        max_age = settings.SDG87_READY_MAX_TASK_AGE
        if max_age and stats.oldest_ready_age_seconds > max_age:
            tasks["ok"] = False
            tasks["error"] = (
                f"oldest ready task has waited {stats.oldest_ready_age_seconds:.0f} s "
                f"(SDG87_READY_MAX_TASK_AGE={max_age})"
            )
    else:
        tasks["error"] = error
    checks["tasks"] = tasks

    failing = [name for name, check in checks.items() if not check["ok"]]
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)


@csrf_exempt
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text exposition for allowed networks or the bearer token; 404 for anyone
    else, so the endpoint is not advertised."""
    from sdg87.ops import metrics as prom

    if not prom.scrape_allowed(request):
        return HttpResponseNotFound("Not Found\n", content_type="text/plain; charset=utf-8")
    body, content_type = prom.exposition()
    return HttpResponse(body, content_type=content_type)
