"""Where an answer's CPU goes: the answer POST against DRF's floor and a bare answer.

In one process, serially, through the project's WSGI app with PostgreSQL and Redis
(no HTTP server: nothing else competes for the CPU), interleaved round by round, on the
course and on the ten-times-larger one (api_throughput.py's):

- ``floor``: ``GET /bench/floor/``, api_throughput.py's trivial DRF endpoint (token
  authentication, content negotiation, a JSON body);
- ``bare answer``: ``POST /bench/bare-answer/<id>/`` (``_bare_answer.py``): only what an
  exactly-once, try-counted answer cannot skip, in raw SQL; no grading, no serializers;
- ``attempt``: ``POST /api/v1/questions/<id>/attempts/``, the real thing, as
  api_throughput.py sends it (a wrong answer, a new ``Idempotency-Key`` each).

It prints the CPU time per request of each (median of rounds): this process's (the
app), the PostgreSQL backend's that serves its connection and the Redis server's (both
read from ``/proc``; Redis is shared, so others' use of it on this machine counts too),
their sum, and the ratio of each target's sum to the bare answer's. Goal: the attempt's
at most 1.25 times the bare answer's, on both courses. Then the real attempt's app CPU
split by stage (each stage timed around its function, so the stages nest:
"respond_once" contains "record_attempt"); ``--profile`` prints cProfile's functions by
cumulative CPU time over the attempts instead.

    python benchmarks/api_answer_budget.py [--requests 300] [--rounds 3] [--profile]
        [--database postgres://postgres@127.0.0.1:5432/gradiente_bench]
        [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
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
from api_throughput import (
    DEFAULT_DATABASE,
    DEFAULT_REDIS,
    FLOOR_URL,
    SERVER_ENV,
    _cpu_seconds,
    _server_cpu,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL = 1.25  # an answer's CPU, all three processes, at most this times the bare answer's
PARTS = ("app", "db", "cache")


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

        from classroom import api_views
        from quizzes import attempt_serializers, idempotency, services
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
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the attempts instead of timing their stages")
    options = parser.parse_args()
    os.environ.update({**SERVER_ENV, "DATABASE_URL": options.database,
                       "REDIS_URL": options.redis, "DATABASE_CONN_MAX_AGE": "600",
                       "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}"})
    application = api_throughput.application  # the project, the floor, the bare answer
    print(f"preparing {options.database} ...", flush=True)
    data = api_throughput.prepare(options.database)
    tokens = data["tokens"]
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

    def answer(url: str, answers: list[list[int]]):
        def send() -> None:
            question, choice = answers[next(sent) // len(tokens) % len(answers)]
            call("POST", url.format(question=question), {"answer": choice})
        return send

    courses = {}
    for label, target in data["targets"].items():
        answers = target["answers"]
        courses[label] = {
            "floor": lambda: call("GET", FLOOR_URL),
            "bare answer": answer("/bench/bare-answer/{question}/", answers),
            "attempt": answer("/api/v1/questions/{question}/attempts/", answers),
        }
    cpu = measure(courses, requests=options.requests, rounds=options.rounds)
    print(f"\nCPU ms per request, median of {options.rounds} rounds of {options.requests} "
          f"(load average {os.getloadavg()[0]:.1f}); goal: attempt / bare answer <= {GOAL}")
    print("| course | target | app | db | cache | **all three** | floor / target "
          "| **target / bare answer** |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, by_target in cpu.items():
        medians = {name: {part: statistics.median(run[part] for run in runs)
                          for part in (*PARTS, "all")}
                   for name, runs in by_target.items()}
        floor, bare = medians["floor"]["all"], medians["bare answer"]["all"]
        for name, median in medians.items():
            print(f"| {label} | {name} | "
                  + " | ".join(f"{median[part]:.2f}" for part in PARTS)
                  + f" | **{median['all']:.2f}** | {floor / median['all']:.2f} "
                  f"| **{median['all'] / bare:.2f}** |")

    attempt = courses[next(iter(courses))]["attempt"]
    if options.profile:
        profile(attempt, requests=options.requests)
        return
    stages = Stages()
    stages.wrap_answer_path()
    start = time.process_time()
    for _ in range(options.requests):
        attempt()
    total = 1000 * (time.process_time() - start) / options.requests
    print(f"\nThe attempt by stage ({total:.2f} ms/request of app CPU in all, timed)")
    print("| stage | CPU ms/request |")
    print("| --- | --- |")
    for label, seconds in stages.seconds.items():
        print(f"| {label} | {1000 * seconds / options.requests:.2f} |")


def measure(courses: dict[str, dict], *, requests: int, rounds: int, warm_up: int = 50
            ) -> dict[str, dict[str, list[dict[str, float]]]]:
    """Return each course's targets' CPU ms per request (app, db, cache, all) in each
    round, after a warm-up; the targets take turns within a round, the courses too."""
    from django.db import connection

    for targets in courses.values():
        for send in targets.values():
            for _ in range(warm_up):
                send()
    with connection.cursor() as cursor:  # kept open (DATABASE_CONN_MAX_AGE)
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def clocks() -> dict[str, float]:
        return {"app": time.process_time(), "db": _cpu_seconds([backend]),
                "cache": sum(_server_cpu()["cache"].values())}

    cpu = {label: {name: [] for name in targets} for label, targets in courses.items()}
    for _round in range(rounds):
        for label, targets in courses.items():
            for name, send in targets.items():
                before = clocks()
                for _ in range(requests):
                    send()
                after = clocks()
                run = {part: 1000 * (after[part] - before[part]) / requests for part in PARTS}
                cpu[label][name].append({**run, "all": sum(run.values())})
    return cpu


def profile(send, *, requests: int) -> None:
    """Print the functions the attempts spend their CPU in (cProfile on the CPU clock;
    its own cost inflates small functions' share)."""
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        send()
    profiler.disable()
    print(f"\nThe attempt, profiled ({requests} requests)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
