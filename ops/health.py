"""Health checks for a load balancer or an orchestrator.

``/healthz`` (liveness) answers as long as the process serves requests: it touches
neither the database nor the cache, so an outage of PostgreSQL does not get every app
process restarted. ``/readyz`` (readiness) checks what a request needs: the database
always, and the cache when it is shared (Redis); a process that cannot reach the
database is taken out of rotation until it can, one that cannot reach Redis says it is
"degraded" and keeps serving (storage/redis_cache.py).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def liveness(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check(_database), "cache": _check(_cache)}
    # Without Redis the app serves, degraded (docs/adr/0004-cache-outage.md); every
    # process shares that Redis, so taking them out of rotation would stop everything.
    ready = checks["database"]["ok"]
    status = "ok" if checks["cache"]["ok"] and ready else "degraded" if ready else "unavailable"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)


def _check(probe) -> dict:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", said as such
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round(1000 * (time.perf_counter() - started), 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    """Round-trip a key through the cache (a no-op test for a process-local cache)."""
    cache.set("readyz", 1, 10)
    if cache.get("readyz") != 1:
        raise ConnectionError("the cache lost a key it was just given")
