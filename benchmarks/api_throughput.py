"""API throughput under gunicorn, PostgreSQL and Redis, side by side with DRF's floor.

The floor is a trivial DRF endpoint added by this benchmark only (``/bench/floor/``, an
``APIView`` answering ``{"ok": true}``) on the same server: the same middleware, the same
authentication (every request of every target carries a learner's token, so each pays
for it), the same JSON renderer. Against it, in one run, interleaved round by round:

- ``lesson``: ``GET`` the detail of lesson 18.8 (text, three figures, three questions in
  the learner's variant with their state), learners taken in turn;
- ``attempt``: ``POST`` a wrong answer to a single-choice question, each with its own
  ``Idempotency-Key``, learners and questions taken in turn (each request records an
  attempt: the learner's lock, the tries, the grading, the response stored with its
  key);
- ``bare``: the same answers to ``/bench/bare-answer/<id>/`` (``_bare_answer.py``), a
  benchmark-only view doing only the database and cache work an exactly-once answer
  cannot skip, in raw SQL: the least an answer can cost on this machine.

Besides requests per second it reports, per request, the CPU time of the app's workers
and of the PostgreSQL and Redis server processes (from ``/proc``: not affected by other
load on the machine, and all three share its cores).

Goals: lesson >= 0.7 of the floor's requests per second; an attempt's CPU (app,
PostgreSQL and Redis together) at most 1.25 times the bare answer's; zero non-2xx
responses; and the same with a course ten times larger (``redes-neurais-x10``:
thirty lessons, ten copies of the course's questions, generated in the bench database),
where the lesson is the copy of 18.8 in the middle of the course.

    python benchmarks/api_throughput.py [--duration 4] [--rounds 6] [--connections 16]
        [--database postgres://postgres@127.0.0.1:5432/gradiente_bench]
        [--redis redis://127.0.0.1:6379/0] [--port 8766] [--workers 2]

It creates the bench database if missing, migrates it, imports content/, generates the
larger course and the learners, starts gunicorn (``--workers`` gthread workers, one
BLAS thread each, on 127.0.0.1 only) with the throttles raised so that no request is
refused, warms every cache once (each learner's variants, the figures), then runs
``wrk`` (``apt-get install wrk``; one thread, keep-alive connections) for ``duration``
seconds per target and round. Bounded: rounds x 2 courses x 4 targets x duration.
As a gunicorn app: ``api_throughput:application`` with ``--pythonpath benchmarks``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import _server
from _server import project_with_routes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gradiente_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
FLOOR_URL = "/bench/floor/"
BARE_ROUTE = "bench/bare-answer/<int:question_id>/"
TARGETS = {"floor": None, "lesson": ">= 0.7", "attempt": "CPU <= 1.25 x bare", "bare": None}
COURSES = {"course": "redes-neurais", "ten times larger": "redes-neurais-x10"}
LESSON_SLUG = "problemas-de-vanishing-e-exploding-gradient"
LEARNERS = 24  # who read the lesson (each has their own variants and state)
ANSWERING_LEARNERS = 200  # who answer (so that no learner's history grows long)
SERVER_ENV = {**_server.SERVER_ENV, "OPENBLAS_NUM_THREADS": "1", **_server.UNTHROTTLED}


# --- the server: the project, plus the floor -------------------------------------------


def _floor_view():
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class FloorView(APIView):
        """DRF's floor: authentication, content negotiation, a JSON body; no work."""

        def get(self, request):
            return Response({"ok": True})

    return FloorView.as_view()


def _bare_answer_view():
    from _bare_answer import bare_answer_view

    return bare_answer_view()


# The project with the floor and the bare answer in front of its URLs (see _server.py).
__getattr__ = project_with_routes(__name__, {FLOOR_URL.strip("/") + "/": _floor_view,
                                            BARE_ROUTE: _bare_answer_view})


# --- the data ----------------------------------------------------------------------------


