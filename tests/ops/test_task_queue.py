"""The ``simulations`` queue's depth, read from a real Redis and a real RabbitMQ, and
reported at /metrics; a broker that is away makes the scrape say so, never fail."""

from __future__ import annotations

import socket
import uuid

import pytest
import redis

from ops.task_queue import (
    QUEUE,
    REDIS_PRIORITY_SEPARATOR,
    BrokerUnreachable,
    can_read,
    kombu_importable,
    queue_depth,
)
from tests.ops.metrics_scrape import parse, value
from tests.processes import RedisServer, free_port

TOKEN = "scrape-token-for-tests"
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture
def broker(tmp_path):
    """A Redis of this test's own: its ``simulations`` list is nobody else's."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


def push(url: str, count: int, name: str = QUEUE) -> None:
    client = redis.Redis.from_url(url)
    client.rpush(name, *(f"task-{n}" for n in range(count)))
    client.close()


def scrape(client, settings, broker_url: str) -> dict:
    settings.METRICS_TOKEN, settings.CELERY_BROKER_URL = TOKEN, broker_url
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return parse(response.content.decode())


def test_the_depth_of_the_redis_list_is_read(broker):
    assert queue_depth(broker.url) == 0  # no list yet: no task waiting
    push(broker.url, 7)
    assert queue_depth(broker.url) == 7
    push(broker.url, 5, "another-queue")
    assert queue_depth(broker.url) == 7


def test_tasks_sent_with_a_priority_are_counted_too(broker):
    push(broker.url, 3)
    push(broker.url, 2, f"{QUEUE}{REDIS_PRIORITY_SEPARATOR}6")
    assert queue_depth(broker.url) == 5


def test_a_redis_that_does_not_answer_is_reported_as_unreachable():
    with pytest.raises(BrokerUnreachable):
        queue_depth(f"redis://127.0.0.1:{free_port()}/0")


def test_a_redis_that_accepts_but_never_answers_times_out():
    """A broker that hangs (a full backlog, a stopped process) must not hold the scrape."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with pytest.raises(BrokerUnreachable):
            queue_depth(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", timeout=0.2)


def test_the_scrape_reports_the_depth_and_that_the_broker_is_up(client, settings, broker):
    push(broker.url, 4)
    samples = scrape(client, settings, broker.url)

    assert value(samples, "gradiente_task_queue_depth", queue=QUEUE) == 4
    assert value(samples, "gradiente_task_broker_up") == 1


def test_a_broker_that_is_down_leaves_out_the_depth_and_says_so(client, settings, broker):
    push(broker.url, 4)
    broker.kill()
    samples = scrape(client, settings, broker.url)

    assert ("gradiente_task_broker_up", frozenset()) in samples
    assert value(samples, "gradiente_task_broker_up") == 0
    assert not [name for name, _labels in samples if name == "gradiente_task_queue_depth"]


def test_a_broker_this_cannot_read_is_not_reported(client, settings):
    assert not can_read("sqs://queue.example")
    samples = scrape(client, settings, "sqs://queue.example")
    assert not [name for name, _labels in samples if name.startswith("gradiente_task_")]


def test_without_kombu_a_rabbitmq_queue_is_not_reported(client, settings, monkeypatch):
    monkeypatch.setattr("ops.task_queue.kombu_importable", lambda: False)
    samples = scrape(client, settings, RABBITMQ_URL)
    assert not [name for name, _labels in samples if name.startswith("gradiente_task_")]


def _rabbitmq_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=0.5).close()
    except OSError:
        return False
    return True


needs_rabbitmq = pytest.mark.skipif(
    not kombu_importable() or not _rabbitmq_answers(),
    reason="reading RabbitMQ needs kombu (it comes with Celery) and RabbitMQ on 127.0.0.1:5672")


@needs_rabbitmq
def test_the_depth_of_a_rabbitmq_queue_is_read_without_declaring_it():
    import kombu

    # A name of this test's own on the shared RabbitMQ (others may use "simulations").
    name = f"{QUEUE}-test-{uuid.uuid4().hex}"
    assert queue_depth(RABBITMQ_URL, name) == 0  # never declared: nothing waits

    with kombu.Connection(RABBITMQ_URL, transport_options={"confirm_publish": True}) as conn:
        queue = kombu.Queue(name, routing_key=name, auto_delete=False, durable=False)
        producer = conn.Producer()
        try:
            for number in range(6):
                # Confirmed by the broker before publish returns: counted at once.
                producer.publish({"n": number}, routing_key=name, declare=[queue])
            assert queue_depth(RABBITMQ_URL, name) == 6
        finally:
            queue.bind(conn.default_channel).delete()


@needs_rabbitmq
def test_a_rabbitmq_that_does_not_answer_is_reported_as_unreachable():
    with pytest.raises(BrokerUnreachable):
        queue_depth(f"amqp://guest:guest@127.0.0.1:{free_port()}//")


@needs_rabbitmq
def test_a_rabbitmq_that_accepts_but_never_answers_times_out():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with pytest.raises(BrokerUnreachable):
            queue_depth(f"amqp://guest:guest@127.0.0.1:{silent.getsockname()[1]}//",
                        timeout=0.2)
