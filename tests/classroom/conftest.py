"""Fixtures of the lesson-page tests: the exercises' own, from tests/quizzes."""

from tests.quizzes.conftest import (  # noqa: F401 - fixtures, found by name
    choice_ids,
    learner,
    lesson,
    make_question,
    single_question,
)