def create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def larger_course():
    """Build redes-neurais-x10 from redes-neurais: ten chapters, each a copy of its
    lessons and their questions (figures, bodies and simulations included)."""
    from django.db import transaction

    from course.models import Chapter, Course, Lesson
    from quizzes.models import Choice, Question

    source = Course.objects.get(slug=COURSES["course"])
    if Course.objects.filter(slug=COURSES["ten times larger"]).exists():
        return
    lessons = list(Lesson.objects.filter(course=source).in_reading_order())
    with transaction.atomic():
        course = Course.objects.create(
            slug=COURSES["ten times larger"], order=99,
            title_pt_br=f"{source.title_pt_br} (x10)", title_en=f"{source.title_en} (x10)",
            summary_pt_br=source.summary_pt_br, summary_en=source.summary_en)
        for copy in range(1, 11):
            chapter = Chapter.objects.create(course=course, number=copy, slug=f"parte-{copy}",
                                             title_pt_br=f"Parte {copy}",
                                             title_en=f"Part {copy}")
            for lesson in lessons:
                # The copy of 18.8 in the middle of the course keeps its slug.
                slug = lesson.slug if copy == 5 else f"{lesson.slug}-{copy}"
                new = Lesson(chapter=chapter, number=lesson.number, slug=slug,
                             page=copy * 100 + lesson.page, figures=lesson.figures)
                for field in ("title", "summary", "body"):
                    for language in ("pt_br", "en"):
                        setattr(new, f"{field}_{language}",
                                getattr(lesson, f"{field}_{language}"))
                new.save()
                for question in lesson.questions.all():
                    choices = list(question.choices.all())
                    question.pk, question.lesson = None, new
                    question.save()
                    for choice in choices:
                        choice.pk, choice.question = None, question
                    Choice.objects.bulk_create(choices)
    assert Question.objects.filter(lesson__course=course).count() == 10 * Question.objects.filter(
        lesson__course=source).count()


def prepare(database: str) -> dict:
    """Migrate, import, generate; forget earlier runs' answers; return tokens and targets."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from knox.models import AuthToken

    from accounts.services import issue_token
    from progress.models import LessonProgress
    from quizzes.models import Attempt, IdempotencyKey, Question, Variant

    create_database(database)
    call_command("migrate", verbosity=0)
    call_command("import_course", str(ROOT / "content"), verbosity=0)
    larger_course()
    users = get_user_model()
    learners = []
    for index in range(max(LEARNERS, ANSWERING_LEARNERS)):
        learner, _created = users.objects.get_or_create(
            username=f"bench-{index}", defaults={"first_name": "Bench", "last_name": str(index)})
        learners.append(learner)
    for model in (Attempt, IdempotencyKey, LessonProgress):
        model.objects.filter(user__in=learners).delete()
    Variant.objects.filter(user__in=learners).delete()
    AuthToken.objects.filter(user__in=learners).delete()  # one device each, as usual
    tokens = [issue_token(user=learner).token for learner in learners]
    targets = {}
    for label, slug in COURSES.items():
        plain = Question.objects.filter(lesson__course__slug=slug, kind="single",
                                        simulation="").order_by("lesson__chapter__number",
                                                                "lesson__number", "order")
        answers = [[question.pk, question.choices.filter(is_correct=False).first().pk]
                   for question in plain]
        targets[label] = {"lesson": f"/api/v1/courses/{slug}/lessons/{LESSON_SLUG}/",
                          "answers": answers}
    return {"tokens": tokens, "targets": targets}


# --- the load --------------------------------------------------------------------------

LUA = """
local tokens = {%(tokens)s}
local answers = {%(answers)s}
local method, path, answers_at = "%(method)s", "%(path)s", "%(answers_at)s"
local counter, run = 0, ""

-- Each run of wrk is given its own name, so that its keys are new: a key sent again
-- would be a retry, answered from the stored response instead of recorded.
function init(args)
  run = args[1]
end

