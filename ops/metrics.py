"""The numbers an operator watches, counted where they happen, for Prometheus to scrape.

The apps count through the functions here (ops is below every app, so any app may call
them; ops imports no app): :func:`count_cache_lookup` where a cache is read,
:func:`count_recorded_answer` as an ``ATTEMPT_RECORDED_HOOKS`` hook (registered by
quizzes), and the request middleware (ops/request_metrics.py) times every request.
``/metrics`` (ops/metrics_endpoint.py) exposes them; docs/deploy.md, "Metrics", lists
them with example queries.

Under gunicorn every worker is a process of its own with its own counters. With
``PROMETHEUS_MULTIPROC_DIR`` set before this module is imported (gunicorn.conf.py sets
it for the workers), each process writes its values to a file in that folder and a
scrape, whichever worker answers it, adds up every worker's files (prometheus_client's
multiprocess mode). Without it the values are this process's own, which is right for
one process (runserver, the tests).
"""

from __future__ import annotations

import enum
import logging
from typing import Any

from django.db import transaction
from prometheus_client import CollectorRegistry, Counter, Histogram

logger = logging.getLogger(__name__)

# The metrics of this process; a scrape in multiprocess mode reads the workers' files
# instead (ops/metrics_endpoint.py). Not prometheus_client's global registry: its
# process and platform collectors describe one worker, which is meaningless summed.
REGISTRY = CollectorRegistry(auto_describe=True)

# Seconds: a cached page answers in milliseconds, an uncached figure in seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUEST_DURATION = Histogram(
    "gradiente_http_request_duration_seconds",
    "Time to answer a request, by URL pattern (not path), method and status class; "
    "_count is the number of requests.",
    ["route", "method", "status"], buckets=LATENCY_BUCKETS, registry=REGISTRY)

ANSWERS_RECORDED = Counter(
    "gradiente_answers_recorded",
    "Answers of logged-in learners stored (committed), by outcome.",
    ["outcome"], registry=REGISTRY)

CACHE_LOOKUPS = Counter(
    "gradiente_cache_lookups",
    "Reads of a cache of computed work, by cache and result (hit or miss).",
    ["cache", "result"], registry=REGISTRY)


class CacheName(enum.StrEnum):
    """The caches of computed work whose hits and misses are counted (the label values)."""

    SIMULATION_RESULT = "simulation_result"  # a simulation run (simulations/services.py)
    PLOT = "plot"  # an image: lab plots and lesson figures (simulations/services.py)
    LESSON_TEXT = "lesson_text"  # the API's lesson body (classroom/api_cache.py)
    LESSON_QUESTIONS = "lesson_questions"  # one learner's questions (classroom/api_cache.py)
    CONTENT = "content"  # values derived from the course content (classroom/api_cache.py)
    SERVED_VARIANT = "served_variant"  # a learner's question variant (quizzes)
    CERTIFICATE_PDF = "certificate_pdf"  # a certificate's PDF (progress)


# Every series exists from the start, at 0: rate() and "has it stopped?" alerts need a
# series before its first event.
for _outcome in ("correct", "wrong"):
    ANSWERS_RECORDED.labels(_outcome)
for _cache in CacheName:
    for _result in ("hit", "miss"):
        CACHE_LOOKUPS.labels(_cache.value, _result)


def count_cache_lookup(cache: CacheName, *, hit: bool) -> None:
    """Count one read of ``cache``: a hit (the work was done before) or a miss."""
    try:
        CACHE_LOOKUPS.labels(cache.value, "hit" if hit else "miss").inc()
    except Exception:  # noqa: BLE001 - see uncounted()
        uncounted("a cache lookup")


def uncounted(what: str) -> None:
    """Log a count that failed. Counting never fails a request: in multiprocess mode a
    new series opens a file in ``PROMETHEUS_MULTIPROC_DIR``, which may have been removed
    (a /tmp cleaner) or be full; the learner's page matters more than the number."""
    logger.warning("%s was not counted", what, exc_info=True)


def count_recorded_answer(attempt: Any) -> None:
    """Count a stored answer once its transaction commits (an ``ATTEMPT_RECORDED_HOOKS``
    hook: ``attempt`` is the stored attempt, read for its ``is_correct``).

    An answer rolled back (the request failed after grading) was not recorded, so it is
    counted on commit, not when graded.
    """
    outcome = "correct" if attempt.is_correct else "wrong"
    # robust: the answer is committed by then, so a failed count must not turn it into a 500.
    transaction.on_commit(lambda: ANSWERS_RECORDED.labels(outcome).inc(), robust=True)
