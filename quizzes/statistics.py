"""Per-question statistics for instructors, from the stored attempts and their snapshots.

First tries are what a question measures (later tries measure the feedback), so shares
are per learner: "correct on the first try" and "correct eventually". For questions
checked by simulation the first-try share is broken down by each varied parameter
(sigmoid vs ReLU, shallow vs deep), which shows which variants are harder.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from typing import Any

from . import grading
from .models import Attempt, Question

BINS = 4  # numeric ranges are shown in this many bins


@dataclasses.dataclass(frozen=True)
class Share:
    label: str
    learners: int
    first_try_correct: float | None
    correct_eventually: float | None


@dataclasses.dataclass(frozen=True)
class QuestionStatistics:
    attempts: int
    learners: int
    first_try_correct: float | None
    correct_eventually: float | None
    mean_tries_to_correct: float | None
    wrong_choices: list[tuple[str, int]]  # (choice text, times chosen wrongly), most first
    wrong_values: list[tuple[str, int]]  # numeric: most frequent wrong answers
    by_parameter: dict[str, list[Share]]
    needs_review: int


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _bin_label(value: Any, rule: Any) -> str:
    """Return the bin a varied value falls in ("4–6"), or the value itself for a list."""
    if not isinstance(rule, dict) or "min" not in rule or not isinstance(value, int | float):
        return str(value)
    low, high = rule["min"], rule["max"]
    if high == low:
        return str(low)
    log = bool(rule.get("log")) and low > 0 and value > 0
    scale = math.log10 if log else (lambda x: x)
    position = (scale(value) - scale(low)) / (scale(high) - scale(low))
    index = min(BINS - 1, max(0, int(position * BINS)))
    edges = [scale(low) + (scale(high) - scale(low)) * i / BINS for i in range(BINS + 1)]
    if log:
        edges = [10**edge for edge in edges]
    if isinstance(low, int) and isinstance(high, int) and not log:
        start = math.ceil(edges[index]) if index else low
        end = math.ceil(edges[index + 1]) - 1 if index < BINS - 1 else high
        return str(start) if start >= end else f"{start}–{end}"
    return f"{edges[index]:.3g}–{edges[index + 1]:.3g}"


def _wrong_choice_ids(attempt: Attempt) -> list[int]:
    snapshot = grading.QuestionSnapshot.from_dict(attempt.snapshot["question"])
    variant_data = attempt.snapshot.get("variant")
    variant = None
    if variant_data:
        variant = grading.VariantAnswer(**{**variant_data, "correct_choices": tuple(
            variant_data["correct_choices"])})
    correct = grading.correct_choice_ids(snapshot, variant)
    return [choice_id for choice_id in attempt.answer if choice_id not in correct]


def question_statistics(question: Question) -> QuestionStatistics:
    attempts = list(
        Attempt.objects.filter(question=question).select_related("variant")
        .order_by("user_id", "created_at", "id")
    )
    by_learner: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_learner[attempt.user_id].append(attempt)
    first = {user: rows[0] for user, rows in by_learner.items()}
    eventually = {user: any(a.is_correct for a in rows) for user, rows in by_learner.items()}
    tries_to_correct = [
        next(n for n, a in enumerate(rows, 1) if a.is_correct)
        for rows in by_learner.values() if any(a.is_correct for a in rows)
    ]
    wrong = [a for a in attempts if not a.is_correct and a.counts_as_try]
    wrong_choices: list[tuple[str, int]] = []
    wrong_values: list[tuple[str, int]] = []
    if question.is_choice:
        texts = {choice.id: choice.text for choice in question.choices.all()}
        counts = Counter(cid for attempt in wrong for cid in _wrong_choice_ids(attempt))
        wrong_choices = [(texts.get(cid, f"#{cid}"), n) for cid, n in counts.most_common(3)]
    elif not question.simulation:  # with a simulation every learner has another value
        wrong_values = [(f"{value:.4g}", n)
                        for value, n in Counter(a.answer for a in wrong).most_common(3)]
    by_parameter: dict[str, list[Share]] = {}
    for name, rule in (question.varied_params or {}).items():
        groups: dict[str, list[int]] = defaultdict(list)
        for user, attempt in first.items():
            params = attempt.variant.params if attempt.variant else (
                (attempt.snapshot.get("variant") or {}).get("params", {}))
            if name in params:
                groups[_bin_label(params[name], rule)].append(user)
        by_parameter[name] = [
            Share(label, len(users), _share([first[u].is_correct for u in users]),
                  _share([eventually[u] for u in users]))
            for label, users in sorted(groups.items(), key=lambda item: _sort_key(item[0]))
        ]
    return QuestionStatistics(
        attempts=len(attempts),
        learners=len(by_learner),
        first_try_correct=_share([a.is_correct for a in first.values()]),
        correct_eventually=_share(list(eventually.values())),
        mean_tries_to_correct=(sum(tries_to_correct) / len(tries_to_correct)
                               if tries_to_correct else None),
        wrong_choices=wrong_choices,
        wrong_values=wrong_values,
        by_parameter=by_parameter,
        needs_review=sum(a.needs_review for a in attempts),
    )


def _sort_key(label: str) -> tuple:
    head = label.split("–")[0]
    try:
        return (0, float(head), label)
    except ValueError:
        return (1, 0.0, label)
