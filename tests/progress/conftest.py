"""Fixtures of the progress and certificate tests: a learner, a small course with
questions, and answering as the lesson page does."""

from __future__ import annotations

import types

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from course.models import Lesson
from quizzes.models import Choice, Question
from quizzes.services import record_attempt

PASSWORD = "correct horse battery staple"


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user(
        username="ana.s", email="ana.private@example.com", password=PASSWORD,
        first_name="Ana Beatriz", last_name="Souza",
    )


@pytest.fixture
def add_question():
    """Add a published single-choice question to a lesson: choice "right" or "wrong"."""

    def add(lesson: Lesson, key: str = "q1", *, published: bool = True) -> Question:
        question = Question.objects.create(
            lesson=lesson, key=key, kind=Question.Kind.SINGLE, is_published=published,
            prompt_pt_br="Qual?", prompt_en="Which?",
            explanation_pt_br="Porque sim.", explanation_en="Because.",
        )
        Choice.objects.create(question=question, order=1, text_pt_br="certa", text_en="right",
                              is_correct=True)
        Choice.objects.create(question=question, order=2, text_pt_br="errada", text_en="wrong",
                              is_correct=False)
        return question

    return add


def answer_question(user, question: Question, *, right: bool = True):
    """Answer as the lesson page does: quizzes records the attempt and, in its transaction,
    calls progress's hook, which refreshes the lesson's completion (docs/progress.md,
    "Wiring")."""
    choice = question.choices.get(is_correct=right)
    with transaction.atomic():
        return record_attempt(question=question, user=user, answer=choice.pk, language="pt-br")


@pytest.fixture
def answer():
    return answer_question


@pytest.fixture
def small_course(make_lesson, add_question):
    """Two chapters: 1.1 (two questions), 1.2 (no question), 2.1 (one question)."""
    first = make_lesson(1, 1, body_pt="palavra " * 450, body_en="word " * 300)
    second = make_lesson(1, 2, body_pt="palavra " * 150, body_en="word " * 150)
    third = make_lesson(2, 1, body_pt="palavra " * 620, body_en="word " * 500)
    questions = {
        "1.1a": add_question(first, "a"), "1.1b": add_question(first, "b"),
        "2.1": add_question(third, "c"),
    }
    return types.SimpleNamespace(course=first.course, lessons=[first, second, third],
                                 questions=questions)
