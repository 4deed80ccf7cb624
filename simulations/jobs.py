"""A simulation job: one planned result or image, as plain JSON a worker can plan again,
and the record of its progress that every process reads in the shared cache.

The job is named by the content key of what it computes (the cache key and ETag, see
:func:`simulations.services.content_key`): two requests for the same numbers are one job,
and the job is done when its key is in the cache. The record says when it was queued,
where its result is served and whether the worker gave up on it; a record older than
``SIMULATION_JOB_TIMEOUT`` whose result never came is a lost job (its worker died), and
the next request for it queues it again.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

from . import services
from .engine.core import normalized

PENDING, DONE, FAILED = "pending", "done", "failed"
# A record outlives its timeout so that a poll can still say "failed" for a while.
RECORD_LIFETIME = 3600


def describe(planned: services.ResultRequest | services.PlotRequest) -> dict[str, Any]:
    """Return a planned request as JSON (what a task carries to the worker)."""
    if isinstance(planned, services.ResultRequest):
        return {"result": {"slug": planned.slug, "params": normalized(planned.params),
                           "seed": planned.seed}}
    return {"plot": {"slug": planned.slug, "kind": planned.kind, "seed": planned.seed,
                     "series": [[label, normalized(params)] for label, params in planned.series],
                     "language": planned.language, "fmt": planned.fmt,
                     "layout": planned.layout}}


def plan(job: dict[str, Any]) -> services.ResultRequest | services.PlotRequest:
    """Plan the request a job describes again (validating it, as the web did)."""
    if "result" in job:
        spec = job["result"]
        return services.plan_result(slug=spec["slug"], raw_params=spec["params"],
                                    seed=spec["seed"])
    spec = job["plot"]
    return services.plan_plot(slug=spec["slug"], series=[tuple(pair) for pair in spec["series"]],
                              seed=spec["seed"], kind=spec["kind"], language=spec["language"],
                              fmt=spec["fmt"], layout=spec.get("layout", "wide"))


def claim(key: str, result_url: str, *, replace: bool) -> bool:
    """Record a new pending job; False if another request recorded it first.

    ``replace`` overwrites a lost or failed job's record (it is being queued again).
    """
    record = {"state": PENDING, "since": time.time(), "result": result_url}
    if replace:
        cache.set(_record_name(key), record, RECORD_LIFETIME)
        return True
    return cache.add(_record_name(key), record, RECORD_LIFETIME)


def record(key: str) -> dict[str, Any] | None:
    return cache.get(_record_name(key))


def forget(key: str) -> None:
    cache.delete(_record_name(key))


def mark_failed(key: str, reason: str) -> None:
    """Record that the worker could not compute the job (a bug: it has been logged)."""
    stored = record(key) or {"result": None}
    cache.set(_record_name(key), {**stored, "state": FAILED, "since": time.time(),
                                  "reason": reason}, RECORD_LIFETIME)


def state(key: str, stored: dict[str, Any] | None = None) -> str | None:
    """Return DONE, PENDING or FAILED (a lost job is FAILED), or None for no such job."""
    if services.is_cached(key):
        return DONE
    stored = record(key) if stored is None else stored
    if stored is None:
        return None
    if stored["state"] == PENDING and is_lost(stored):
        return FAILED
    return stored["state"]


def is_lost(stored: dict[str, Any]) -> bool:
    return time.time() - stored["since"] > settings.SIMULATION_JOB_TIMEOUT


def _record_name(key: str) -> str:
    return f"simulations:job:{key}"
