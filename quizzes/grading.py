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
explained and does not count as a try.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from typing import Any

from .texts import text

SINGLE, MULTIPLE, NUMERIC = "single", "multiple", "numeric"
NEVER, AFTER_CORRECT, AFTER_TRIES = "never", "after_correct", "after_tries"
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


class FormatError(ValueError):
    def __init__(self, code: str, **values: Any):
        self.code = code
        self.values = values
        super().__init__(code)


_TIMES_TEN = re.compile(
    r"\s*(?:[x×*·]|\\times|\\cdot)\s*10\s*(?:\^|\*\*)\s*\{?\s*([+-]?\d+)\s*\}?$"
)
_POWER_OF_TEN = re.compile(r"^10\s*(?:\^|\*\*)\s*\{?\s*([+-]?\d+)\s*\}?$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$", re.IGNORECASE)


def parse_number(raw: Any) -> float:
    """Read a number as people type it: 0.05, 0,05, 5e-2, 5×10^-2, 10^-2, −0.3.

    A comma is the decimal separator (as in pt-BR) when there is no dot; raise
    FormatError for anything else, so a typo is never graded as a wrong answer.
    """
    if isinstance(raw, bool):
        raise FormatError("not_a_number", answer=str(raw))
    if isinstance(raw, int | float):
        value = float(raw) if abs(raw) < 1e308 else math.inf  # a huge int overflows float()
    else:
        typed = str(raw or "").strip()
        if not typed:
            raise FormatError("empty")
        cleaned = typed.replace("\u2212", "-").replace("\u2013", "-").replace(" ", "")
        if "," in cleaned:
            if "." in cleaned or cleaned.count(",") > 1:
                raise FormatError("not_a_number", answer=typed)
            cleaned = cleaned.replace(",", ".")
        power = _POWER_OF_TEN.match(cleaned)
        if power:
            cleaned = f"1e{power.group(1)}"
        else:
            cleaned = _TIMES_TEN.sub(lambda m: f"e{m.group(1)}", cleaned)
        if not _DECIMAL.match(cleaned):
            raise FormatError("not_a_number", answer=typed[:40])
        value = float(cleaned)
    if not math.isfinite(value):
        raise FormatError("not_finite")
    return value


def _choice_ids(question: QuestionSnapshot, raw: Any) -> tuple[int, ...]:
    items = raw if isinstance(raw, list | tuple | set | frozenset) else [raw]
    items = [item for item in items if item not in (None, "")]
    if not items:
        raise FormatError("no_choice")
    known = {choice.id for choice in question.choices}
    ids: set[int] = set()
    for item in items:
        try:
            ids.add(int(str(item).strip()))
        except ValueError:
            raise FormatError("unknown_choice") from None
    if not ids <= known:
        raise FormatError("unknown_choice")
    if question.kind == SINGLE and len(ids) > 1:
        raise FormatError("one_choice")
    return tuple(sorted(ids))


def normalize_answer(question: QuestionSnapshot, raw: Any) -> Any:
    """Return the answer in canonical form (sorted choice ids or a float).

    Two submissions are "the same answer" when these are equal (5e-2 and 0,05 are).
    """
    if question.kind == NUMERIC:
        value = parse_number(raw)
        if question.log_scale and value <= 0:
            raise FormatError("not_positive")
        return value
    return _choice_ids(question, raw)


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


def solution_due(question: QuestionSnapshot, *, correct: bool, tries: int) -> bool:
    if question.solution_policy == NEVER:
        return False
    if correct:
        return True
    limit = question.solution_after_tries
    return question.solution_policy == AFTER_TRIES and limit is not None and tries >= limit


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


def grade(
    question: QuestionSnapshot,
    variant: VariantAnswer | None,
    answer: Any,
    *,
    wrong_tries_before: int = 0,
) -> Outcome:
    """Judge ``answer`` and return the outcome, its feedback and what is due to be shown.

    ``answer`` is a number or the text typed (numeric) or choice ids (one or a list).
    ``wrong_tries_before`` counts the learner's earlier wrong tries; with this one it
    decides whether the explanation and the solution are shown after a wrong answer.
    """
    try:
        normalized = normalize_answer(question, answer)
    except FormatError as error:
        return _format_error(question, error.code, **error.values)
    choice_feedback: tuple[tuple[int, str], ...] = ()
    if question.kind == NUMERIC:
        value = correct_value(question, variant)
        if value is None:
            return _format_error(question, "unavailable")
        options = {"rtol": question.rtol, "atol": question.atol, "log_scale": question.log_scale}
        score = 1.0 if is_close(normalized, value, **options) else 0.0
    else:
        chosen = set(normalized)
        score = _score(question, chosen, correct_choice_ids(question, variant))
        choice_feedback = tuple(
            (choice.id, choice.feedback)
            for choice in question.choices
            if choice.id in chosen and choice.feedback
        )
    correct = score == 1.0
    wrong_tries = wrong_tries_before + (0 if correct else 1)
    if correct:
        feedback = question.feedback_correct or text(question.language, "correct")
    elif score > 0:
        feedback = text(question.language, "partial", percent=round(100 * score))
    else:
        feedback = question.feedback_wrong or text(question.language, "wrong")
    after = question.explanation_after_tries
    explanation_due = correct or (after is not None and wrong_tries >= after)
    tries = wrong_tries_before + 1
    return Outcome(
        correct=correct,
        score=score,
        feedback=feedback,
        choice_feedback=choice_feedback,
        explanation=question.explanation if explanation_due else "",
        solution=solution_text(question, variant)
        if solution_due(question, correct=correct, tries=tries) else "",
        normalized_answer=normalized,
    )


def locked(question: QuestionSnapshot, variant: VariantAnswer | None, *, tries: int) -> Outcome:
    """Return the outcome shown instead of grading when no tries are left."""
    due = solution_due(question, correct=False, tries=tries)
    after = question.explanation_after_tries
    return Outcome(
        correct=False,
        score=0.0,
        feedback=text(question.language, "no_tries_left"),
        explanation=question.explanation if after is not None and tries >= after else "",
        solution=solution_text(question, variant) if due else "",
    )
