"""How many tasks wait in the broker's ``simulations`` queue, read when Prometheus scrapes.

The broker is ``CELERY_BROKER_URL``'s. Celery need not be installed in the app process:

- ``redis://`` (``rediss://``, ``unix://``): Celery's Redis transport keeps a queue as a
  list named after it, plus one list per priority step when tasks carry a priority
  (``simulations\\x06\\x163``, ``...6``, ``...9``, as kombu names them); their lengths
  are added up, in one round trip, with the ``redis`` client the cache already uses.
- ``amqp://`` (``amqps://``, ``pyamqp://``): RabbitMQ tells a queue's message count in
  answer to a *passive* ``queue.declare`` (which creates nothing); read with kombu, when
  it is importable (it comes with Celery). Without kombu the depth is not reported.

A queue that does not exist yet holds no task: 0. Every read is bounded by
``TIMEOUT_SECONDS`` per network step and never raises: a broker that cannot be reached
is reported as down (``gradiente_task_broker_up 0``) and its depth is left out, so a
scrape never fails or hangs because of the broker.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.conf import settings
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

QUEUE = "simulations"  # the default; the site's own is settings.SIMULATION_QUEUE
TIMEOUT_SECONDS = 0.5
REDIS_SCHEMES = {"redis", "rediss", "unix"}
AMQP_SCHEMES = {"amqp", "amqps", "pyamqp"}
# kombu's Redis transport: a priority above 0 goes to "<queue><sep><step>".
REDIS_PRIORITY_SEPARATOR = "\x06\x16"
REDIS_PRIORITY_STEPS = (3, 6, 9)


class BrokerUnreachable(Exception):
    """The broker did not answer within the timeout (or refused the connection)."""


def broker_url() -> str:
    """Return the task broker's URL (``CELERY_BROKER_URL``), or "" when none is set."""
    return (getattr(settings, "CELERY_BROKER_URL", "") or "").strip()


def can_read(url: str) -> bool:
    """Return whether the depth of a queue on ``url``'s broker can be read here."""
    scheme = urlsplit(url).scheme
    if scheme in REDIS_SCHEMES:
        return True
    return scheme in AMQP_SCHEMES and kombu_importable()


@functools.cache
def kombu_importable() -> bool:
    """Return whether kombu can be imported (it comes with Celery)."""
    # Imported to find out: kombu replaces its module object, so find_spec fails on it.
    try:
        import kombu  # noqa: F401
    except ImportError:
        return False
    return True


def queue_depth(url: str, queue: str = QUEUE, *, timeout: float = TIMEOUT_SECONDS) -> int:
    """Return the number of messages waiting in ``queue`` on the broker at ``url``.

    Raise BrokerUnreachable when the broker does not answer, ValueError for a broker this
    cannot read (see :func:`can_read`).
    """
    scheme = urlsplit(url).scheme
    if scheme in REDIS_SCHEMES:
        return _redis_depth(url, queue, timeout)
    if scheme in AMQP_SCHEMES and can_read(url):
        return _amqp_depth(url, queue, timeout)
    raise ValueError(f"cannot read a queue's depth on a {scheme or 'schemeless'} broker")


def _redis_depth(url: str, queue: str, timeout: float) -> int:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    names = [queue, *(f"{queue}{REDIS_PRIORITY_SEPARATOR}{step}"
                      for step in REDIS_PRIORITY_STEPS)]
    try:
        pipeline = client.pipeline(transaction=False)
        for name in names:
            pipeline.llen(name)
        return sum(pipeline.execute())
    except (redis.ConnectionError, redis.TimeoutError) as error:
        raise BrokerUnreachable(str(error)) from error
    finally:
        client.close()


def _amqp_depth(url: str, queue: str, timeout: float) -> int:
    import kombu
    from amqp.exceptions import NotFound
    from kombu.exceptions import OperationalError

    # No retry (kombu would wait seconds between tries) and every socket step bounded.
    connection = kombu.Connection(url, connect_timeout=timeout, transport_options={
        "read_timeout": timeout, "write_timeout": timeout})
    try:
        connection.ensure_connection(max_retries=0)
        channel = connection.channel()
        try:
            _name, messages, _consumers = channel.queue_declare(queue=queue, passive=True)
        except NotFound:  # never declared: no task was ever sent to it
            return 0
        return messages
    except (OSError, OperationalError, *connection.connection_errors,
            *connection.channel_errors) as error:
        raise BrokerUnreachable(str(error)) from error
    finally:
        connection.release()


class TaskQueueCollector:
    """Report the ``simulations`` queue's depth and whether its broker answered, at scrape
    time: nothing without a broker (or one that cannot be read here)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        url = broker_url()
        if not url or not can_read(url):
            return
        queue = getattr(settings, "SIMULATION_QUEUE", QUEUE)
        up = GaugeMetricFamily("gradiente_task_broker_up",
                               "1 if the task broker answered this scrape, else 0.")
        try:
            depth = queue_depth(url, queue)
        # Any failure, expected (unreachable) or not, is "down": a scrape must not fail.
        except Exception as error:  # noqa: BLE001
            logger.warning("task broker unreachable while reading queue %r: %s: %s", queue,
                           type(error).__name__, error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        waiting = GaugeMetricFamily("gradiente_task_queue_depth",
                                    "Tasks waiting in a task queue (not yet taken by a worker).",
                                    labels=["queue"])
        waiting.add_metric([queue], depth)
        yield waiting
