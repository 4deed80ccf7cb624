"""``GET /metrics``: every metric of this host in Prometheus's text format, for its scraper.

Not public: it answers 404 unless ``METRICS_TOKEN`` is set, and then only to a request
that sends ``Authorization: Bearer <METRICS_TOKEN>`` (401 otherwise). It reads neither
the database nor the cache: the counters come from this process (or, under gunicorn,
from every worker's files, see ops/metrics.py) and the task queue's depth from its
broker (ops/task_queue.py). It is a plain Django view, outside the API and its schema.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from .metrics import REGISTRY
from .task_queue import TaskQueueCollector


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404  # not configured: as if there were no such address
    if not constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}"):
        response = HttpResponse("A bearer token is required.\n", status=401,
                                content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(scraped_registry()), content_type=CONTENT_TYPE_LATEST)


def scraped_registry() -> CollectorRegistry:
    """Return what a scrape reports: the workers' files added up (multiprocess mode) or
    this process's metrics, and the task queue read now."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_directory():
        MultiProcessCollector(registry)
    else:
        registry.register(_Collected(REGISTRY))
    registry.register(TaskQueueCollector())
    return registry


def multiprocess_directory() -> str:
    """Return the folder where gunicorn's workers write their metrics, or ""."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


class _Collected:
    """Another registry's metrics, as one collector."""

    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self) -> Iterable:
        return self.registry.collect()
