"""Read an answer as the learner gave it: the numbers people type and the options ticked.

Part of grading (pure Python, no Django): :func:`quizzes.grading.grade` reads the answer
here first. An answer that cannot be read raises :class:`FormatError`, which grading
turns into a *format error*: explained to the learner, never graded, never a try.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Protocol

SINGLE, MULTIPLE, NUMERIC = "single", "multiple", "numeric"


class QuestionSnapshot(Protocol):
    """What reading an answer needs of a question (grading's snapshot has it): its kind
    and its options' ids. A protocol, so that answers.py need not import grading."""

    kind: str
    choices: Sequence[Any]


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
        value = parse_number(raw)
        if question.log_scale and value <= 0:
            raise FormatError("not_positive")
        return value
    return _choice_ids(question, raw)
