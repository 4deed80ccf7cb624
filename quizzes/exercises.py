"""The exercises under a lesson's text: what the lesson page shows and what a POST does.

``classroom.pages.lesson_page`` makes one call, :func:`lesson_exercises`. The answer view
grades through :func:`submit_answer` and then renders the same lesson page, which finds
the submission on the request and shows its feedback in place of the blank form. What
is due (tries left, explanation, solution, the form) is asked of
:func:`quizzes.learner_state.question_view_state`, as the API asks it.
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
from .learner_state import LearnerView, policy_of, question_view_state
from .learner_variants import LearnerVariant, lab_url, learner_variant
from .models import Choice, Question, Variant
from .services import AttemptResult, question_snapshot, record_attempt

SUBMISSION_ATTRIBUTE = "quizzes_submission"
logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Exercise:
    """One question as the page shows it, with the learner's form and any feedback.

    What is due (tries left, the explanation, the solution, whether the form takes an
    answer) is the learner's :attr:`state`, decided by :mod:`quizzes.learner_state` as
    for the API: after a reload the page shows what the API shows.
    """

    question: Question
    number: int
    snapshot: grading.QuestionSnapshot
    form: AnswerForm
    state: LearnerView
    variant_answer: grading.VariantAnswer | None = None
    result: AttemptResult | None = None
    locked_outcome: grading.Outcome | None = None
    lab_url: str = ""  # the lab page running this learner's variant

    @property
    def prompt_html(self) -> SafeString:
        return mark_safe(render_markdown(self.snapshot.prompt))  # noqa: S308 - sanitized

    @property
    def outcome(self) -> grading.Outcome | None:
        """The answer graded now (or the notice that no tries are left); None on a reload."""
        if self.result and not self.result.outcome.format_error:
            return self.result.outcome
        return self.locked_outcome

    @property
    def explanation(self) -> str:
        """The explanation (Markdown) when due; else empty."""
        if self.outcome:  # graded by the same rule, with the answer just given
            return self.outcome.explanation
        return self.snapshot.explanation if self.state.explanation_due else ""

    @property
    def explanation_html(self) -> SafeString:
        text = self.explanation
        return mark_safe(render_markdown(text)) if text else SafeString("")  # noqa: S308

    @property
    def solution(self) -> str:
        """The correct answer as the learner reads it, when due; else empty."""
        if self.outcome:
            return self.outcome.solution
        if not self.state.solution_due:
            return ""
        return grading.solution_text(self.snapshot, self.variant_answer)

    @property
    def options(self) -> list[tuple[Any, str, SafeString]]:
        """Each option of a choice question with its mark once answered: (radio or checkbox,
        "right" / "wrong" for an option the learner chose now, else "", its feedback).

        The mark goes on the option itself, beside its feedback, not only in the banner.
        """
        marks: dict[str, str] = {}
        feedback: dict[str, SafeString] = {}
        if self.outcome and self.snapshot.kind != grading.NUMERIC:
            right = grading.correct_choice_ids(self.snapshot, self.variant_answer)
            for choice_id in self.outcome.normalized_answer or ():
                marks[str(choice_id)] = "right" if choice_id in right else "wrong"
            feedback = {str(choice_id): mark_safe(render_markdown(text))  # noqa: S308
                        for choice_id, text in self.outcome.choice_feedback}
        return [(option, marks.get(str(option.data["value"]), ""),
                 feedback.get(str(option.data["value"]), SafeString("")))
                for option in self.form["answer"]]

    @property
    def shows_feedback(self) -> bool:
        return bool(self.outcome or self.state.tells_tries_left or self.solution
                    or self.explanation)

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
    status = status or {"tries": 0, "correct": 0}
    state = question_view_state(policy_of(question), tries=status["tries"],
                                solved=status["correct"] > 0)
    answer = variant.answer if variant else None
    exercise = Exercise(question, number, snapshot, AnswerForm(snapshot=snapshot, token=token),
                        state, answer, lab_url=lab_url(question, variant, state))
    if not state.can_answer:
        exercise.locked_outcome = grading.locked(snapshot, answer, tries=state.tries_used)
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


def submit_answer(request: HttpRequest, question: Question, *, refusal: str = "") -> Submission:
    """Grade a posted answer (storing it for a logged-in learner) and keep the result.

    With a ``refusal`` (the learner must wait), nothing is graded: the exercise comes
    back blank, saying it.
    """
    language = get_language()
    try:
        snapshot, variant = _prepare(question, request.user, language)
    except (KeyError, ValueError):  # the engine refuses the question's simulation
        logger.exception("Exercise %s cannot be computed", question.stable_key)
        raise Http404 from None
    token = variant.token if variant else ""
    form = _blank_form_saying(snapshot, token, refusal) if refusal else \
        AnswerForm(request.POST, snapshot=snapshot, token=token)
    published = question.lesson.questions.filter(is_published=True)
    number = 1 + published.filter(Q(order__lt=question.order) | Q(order=question.order,
                                                                  pk__lt=question.pk)).count()
    state = question_view_state(policy_of(question), tries=0, solved=False)  # until known
    exercise = Exercise(question, number, snapshot, form, state,
                        variant.answer if variant else None,
                        lab_url=lab_url(question, variant, state))
    if not refusal and form.is_valid():
        answer = form.cleaned_data["answer"]
        result = record_attempt(
            question=question, user=request.user, answer=answer, language=language,
            answer_text=answer if isinstance(answer, str) else "",
            shown_token=form.cleaned_data["shown"] or None,
        )
        exercise.result, exercise.snapshot = result, result.snapshot
        exercise.state = result.state or state  # an anonymous learner's tries do not count
        exercise.lab_url = lab_url(question, variant, exercise.state)
        exercise.variant_answer = result.variant.answer if result.variant else None
        if result.outcome.format_error:
            form.add_error("answer", result.outcome.format_error_message)
        if result.outcome.format_error == "changed":  # show the current prompt, blank
            exercise.form = _blank_form_saying(result.snapshot, variant.token if variant else "",
                                               result.outcome.format_error_message)
    submission = Submission(question.pk, exercise)
    setattr(request, SUBMISSION_ATTRIBUTE, submission)
    return submission
