"""Grade one answer to one question: the only place in Gradiente where an answer is judged.

Pure Python (no Django), so the web view, the admin preview and the API call the same
function and tests need no database. The caller passes a *snapshot* of the question as
the learner saw it (texts already in the learner's language), the learner's *variant*
(what the simulation computed for them, if the question is checked by simulation), the
raw answer and how many wrong tries came before; :func:`grade` returns an
:class:`Outcome`.

Numeric answers are compared as numpy's ``isclose`` does (and PrairieLearn grades):
correct when ``|a - c| <= atol + rtol * |c|``, with ``c`` the correct value; on a log10
scale the same test runs on ``log10(a)`` and ``log10(c)``, so ``atol = 1`` means "within
a factor of ten". A value typed exactly on the boundary counts as correct: a relative
slack of 1e-9 of the tolerance absorbs binary rounding (1.01 - 1 is 0.0100000000000000009).

An answer that cannot be read (a typo, no choice ticked) is a *format error*: it is
explained and does not count as a try (reading it is :mod:`quizzes.answers`). Whether the
explanation and the solution come with the outcome is the one rule of
:mod:`quizzes.learner_state`, which the lesson page and the API ask as well.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from .answers import (  # noqa: F401 - grading's interface: callers read answers through it
    MULTIPLE,
    NUMERIC,
    SINGLE,
    FormatError,
    normalize_answer,
    parse_number,
)
from .learner_state import (  # noqa: F401 - the policies, named where questions are graded
    AFTER_CORRECT,
    AFTER_TRIES,
    CORRECT,
    NEVER,
    WRONG,
    LearnerView,
    policy_of,
    question_view_state,
)
from .texts import text

TOLERANCE_SLACK = 1e-9

@dataclasses.dataclass(frozen=True)
class ChoiceSnapshot:
    id: int
    text: str
    is_correct: bool = False
    feedback: str = ""
    by_simulation: bool = False  # correctness comes from the variant's predicate


@dataclasses.dataclass(frozen=True)
class QuestionSnapshot:
    """A question as one learner saw it, in their language; stored with every attempt."""

    id: int
    kind: str
    language: str
    prompt: str
    explanation: str = ""
    feedback_correct: str = ""  # empty: the built-in sentence
    feedback_wrong: str = ""
    choices: tuple[ChoiceSnapshot, ...] = ()
    answer: float | None = None  # numeric with a stored answer; None: the variant's value
    rtol: float = 0.0
    atol: float = 0.0
    log_scale: bool = False
    partial_credit: bool = False
    explanation_after_tries: int | None = None
    solution_policy: str = AFTER_CORRECT
    solution_after_tries: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionSnapshot:
        values = dict(data)
        values["choices"] = tuple(ChoiceSnapshot(**c) for c in values.get("choices", ()))
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class VariantAnswer:
    """What the simulation computed for one learner's variant of a question."""

    params: Mapping[str, Any]
    seed: int
    engine_version: str
    value: float | None = None  # the quantity the numeric question checks
    correct_choices: tuple[int, ...] = ()  # ids of choices whose predicate holds

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["params"] = dict(self.params)
        data["correct_choices"] = list(self.correct_choices)
        return data


@dataclasses.dataclass(frozen=True)
class Outcome:
    correct: bool
    score: float
    feedback: str = ""
    choice_feedback: tuple[tuple[int, str], ...] = ()  # (choice id, text) of chosen ones
    explanation: str = ""  # empty unless due
    solution: str = ""  # empty unless the policy allows it now
    format_error: str = ""  # a code of TEXTS; the answer was not graded
    format_error_message: str = ""
    normalized_answer: Any = None  # sorted choice ids or a float: "the same answer"

    @property
    def counts_as_try(self) -> bool:
        return not self.format_error

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["choice_feedback"] = [list(pair) for pair in self.choice_feedback]
        return data


def is_close(answer: float, correct: float, *, rtol: float, atol: float, log_scale: bool) -> bool:
    """Return |a - c| <= atol + rtol |c| (on log10 values when ``log_scale``)."""
    if log_scale:
        answer, correct = math.log10(answer), math.log10(correct)
    allowed = atol + rtol * abs(correct)
    return abs(answer - correct) <= allowed * (1 + TOLERANCE_SLACK)


def correct_choice_ids(question: QuestionSnapshot, variant: VariantAnswer | None) -> set[int]:
    """Return the ids of the correct choices (a predicate's verdict for this variant)."""
    by_variant = set(variant.correct_choices) if variant else set()
    return {
        choice.id
        for choice in question.choices
        if (choice.id in by_variant if choice.by_simulation else choice.is_correct)
    }


