"""Read an answer as the learner gave it: the numbers people type and the options ticked.

Part of grading (pure Python, no Django): :func:`quizzes.grading.grade` reads the answer
here first. An answer that cannot be read raises :class:`FormatError`, which grading
turns into a *format error*: explained to the learner, never graded, never a try.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

from simulations.numbers import NumberFormatError, read_number

SINGLE, MULTIPLE, NUMERIC = "single", "multiple", "numeric"


class QuestionSnapshot(Protocol):
    """What reading an answer needs of a question (grading's snapshot has it): its kind,
    its language (the decimal separator) and its options' ids. A protocol, so that
    answers.py need not import grading."""

    kind: str
    language: str
    choices: Sequence[Any]


class FormatError(ValueError):
    def __init__(self, code: str, **values: Any):
        self.code = code
        self.values = values
        super().__init__(code)


# The decimal separator of each language of the site (Django's format of the same
# language says the same; a test checks it). Unknown languages read like Portuguese,
# the site's first language.
DECIMAL_SEPARATORS = {"pt-br": ",", "en": "."}


def parse_number(raw: Any, *, language: str = "pt-br") -> float:
    """Read a number as the site displays it and as people type it, in ``language``.

    0.05, 0,05, 5e-2, 5×10^-2, 1,3 × 10⁻³, 10^-3, −0.3, 12% (see
    :func:`simulations.numbers.read_number` for the rules). Raise FormatError for anything
    else, so a typo is never graded as a wrong answer.
    """
    if isinstance(raw, bool):
        raise FormatError("not_a_number", answer=str(raw))
    if isinstance(raw, int | float):
        value = float(raw) if abs(raw) < 1e308 else math.inf  # a huge int overflows float()
    else:
        typed = str(raw or "")
        decimal = DECIMAL_SEPARATORS.get(language, DECIMAL_SEPARATORS["pt-br"])
        try:
            value = read_number(typed, decimal=decimal)
        except NumberFormatError as error:
            raise FormatError(error.code, answer=typed.strip()[:40], **error.values) from None
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
            # 4.0 is the id 4: clients generated from a schema may send ids as numbers.
            whole = isinstance(item, float) and item.is_integer()
            ids.add(int(item) if whole else int(str(item).strip()))
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
        value = parse_number(raw, language=question.language)
        if question.log_scale and value <= 0:
            raise FormatError("not_positive")
        return value
    return _choice_ids(question, raw)
