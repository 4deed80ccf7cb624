"""The exercises under a lesson's text: what the lesson page shows and what a POST does.

``classroom.pages.lesson_page`` makes one call, :func:`lesson_exercises`. The answer view
grades through :func:`submit_answer` and then renders the same lesson page, which finds
the submission on the request and shows its feedback in place of the blank form.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from course.markdown import render_markdown
from course.models import Lesson

from . import grading
from .forms import AnswerForm
from .learner_questions import attempt_statuses, questions_with_choices
from .learner_variants import LearnerVariant, lab_url, learner_variant
from .models import Choice, Question, Variant
from .services import AttemptResult, question_snapshot, record_attempt

SUBMISSION_ATTRIBUTE = "quizzes_submission"
logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Exercise:
    """One question as the page shows it, with the learner's form and any feedback."""

    question: Question
    number: int
    snapshot: grading.QuestionSnapshot
    form: AnswerForm
    result: AttemptResult | None = None
    tries_used: int = 0
    solved: bool = False
    locked_outcome: grading.Outcome | None = None
    lab_url: str = ""  # the lab page running this learner's variant

    @property
    def prompt_html(self) -> SafeString:
        return mark_safe(render_markdown(self.snapshot.prompt))  # noqa: S308 - sanitized

    @property
    def outcome(self) -> grading.Outcome | None:
        if self.result and not self.result.outcome.format_error:
            return self.result.outcome
        return self.locked_outcome

    @property
    def explanation_html(self) -> SafeString:
        text = self.outcome.explanation if self.outcome else ""
        return mark_safe(render_markdown(text)) if text else SafeString("")  # noqa: S308

    @property
    def choice_feedback(self) -> list[SafeString]:
        if not self.outcome:
            return []
        return [mark_safe(render_markdown(text))  # noqa: S308 - sanitized
                for _id, text in self.outcome.choice_feedback]

    @property
    def tries_left(self) -> int | None:
        if self.result is not None:
            return self.result.tries_left
        limit = self.question.max_tries
        return None if limit is None else max(0, limit - self.tries_used)

    @property
    def can_answer(self) -> bool:
        return self.locked_outcome is None and not (self.result and self.result.tries_left == 0
                                                    and not self.result.outcome.correct)

    @property
    def shows_solution(self) -> bool:
        """Show the correct answer when due, except a right choice (the learner's own)."""
        outcome = self.outcome
        if not outcome or not outcome.solution:
            return False
        return not outcome.correct or self.snapshot.kind == grading.NUMERIC

    @property
    def anchor(self) -> str:
        return f"exercise-{self.question.key}"


@dataclasses.dataclass(frozen=True)
class Submission:
    question_id: int
    exercise: Exercise


def _prepare(question: Question, user: Any, language: str, choices: list[Choice] | None = None,
             **stored: Variant | None) -> tuple[grading.QuestionSnapshot, LearnerVariant | None]:
    choices = list(question.choices.all()) if choices is None else choices
    variant = learner_variant(question=question, user=user, choices=choices, **stored)
    snapshot = question_snapshot(question=question, language=language, variant=variant,
                                 choices=choices)
    return snapshot, variant


def _stored_variants(user: Any, questions: list[Question]) -> dict[int, Variant] | None:
    """Read the learner's variants of the page's simulated questions in one query."""
    simulated = [question for question in questions if question.simulation]
    if not user.is_authenticated or not simulated:
        return None
    rows = Variant.objects.filter(user=user, question__in=simulated)
    return {row.question_id: row for row in rows}


def _exercise(question: Question, choices: list[Choice], number: int, user: Any,
              language: str, status: dict[str, int] | None,
              stored: dict[int, Variant] | None) -> Exercise:
    known = {} if stored is None else {"stored": stored.get(question.pk)}
    snapshot, variant = _prepare(question, user, language, choices, **known)
    token = variant.token if variant else ""
    exercise = Exercise(question, number, snapshot, AnswerForm(snapshot=snapshot, token=token),
                        lab_url=lab_url(question, variant))
    if status:
        exercise.tries_used, exercise.solved = status["tries"], status["correct"] > 0
        limit = question.max_tries
        if not exercise.solved and limit is not None and exercise.tries_used >= limit:
            exercise.locked_outcome = grading.locked(
                snapshot, variant.answer if variant else None, tries=exercise.tries_used)
    return exercise


def lesson_exercises(request: HttpRequest, lesson: Lesson) -> dict[str, Any]:
    """Return the lesson page's context for its exercises, in the request's language."""
    loaded = questions_with_choices(lesson)
    submission: Submission | None = getattr(request, SUBMISSION_ATTRIBUTE, None)
    language = get_language()
    questions = [question for question, _choices in loaded]
    statuses = attempt_statuses(request.user, questions)
    stored = _stored_variants(request.user, questions)
    exercises = []
    for question, choices in loaded:
        if submission and submission.question_id == question.pk:
            exercises.append(submission.exercise)
            continue
        try:
            exercises.append(_exercise(question, choices, 0, request.user, language,
                                       statuses.get(question.pk), stored))
        except (KeyError, ValueError):  # the engine refuses the question's simulation
            logger.exception("Exercise %s cannot be computed; not shown", question.stable_key)
    for number, exercise in enumerate(exercises, start=1):
        exercise.number = number
    return {"exercises": exercises}


def _blank_form_saying(snapshot, token: str, message: str) -> AnswerForm:
    """Return an empty answer form for ``snapshot`` that shows ``message`` above it.

    Bound (to nothing but its token) so that it can carry an error: an unbound form has
    no cleaned data for ``add_error`` to work on.
    """
    form = AnswerForm({f"q{snapshot.id}-shown": token}, snapshot=snapshot, token=token)
    form.is_valid()
    form.add_error(None, message)
    return form


def submit_answer(request: HttpRequest, question: Question) -> Submission:
    """Grade a posted answer (storing it for a logged-in learner) and keep the result."""
    language = get_language()
    try:
        snapshot, variant = _prepare(question, request.user, language)
    except (KeyError, ValueError):  # the engine refuses the question's simulation
        logger.exception("Exercise %s cannot be computed", question.stable_key)
        raise Http404 from None
    form = AnswerForm(request.POST, snapshot=snapshot, token=variant.token if variant else "")
    published = question.lesson.questions.filter(is_published=True)
    number = 1 + published.filter(Q(order__lt=question.order) | Q(order=question.order,
                                                                  pk__lt=question.pk)).count()
    exercise = Exercise(question, number, snapshot, form, lab_url=lab_url(question, variant))
    if form.is_valid():
        answer = form.cleaned_data["answer"]
        result = record_attempt(
            question=question, user=request.user, answer=answer, language=language,
            answer_text=answer if isinstance(answer, str) else "",
            shown_token=form.cleaned_data["shown"] or None,
        )
        exercise.result, exercise.snapshot = result, result.snapshot
        exercise.tries_used, exercise.solved = result.tries_used, result.solved
        if result.outcome.format_error:
            form.add_error("answer", result.outcome.format_error_message)
        if result.outcome.format_error == "changed":  # show the current prompt, blank
            exercise.form = _blank_form_saying(result.snapshot, variant.token if variant else "",
                                               result.outcome.format_error_message)
    submission = Submission(question.pk, exercise)
    setattr(request, SUBMISSION_ATTRIBUTE, submission)
    return submission