def correct_value(question: QuestionSnapshot, variant: VariantAnswer | None) -> float | None:
    value = question.answer if question.answer is not None else (variant and variant.value)
    if value is None or not math.isfinite(value):
        return None
    if question.log_scale and value <= 0:
        return None
    return float(value)


def _format_number(value: float, language: str) -> str:
    formatted = f"{value:.4g}"
    return formatted.replace(".", ",") if language == "pt-br" else formatted


def solution_text(question: QuestionSnapshot, variant: VariantAnswer | None) -> str:
    """Return the correct answer as a learner reads it (choice texts or the value)."""
    if question.kind == NUMERIC:
        value = correct_value(question, variant)
        return "" if value is None else _format_number(value, question.language)
    correct = correct_choice_ids(question, variant)
    return " · ".join(choice.text for choice in question.choices if choice.id in correct)


def _score(question: QuestionSnapshot, chosen: set[int], correct: set[int]) -> float:
    if chosen == correct:
        return 1.0
    if question.kind != MULTIPLE or not question.partial_credit or not correct:
        return 0.0
    # Partial credit, PrairieLearn's "PC" method: right ticks minus wrong ticks, over
    # the number of right choices, never below zero.
    return max(0.0, (len(chosen & correct) - len(chosen - correct)) / len(correct))


def _format_error(question: QuestionSnapshot, code: str, **values: Any) -> Outcome:
    message = text(question.language, code, **values)
    return Outcome(correct=False, score=0.0, format_error=code, format_error_message=message)


def _judge(question: QuestionSnapshot, variant: VariantAnswer | None,
           normalized: Any) -> tuple[float, tuple[tuple[int, str], ...]] | None:
    """Return the score and the feedback of the options chosen; None if no value to compare."""
    if question.kind == NUMERIC:
        value = correct_value(question, variant)
        if value is None:
            return None
        options = {"rtol": question.rtol, "atol": question.atol, "log_scale": question.log_scale}
        return (1.0 if is_close(normalized, value, **options) else 0.0), ()
    chosen = set(normalized)
    score = _score(question, chosen, correct_choice_ids(question, variant))
    choice_feedback = tuple((choice.id, choice.feedback) for choice in question.choices
                            if choice.id in chosen and choice.feedback)
    return score, choice_feedback


def _feedback(question: QuestionSnapshot, score: float) -> str:
    if score == 1.0:
        return question.feedback_correct or text(question.language, "correct")
    if score > 0:
        return text(question.language, "partial", percent=round(100 * score))
    return question.feedback_wrong or text(question.language, "wrong")


def _due(question: QuestionSnapshot, variant: VariantAnswer | None,
         view: LearnerView) -> dict[str, str]:
    """Return the explanation and the solution as :func:`question_view_state` lets them show."""
    return {
        "explanation": question.explanation if view.explanation_due else "",
        "solution": solution_text(question, variant) if view.solution_due else "",
    }


def grade(
    question: QuestionSnapshot,
    variant: VariantAnswer | None,
    answer: Any,
    *,
    wrong_tries_before: int = 0,
    solved_before: bool = False,
) -> Outcome:
    """Judge ``answer`` and return the outcome, its feedback and what is due to be shown.

    ``answer`` is a number or the text typed (numeric) or choice ids (one or a list).
    ``wrong_tries_before`` counts the learner's earlier wrong tries and ``solved_before``
    says they solved it already; with this answer they decide, by the one rule of
    :mod:`quizzes.learner_state`, whether the explanation and the solution are shown.
    """
    try:
        normalized = normalize_answer(question, answer)
    except FormatError as error:
        return _format_error(question, error.code, **error.values)
    judged = _judge(question, variant, normalized)
    if judged is None:
        return _format_error(question, "unavailable")
    score, choice_feedback = judged
    correct = score == 1.0
    # This answer is the last try that counts (after a correct one, none counts).
    view = question_view_state(policy_of(question), tries=wrong_tries_before + 1,
                               solved=correct or solved_before,
                               last_outcome=CORRECT if correct else WRONG)
    return Outcome(correct=correct, score=score, feedback=_feedback(question, score),
                   choice_feedback=choice_feedback, normalized_answer=normalized,
                   **_due(question, variant, view))


def locked(question: QuestionSnapshot, variant: VariantAnswer | None, *, tries: int) -> Outcome:
    """Return the outcome shown instead of grading when no tries are left."""
    view = question_view_state(policy_of(question), tries=tries, solved=False)
    return Outcome(correct=False, score=0.0, feedback=text(question.language, "no_tries_left"),
                   **_due(question, variant, view))
