"""A deploy during traffic: ``import_course`` changes a question while learners answer it.

No answer may get a server error, and none may be graded against a question that mixes
the old and the new version: every attempt keeps a snapshot of the question it was
graded against (quizzes/services.py), and that snapshot must be one whole version, with
the grade that version gives. The import runs as a deploy runs it, in a process of its
own, while gunicorn serves the learners.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.services import issue_token
from quizzes.models import Attempt, Question
from tests.processes import ROOT, request_json

from .conftest import fault_app, on_postgresql

pytestmark = [pytest.mark.system, pytest.mark.postgres, on_postgresql(),
              pytest.mark.django_db(transaction=True)]

LEARNERS = 3
IMPORTS = 2
# Each version of the question: its prompt and the position of its correct choice.
VERSIONS = {"Version 1": 0, "Version 2": 1}


def write_course(root: Path, prompt: str) -> None:
    """Write a course of one lesson whose one question is in the given version."""
    lesson = root / "deploy" / "01-chapter" / "01-lesson"
    lesson.mkdir(parents=True, exist_ok=True)
    (root / "deploy" / "course.yaml").write_text(
        "slug: deploy\norder: 1\ntitle: {pt-br: Curso, en: Course}\n")
    (root / "deploy" / "01-chapter" / "chapter.yaml").write_text(
        "number: 1\nslug: chapter\ntitle: {pt-br: Capítulo, en: Chapter}\n")
    (lesson / "lesson.yaml").write_text("number: 1\nslug: lesson\npage: 1\n")
    for language, title in (("pt-br", "Lição"), ("en", "Lesson")):
        (lesson / f"{language}.md").write_text(f'---\ntitle: "{title}"\n---\n\nText.\n')
    correct = VERSIONS[prompt]
    choices = "".join(f"  - text: {{pt-br: {name}, en: {name}}}\n    correct: {index == correct}\n"
                      for index, name in enumerate("AB"))
    (lesson / "questions.yaml").write_text(
        f"questions:\n- key: q\n  type: single\n  prompt: {{pt-br: {prompt}, en: {prompt}}}\n"
        f"  explanation: {{pt-br: Porque., en: Because.}}\n  choices:\n"
        + choices)


def answer_continuously(port: int, url: str, token: str, answer: int, stop: threading.Event,
                        statuses: list) -> None:
    while not stop.is_set():
        status, _headers, _body = request_json(
            port, url, body={"answer": answer},
            headers={"Authorization": f"Token {token}", "Idempotency-Key": uuid.uuid4().hex})
        statuses.append(status)


def import_course(folder: Path, environment: dict[str, str]) -> None:
    """Import the course as a deploy does: ``manage.py import_course`` in its own process."""
    subprocess.run([sys.executable, "manage.py", "import_course", str(folder), "--verbosity",
                    "0"], cwd=ROOT, env={**os.environ, **environment}, check=True,
                   timeout=60)


def test_answers_during_an_import_get_no_5xx_and_keep_the_version_they_were_graded_by(
        tmp_path, app_environment, own_redis):
    write_course(tmp_path, "Version 1")
    call_command("import_course", str(tmp_path), verbosity=0)
    question = Question.objects.get(key="q")
    choices = {choice.order: choice.pk for choice in question.choices.all()}
    url = f"/api/v1/questions/{question.pk}/attempts/"
    tokens = [issue_token(user=get_user_model().objects.create_user(
        username=f"learner{index}", password="x" * 20)).token for index in range(LEARNERS)]
    statuses, stop = [], threading.Event()
    # The app processes and the deploy share a cache, as in production: the import tells
    # the app processes through it that the course changed (course/api_cache.py).
    environment = {**app_environment, "REDIS_URL": own_redis.url}

    with fault_app(environment, workers=2) as (port, _process):
        threads = [threading.Thread(target=answer_continuously, args=(
            port, url, token, choices[1], stop, statuses)) for token in tokens]
        for thread in threads:
            thread.start()
        try:
            for deploy in range(IMPORTS):
                write_course(tmp_path, f"Version {2 - deploy % 2}")
                import_course(tmp_path, environment)
                time.sleep(0.2)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)

    assert statuses and all(status < 500 for status in statuses), sorted(set(statuses))
    graded_by = set()
    for attempt in Attempt.objects.all():
        snapshot = attempt.snapshot["question"]
        assert snapshot["prompt"] in VERSIONS, snapshot["prompt"]
        correct = [choice["id"] for choice in snapshot["choices"] if choice["is_correct"]]
        assert correct == [choices[VERSIONS[snapshot["prompt"]]]], snapshot
        assert attempt.is_correct == (correct == [choices[1]])
        graded_by.add(snapshot["prompt"])
    assert graded_by == set(VERSIONS), "the imports did not happen during the answers"
