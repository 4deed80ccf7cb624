"""Quizzes reaches progress only through the hook progress registers (progress/apps.py):
in the answer's transaction, with no import from quizzes up to progress."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from progress.models import LessonProgress
from progress.services import complete_lesson_after_attempt
from quizzes.models import Attempt
from quizzes.services import ATTEMPT_RECORDED_HOOKS, record_attempt

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(app: str) -> set[str]:
    """Return every module the app's Python files import (absolute names)."""
    names = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return names


@pytest.mark.parametrize("app", ["quizzes", "accounts"])
def test_the_apps_below_progress_do_not_import_it(app):
    assert not {name for name in imported_modules(app) if name.split(".")[0] == "progress"}


def test_progress_registers_its_hook_once():
    assert ATTEMPT_RECORDED_HOOKS.count(complete_lesson_after_attempt) == 1


def test_a_wrong_answer_costs_the_hook_no_query(learner, small_course):
    attempt = Attempt(question=small_course.questions["2.1"], user=learner, is_correct=False)
    with CaptureQueriesContext(connection) as queries:
        complete_lesson_after_attempt(attempt)
    assert len(queries) == 0


def test_an_answer_rolled_back_completes_nothing(learner, small_course):
    question = small_course.questions["2.1"]
    with pytest.raises(RuntimeError), transaction.atomic():
        result = record_attempt(question=question, user=learner, language="en",
                                answer=question.choices.get(is_correct=True).pk)
        assert result.outcome.correct
        assert LessonProgress.objects.get(lesson=question.lesson).completed_at is not None
        raise RuntimeError("the request failed after the answer")
    assert not LessonProgress.objects.exists()
