"""The Celery task that computes a simulation job in a worker (``-Q simulations``).

It leaves the result or image in the shared cache under the job's key, where the request
that queued it (and any later one) finds it: Celery's own result backend is not used.
"""

from __future__ import annotations

import logging

from celery import shared_task

from . import jobs, services

logger = logging.getLogger(__name__)


@shared_task(name="simulations.compute", ignore_result=True)
def compute(job: dict, key: str) -> None:
    """Compute the job unless it is cached already (another job drew the same thing)."""
    if services.is_cached(key):
        return
    try:
        planned = jobs.plan(job)
        if planned.key != key:  # a web process and a worker on different engine versions
            raise ValueError(f"job {key} plans as {planned.key}")
        services.compute(planned)
    except Exception as error:
        logger.exception("simulation job %s failed", key)
        jobs.mark_failed(key, type(error).__name__)