request = function()
  counter = counter + 1
  local token = tokens[(counter %% #tokens) + 1]
  local headers = {["Authorization"] = "Token " .. token, ["Accept"] = "application/json",
                   ["Accept-Language"] = "en"}
  if method == "GET" then
    return wrk.format("GET", path, headers)
  end
  local pick = answers[(math.floor(counter / #tokens) %% #answers) + 1]
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = run .. "-" .. counter
  return wrk.format("POST", answers_at:gsub("QUESTION", pick[1]), headers,
                    '{"answer": ' .. pick[2] .. '}')
end
"""


def lua_script(directory: Path, name: str, *, method: str, path: str, tokens: list[str],
               answers: list[list[int]],
               answers_at: str = "/api/v1/questions/QUESTION/attempts/") -> Path:
    script = directory / f"{name}.lua"
    script.write_text(LUA % {
        "tokens": ", ".join(f'"{token}"' for token in tokens),
        "answers": ", ".join(f"{{{q}, {c}}}" for q, c in answers) or "{0, 0}",
        "method": method, "path": path, "answers_at": answers_at,
    })
    return script


def run_wrk(port: int, script: Path, *, duration: int, connections: int,
            workers: list[int]) -> dict:
    """Run wrk once; return requests per second, requests, non-2xx and socket errors, and
    the CPU time per request of the app's workers, PostgreSQL and Redis (unaffected by
    other load)."""
    cpu_before, servers_before = _cpu_seconds(workers), _server_cpu()
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
         "-s", str(script), f"http://127.0.0.1:{port}/", "--", uuid.uuid4().hex],
        capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    cpu = _cpu_seconds(workers) - cpu_before
    servers = {name: sum(seconds - servers_before[name].get(pid, 0.0)
                         for pid, seconds in by_pid.items())
               for name, by_pid in _server_cpu().items()}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    latency = re.search(r"Latency\s+(\S+)", output).group(1)
    return {"rate": rate, "requests": total, "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(map(int, errors.groups())) if errors else 0,
            "latency": latency, "cpu_ms": 1000 * cpu / max(total, 1),
            **{f"{name}_cpu_ms": 1000 * seconds / max(total, 1)
               for name, seconds in servers.items()}}


SERVERS = {"db": "postgres", "cache": "redis-server"}  # process names (/proc/<pid>/comm)


def _server_cpu() -> dict[str, dict[int, float]]:
    """Return the CPU seconds of each PostgreSQL and Redis process, by pid (a backend
    started during a run is counted whole; one that ended is left out)."""
    found = {name: {} for name in SERVERS}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "comm").read_text().strip()
            for name, process in SERVERS.items():
                if command == process:
                    found[name][int(entry.name)] = _cpu_seconds([int(entry.name)])
        except OSError:  # it ended meanwhile
            continue
    return found


def _workers(master: int) -> list[int]:
    """Return the pids of gunicorn's workers (the master's children)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return pids


def _cpu_seconds(pids: list[int]) -> float:
    """Return the user + system CPU time of the processes, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def request(port: int, method: str, path: str, token: str, body: dict | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json",
               "Accept-Language": "en"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def wait_until_up(port: int, server: subprocess.Popen, token: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see its output above")
        try:
            if request(port, "GET", FLOOR_URL, token) == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--duration", type=int, default=4, help="seconds per target and round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--port", type=int, default=8766)
    options = parser.parse_args()
    if not options.database.startswith("postgres"):
        sys.exit("The benchmark runs against PostgreSQL: --database postgres://...")

    env = {**SERVER_ENV, "DATABASE_URL": options.database, "REDIS_URL": options.redis,
           "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}"}
    os.environ.update(env)
    import django

    django.setup()
    print(f"preparing {options.database} ...", flush=True)
    data = prepare(options.database)
    from django.db import connections

    connections.close_all()

    command = [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT), "--pythonpath",
               str(ROOT / "benchmarks"), "--workers", str(options.workers),
               "--worker-class", "gthread", "--threads", str(options.threads),
               "--bind", f"127.0.0.1:{options.port}", "--log-level", "warning",
               "api_throughput:application"]
    server = subprocess.Popen(command, env={**os.environ, **env})
    tokens = data["tokens"]
    try:
        wait_until_up(options.port, server, tokens[0])
        print("warming the caches (each learner's variants of each lesson, the figures) ...",
              flush=True)
        for target in data["targets"].values():
            for token in tokens[:LEARNERS]:
                assert request(options.port, "GET", target["lesson"], token) == 200
            question, choice = target["answers"][0]
            assert request(options.port, "POST", f"/api/v1/questions/{question}/attempts/",
                           tokens[-1], {"answer": choice}) == 201
        with tempfile.TemporaryDirectory() as directory:
            scripts = {}
            for label, target in data["targets"].items():
                scripts[label] = {
                    "floor": lua_script(Path(directory), f"{label}-floor", method="GET",
                                        path=FLOOR_URL, tokens=tokens[:LEARNERS], answers=[]),
                    "lesson": lua_script(Path(directory), f"{label}-lesson", method="GET",
                                         path=target["lesson"], tokens=tokens[:LEARNERS],
                                         answers=[]),
                    "attempt": lua_script(Path(directory), f"{label}-attempt", method="POST",
                                          path="", tokens=tokens,
                                          answers=target["answers"]),
                    "bare": lua_script(Path(directory), f"{label}-bare", method="POST",
                                       path="", tokens=tokens, answers=target["answers"],
                                       answers_at="/bench/bare-answer/QUESTION/"),
                }
            workers = _workers(server.pid)
            names = list(TARGETS)
            # Every server thread opens its database and Redis connections: not measured.
            for label in data["targets"]:
                for name in names:
                    run_wrk(options.port, scripts[label][name], duration=2,
                            connections=options.connections, workers=workers)
            results = {label: {name: [] for name in names} for label in data["targets"]}
            for round_ in range(options.rounds):
                # Both courses each round, and the targets in turn in another order each
                # round, so that a change in the machine's load hits them all alike.
                for label in data["targets"]:
                    turn = round_ % len(names)
                    for name in names[turn:] + names[:turn]:
                        measured = run_wrk(options.port, scripts[label][name],
                                           duration=options.duration,
                                           connections=options.connections, workers=workers)
                        results[label][name].append(measured)
                        print(f"  {label:17} round {round_ + 1} {name:8} "
                              f"{measured['rate']:8.1f} req/s  latency {measured['latency']:>8}"
                              f"  CPU ms/request: app {measured['cpu_ms']:5.2f}, db "
                              f"{measured['db_cpu_ms']:4.2f}, cache {measured['cache_cpu_ms']:4.2f}"
                              f"  non-2xx {measured['non_2xx'] + measured['socket_errors']}",
                              flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, options)


def report(results: dict, options) -> None:
    print()
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; gunicorn {options.workers} gthread "
          f"workers x {options.threads} threads; wrk 1 thread, {options.connections} "
          f"connections, {options.duration} s per target, {options.rounds} rounds; load "
          f"average {os.getloadavg()[0]:.1f}")
    print("| course | target | req/s (median) | **throughput / floor** (median of rounds) "
          "| CPU ms/request: app, db, cache (medians) | floor CPU / target CPU, all three "
          "| target CPU / bare CPU, all three | goal | non-2xx |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, measured in results.items():
        floors = measured["floor"]
        floor_cpu = statistics.median(_all_cpu(run) for run in floors)
        bare_cpu = statistics.median(_all_cpu(run) for run in measured["bare"])
        for name, goal in TARGETS.items():
            runs = measured[name]
            ratios = [run["rate"] / floor["rate"] for run, floor in zip(runs, floors, strict=True)]
            cpu = {part: statistics.median(run[f"{part}cpu_ms"] for run in runs)
                   for part in ("", "db_", "cache_")}
            bad = sum(run["non_2xx"] + run["socket_errors"] for run in runs)
            ratio = "1" if name == "floor" else f"**{statistics.median(ratios):.2f}**"
            print(f"| {label} | {name} | {statistics.median(run['rate'] for run in runs):.0f} "
                  f"| {ratio} | {cpu['']:.2f}, {cpu['db_']:.2f}, {cpu['cache_']:.2f} "
                  f"| {floor_cpu / statistics.median(_all_cpu(run) for run in runs):.2f} "
                  f"| {statistics.median(_all_cpu(run) for run in runs) / bare_cpu:.2f} "
                  f"| {goal or ''} | {bad} |")


def _all_cpu(run: dict) -> float:
    return run["cpu_ms"] + run["db_cpu_ms"] + run["cache_cpu_ms"]


if __name__ == "__main__":
    main()
