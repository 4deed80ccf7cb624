"""Get a simulation's result or image without letting uncached work starve the site.

A cached result or image is returned at once. Uncached work, with a broker configured
(``CELERY_BROKER_URL``), is queued for the Celery workers (queue ``SIMULATION_QUEUE``)
and the request waits for it at most ``SIMULATION_WAIT_SECONDS`` (at most
``SIMULATION_WAITERS`` requests per process wait; others do not); then the caller
answers "pending" (the API's 202, the lab's page that reloads itself). The queue is
bounded: past ``SIMULATION_QUEUE_LIMIT`` waiting jobs a new one is refused (:class:`Busy`,
a 503 with Retry-After). Without a broker (``make run``, the SQLite tests) the work runs
in the request, at most ``SIMULATION_LOCAL_SLOTS`` at a time per process, so the site
needs no service. docs/adr/0005-simulation-queue.md says why.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

from . import jobs, services, tasks

logger = logging.getLogger(__name__)
POLL_INTERVAL = 0.05
# What a refused request is told to wait, in seconds: about what a few queued runs take.
BUSY_RETRY_AFTER = 5


@dataclasses.dataclass(frozen=True)
class Pending:
    """The work is queued (or running) and not done yet: ask again under ``key``."""

    key: str


class Busy(Exception):
    """Too much work is waiting already (or the broker cannot be reached): retry later."""

    def __init__(self, retry_after: int = BUSY_RETRY_AFTER):
        super().__init__(f"simulation queue full; retry after {retry_after} s")
        self.retry_after = retry_after


class Failed(Exception):
    """The worker could not compute this job (a bug, logged by the worker)."""


def obtain(planned: services.ResultRequest | services.PlotRequest, *, result_url: str,
           before_work: Callable[[], None] = lambda: None) -> Any:
    """Return the result or image, or :class:`Pending` if it is still being computed.

    ``before_work`` is called only when new work is about to start (the throttle's
    count); it may raise to refuse it. Raises :class:`Busy` and :class:`Failed`.
    """
    value = services.cached(planned)
    if value is not None:
        return value
    if not settings.CELERY_BROKER_URL:
        return _run_here(planned, before_work)
    stored = jobs.record(planned.key)
    if stored is None or jobs.state(planned.key, stored) == jobs.FAILED:
        before_work()
        _submit(planned, result_url, replace=stored is not None)
    return _wait_for(planned)


def queue_depth() -> int:
    """Return how many jobs wait in the simulations queue (those not yet taken)."""
    from celery import current_app

    # A pooled connection (the one tasks are sent on): no new connection per request.
    with current_app.pool.acquire(block=True, timeout=2) as connection:
        connection.ensure_connection(max_retries=1)
        # Declared as Celery declares it (durable), so that this never conflicts.
        declared = connection.default_channel.queue_declare(
            queue=settings.SIMULATION_QUEUE, durable=True, auto_delete=False)
        return declared.message_count


def _submit(planned, result_url: str, *, replace: bool) -> None:
    try:
        if queue_depth() >= settings.SIMULATION_QUEUE_LIMIT:
            raise Busy()
        if not jobs.claim(planned.key, result_url, replace=replace):
            return  # another request queued it a moment ago
        try:
            tasks.compute.apply_async(
                args=[jobs.describe(planned), planned.key], queue=settings.SIMULATION_QUEUE,
                expires=settings.SIMULATION_JOB_TIMEOUT, retry=False)
        except Exception:
            jobs.forget(planned.key)
            raise
    except Busy:
        raise
    except Exception as error:  # the broker is unreachable: as good as full
        logger.warning("simulation broker unreachable: %s", error)
        raise Busy() from error


def _wait_for(planned) -> Any:
    """Wait for the job's result, if no other request of this process is waiting already.

    A waiting request holds one of the process's threads: were every request of a flood
    to wait, page views would find none free. So at most SIMULATION_WAITERS requests of a
    process wait; the others answer "pending" at once (cheaply) and are polled instead.
    """
    waiters = _semaphore(_waiters, settings.SIMULATION_WAITERS)
    if not waiters.acquire(blocking=False):
        return Pending(planned.key)
    try:
        return _poll_cache(planned, time.monotonic() + settings.SIMULATION_WAIT_SECONDS)
    finally:
        waiters.release()


def _poll_cache(planned, deadline: float) -> Any:
    while True:
        value = services.cached(planned)
        if value is not None:
            return value
        stored = jobs.record(planned.key)
        if stored is not None and stored["state"] == jobs.FAILED:
            raise Failed(planned.key)
        if time.monotonic() >= deadline:
            return Pending(planned.key)
        time.sleep(POLL_INTERVAL)


# Per process, by their configured size (tests change it): requests running simulations
# without a broker, and requests waiting for a worker's result.
_slots: dict[int, threading.BoundedSemaphore] = {}
_waiters: dict[int, threading.BoundedSemaphore] = {}
_semaphores_lock = threading.Lock()


def _run_here(planned, before_work: Callable[[], None]) -> Any:
    """Without a broker: run in this request, if one of the process's slots frees in time."""
    before_work()
    slots = _semaphore(_slots, settings.SIMULATION_LOCAL_SLOTS)
    if not slots.acquire(timeout=settings.SIMULATION_WAIT_SECONDS):
        raise Busy()
    try:
        return services.compute(planned)
    finally:
        slots.release()


def _semaphore(semaphores: dict[int, threading.BoundedSemaphore],
               count: int) -> threading.BoundedSemaphore:
    with _semaphores_lock:
        return semaphores.setdefault(count, threading.BoundedSemaphore(count))
