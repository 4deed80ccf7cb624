"""Where an answer's CPU goes: the answer POST against DRF's floor and a bare answer.

In one process, serially, through the project's WSGI app with PostgreSQL and Redis
(no HTTP server: nothing else competes for the CPU), interleaved round by round:

- ``floor``: ``GET /bench/floor/``, api_throughput.py's trivial DRF endpoint (token
  authentication, content negotiation, a JSON body);
- ``bare answer``: ``POST /bench/bare-answer/<id>/`` (``_bare_answer.py``): only what an
  exactly-once, try-counted answer cannot skip, in raw SQL; no grading, no serializers;
- ``attempt``: ``POST /api/v1/questions/<id>/attempts/``, the real thing, as
  api_throughput.py sends it (a wrong answer, a new ``Idempotency-Key`` each).

It prints the CPU time per request of each (median of rounds) and its ratio to the
floor's, then the real attempt's CPU split by stage (each stage timed around its
function, so the stages nest: "respond_once" contains "record_attempt").

    python benchmarks/api_answer_budget.py [--requests 300] [--rounds 3]
        [--database postgres://postgres@127.0.0.1:5432/gradiente_bench]
        [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import collections
import functools
import io
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import api_throughput
from api_throughput import COURSES, DEFAULT_DATABASE, DEFAULT_REDIS, FLOOR_URL, SERVER_ENV

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Stages:
    """CPU time spent in some functions, wrapped in place (benchmark-only)."""

    def __init__(self):
        self.seconds = collections.Counter()

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.process_time() - start

        setattr(owner, name, timed)

    def wrap_answer_path(self) -> None:
        import django.db.transaction
        import knox.auth
        import redis.client
        from rest_framework import views

        from quizzes import api_views, attempt_serializers, idempotency, services
        from storage import sql

        for owner, name, label in [
            (knox.auth.TokenAuthentication, "authenticate", "token authentication (knox)"),
            (views.APIView, "check_throttles", "throttle"),
            (api_views.AttemptCreateView, "get_object", "the question (cached)"),
            (api_views.AnswerSerializer, "is_valid", "the body's validation"),
            (idempotency, "respond_once", "respond_once: record, serialize, store, commit"),
            (api_views, "record_attempt", "record_attempt: lock, tries, grade, insert"),
            (sql, "lock_row", "the learner's lock"),
            (services, "_history", "the tries"),
            (services, "question_snapshot", "the question's snapshot"),
            (sql, "insert", "the two inserts (attempt, stored response)"),
            (attempt_serializers.AttemptOutcomeSerializer, "to_representation",
             "the response's serializer"),
            (django.db.transaction.Atomic, "__exit__", "leaving transactions (the commit)"),
            (redis.client.Redis, "execute_command", "cache round trips (besides pipelines)"),
        ]:
            self.wrap(owner, name, label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--requests", type=int, default=300, help="per target and round")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    os.environ.update({**SERVER_ENV, "DATABASE_URL": options.database,
                       "REDIS_URL": options.redis, "DATABASE_CONN_MAX_AGE": "600",
                       "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}"})
    application = api_throughput.application  # the project, the floor, the bare answer
    print(f"preparing {options.database} ...", flush=True)
    data = api_throughput.prepare(options.database)
    tokens, answers = data["tokens"], data["targets"][next(iter(COURSES))]["answers"]
    sent = iter(range(10**9))

    def call(method: str, path: str, body: dict | None = None) -> None:
        count = next(sent)
        payload = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(payload),
            "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(payload)),
            "CONTENT_TYPE": "application/json", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Token {tokens[count % len(tokens)]}",
            "HTTP_ACCEPT": "application/json", "HTTP_ACCEPT_LANGUAGE": "en",
            "HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex,
        }
        statuses = []
        response = application(environ, lambda status, headers, *_: statuses.append(status))
        b"".join(response)
        response.close()
        assert statuses[0][:3] in ("200", "201"), (path, statuses[0])

    def answer(url: str):
        def send() -> None:
            question, choice = answers[next(sent) // len(tokens) % len(answers)]
            call("POST", url.format(question=question), {"answer": choice})
        return send

    targets = {
        "floor": lambda: call("GET", FLOOR_URL),
        "bare answer": answer("/bench/bare-answer/{question}/"),
        "attempt": answer("/api/v1/questions/{question}/attempts/"),
    }
    cpu = measure(targets, requests=options.requests, rounds=options.rounds)
    floor = statistics.median(cpu["floor"])
    print(f"\nCPU per request, median of {options.rounds} rounds of {options.requests} "
          f"(load average {os.getloadavg()[0]:.1f})")
    print("| target | CPU ms/request | floor CPU / target CPU |")
    print("| --- | --- | --- |")
    for name, runs in cpu.items():
        print(f"| {name} | {statistics.median(runs):.2f} | {floor / statistics.median(runs):.2f} |")

    stages = Stages()
    stages.wrap_answer_path()
    total = measure({"attempt": targets["attempt"]}, requests=options.requests, rounds=1,
                    warm_up=0)
    print(f"\nThe attempt by stage ({total['attempt'][0]:.2f} ms/request in all, timed)")
    print("| stage | CPU ms/request |")
    print("| --- | --- |")
    for label, seconds in stages.seconds.items():
        print(f"| {label} | {1000 * seconds / options.requests:.2f} |")


def measure(targets: dict, *, requests: int, rounds: int, warm_up: int = 50
            ) -> dict[str, list[float]]:
    """Return each target's CPU ms per request in each round (after a warm-up)."""
    for send in targets.values():
        for _ in range(warm_up):
            send()
    cpu = {name: [] for name in targets}
    for _round in range(rounds):
        for name, send in targets.items():
            start = time.process_time()
            for _ in range(requests):
                send()
            cpu[name].append(1000 * (time.process_time() - start) / requests)
    return cpu


if __name__ == "__main__":
    main()
