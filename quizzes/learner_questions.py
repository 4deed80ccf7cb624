"""A lesson's questions as one learner may see them, for the API (and reading for the web).

The lesson page shows a form per question; the app gets the same questions as data:
the learner's variant filled into the texts, their tries and whether they solved it,
and, only when due, the explanation and the solution. :func:`lesson_questions` reads
them with a fixed number of queries however many questions and choices the lesson has.

What is never here before it is due: which choice is correct, the correct value, a
value the simulation computed for the variant. A choice's ``is_correct`` and
``feedback`` and the question's ``solution`` appear once the question's policy lets
the solution be shown (after a correct answer, or after N tries); the explanation once
it is due (after a correct answer, or after N wrong tries), as on the web page.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Count, Q

from course.models import Lesson

from . import grading
from .learner_state import LearnerView, policy_of, question_view_state
from .learner_variants import LearnerVariant, learner_variants
from .models import Attempt, Choice, Question
from .services import question_snapshot


def questions_with_choices(lesson: Lesson) -> list[tuple[Question, list[Choice]]]:
    """Read the lesson's published questions and their choices in one query (a join)."""
    question_fields = [field.attname for field in Question._meta.concrete_fields]
    choice_fields = [field.attname for field in Choice._meta.concrete_fields]
    rows = (
        Question.objects.filter(lesson=lesson, is_published=True)
        .order_by("order", "id", "choices__order", "choices__id")
        .values_list(*question_fields, *(f"choices__{name}" for name in choice_fields))
    )
    width, database = len(question_fields), Question.objects.db
    loaded: dict[int, tuple[Question, list[Choice]]] = {}
    for row in rows:
        if row[0] not in loaded:
            question = Question.from_db(database, question_fields, row[:width])
            question.lesson = lesson
            loaded[row[0]] = (question, [])
        question, choices = loaded[row[0]]
        if row[width] is not None:  # a numeric question joins no choice
            choice = Choice.from_db(database, choice_fields, row[width:])
            choice.question = question
            choices.append(choice)
    return list(loaded.values())


def attempt_statuses(user: Any, questions: list[Question]) -> dict[int, dict[str, int]]:
    """Return, per question the learner answered, their tries and correct answers (one query)."""
    if user is None or not user.is_authenticated or not questions:
        return {}
    rows = (
        Attempt.objects.filter(user=user, question__in=questions)
        .values("question_id")
        .annotate(tries=Count("id", filter=Q(counts_as_try=True)),
                  correct=Count("id", filter=Q(is_correct=True)))
    )
    return {row["question_id"]: row for row in rows}


@dataclasses.dataclass(frozen=True)
class LearnerQuestion:
    """One question as one learner sees it now, with what is due to be shown."""

    question: Question
    number: int  # 1, 2, ... in the lesson, as the page numbers its exercises
    snapshot: grading.QuestionSnapshot  # texts in the learner's language, values filled in
    variant: LearnerVariant | None
    tries_used: int = 0
    solved: bool = False

    @property
    def id(self) -> int:
        return self.question.pk

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def prompt(self) -> str:
        return self.snapshot.prompt

    @property
    def parameters(self) -> dict[str, Any]:
        """The variant's parameters (shown in the prompt); empty without a simulation."""
        return dict(self.variant.answer.params) if self.variant else {}

    @property
    def shown(self) -> str:
        """A token of the variant shown: sent back with an answer, it detects a change."""
        return self.variant.token if self.variant else ""

    @property
    def state(self) -> LearnerView:
        """What this learner may see now: the one rule of :mod:`quizzes.learner_state`."""
        return question_view_state(policy_of(self.question), tries=self.tries_used,
                                   solved=self.solved)

    @property
    def explanation(self) -> str | None:
        """The explanation once due (after a correct answer, or after N wrong tries)."""
        return self.snapshot.explanation if self.state.explanation_due else None

    @property
    def solution(self) -> dict[str, Any] | None:
        """The correct answer, once the question's policy lets it be shown; else None."""
        if not self.state.solution_due:
            return None
        return solution_data(self.snapshot, self.variant_answer)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """The choices; with whether each is correct, and its feedback, once the solution is."""
        due = self.state.choices_revealed
        correct = grading.correct_choice_ids(self.snapshot, self.variant_answer) if due else ()
        choices = []
        for choice in self.snapshot.choices:
            data = {"id": choice.id, "text": choice.text}
            if due:
                data |= {"is_correct": choice.id in correct, "feedback": choice.feedback}
            choices.append(data)
        return choices

    @property
    def variant_answer(self) -> grading.VariantAnswer | None:
        return self.variant.answer if self.variant else None


def solution_data(snapshot: grading.QuestionSnapshot,
                  variant: grading.VariantAnswer | None) -> dict[str, Any]:
    """Return the correct answer as the API shows it: the text, and the value or choice ids."""
    numeric = snapshot.kind == grading.NUMERIC
    return {
        "text": grading.solution_text(snapshot, variant),
        "value": grading.correct_value(snapshot, variant) if numeric else None,
        "choices": None if numeric else sorted(grading.correct_choice_ids(snapshot, variant)),
    }


def lesson_questions(*, lesson: Lesson, user: Any, language: str) -> list[LearnerQuestion]:
    """Return the lesson's published questions as ``user`` sees them, in ``language``.

    Anonymous learners get the shared variant the web page shows them, and no state. A
    question whose simulation cannot be computed is left out, as on the web page.
    """
    loaded = questions_with_choices(lesson)
    questions = [question for question, _choices in loaded]
    statuses = attempt_statuses(user, questions)
    found = learner_variants(user=user, questions=loaded)
    shown = []
    for question, choices in loaded:
        if question.pk not in found:
            continue
        variant = found[question.pk]
        status = statuses.get(question.pk) or {"tries": 0, "correct": 0}
        snapshot = question_snapshot(question=question, language=language, variant=variant,
                                     choices=choices)
        shown.append(LearnerQuestion(question, len(shown) + 1, snapshot, variant,
                                     tries_used=status["tries"], solved=status["correct"] > 0))
    return shown
