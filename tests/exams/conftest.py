"""Fixtures of the exam tests: the real course imported, and learners who answer right."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from course.models import Course
from exams.models import Exam
from tests.exams.learners import (  # noqa: F401 - the tests import them from here
    answer_attempt,
    complete_every_lesson,
    right_answer,
    wrong_answer,
)

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def course_once(django_db_setup, django_db_blocker):
    """The real course, imported once for a module of tests that each roll back their own
    writes (importing it costs seconds per test); removed when the module is done."""
    with django_db_blocker.unblock():
        call_command("import_course", str(CONTENT_DIR), verbosity=0)
        course = Course.objects.get(slug="redes-neurais")
    yield course
    with django_db_blocker.unblock():
        Course.objects.filter(pk=course.pk).delete()


@pytest.fixture
def exam(course_once, db) -> Exam:
    return Exam.objects.select_related("chapter__course").get(chapter__course=course_once)


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user(
        username="bia", email="bia@example.com", password=PASSWORD,
        first_name="Beatriz", last_name="Lima",
    )
