"""What an exam attempt asks: per lesson of the chapter, which questions and which variants.

Per lesson, the questions checked by simulation are drawn first (their values are new
to the learner, so the exam tests the idea, not a remembered number); a lesson without
one gives its other questions. Which ones, when the lesson has more than the exam takes,
is a seeded choice of learner and attempt: a retake usually asks others.

A simulated question's variant is drawn from the learner's own key with an exam suffix,
exactly as the lesson page's is drawn (:func:`quizzes.variants.served_variant`, never a
variant next to a predicate's boundary), and refused while its parameters equal those of
a variant the learner has met: the lesson page's or an earlier attempt's. A question whose
varied parameters take too few values to differ gets another seed at least.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
from collections.abc import Sequence
from typing import Any

from quizzes import grading, variants
from quizzes.learner_questions import questions_with_choices
from quizzes.learner_variants import learner_key, served_cached, simulation_spec
from quizzes.models import Choice, Question, Variant

from .models import Exam, ExamItem

NEW_VARIANT_DRAWS = 16  # exam keys tried for parameters the learner has not met


@dataclasses.dataclass(frozen=True)
class DrawnQuestion:
    question: Question
    variant: grading.VariantAnswer | None
    fingerprint: str = ""


def chapter_questions(exam: Exam) -> list[list[tuple[Question, list[Choice]]]]:
    """Return, per lesson of the exam's chapter in reading order, its published questions."""
    lessons = exam.chapter.lessons.select_related("course", "chapter").order_by("number")
    return [questions_with_choices(lesson) for lesson in lessons]


def _seed(*parts: Any) -> int:
    digest = hashlib.sha256("\x00".join(map(str, ("gradiente-exam", *parts))).encode())
    return int.from_bytes(digest.digest()[:8], "big")


def pick_questions(loaded: Sequence[tuple[Question, list[Choice]]], *, count: int,
                   user_id: int, number: int) -> list[tuple[Question, list[Choice]]]:
    """Return ``count`` of a lesson's questions: simulated ones first, else fixed ones."""
    simulated = [pair for pair in loaded if pair[0].simulation]
    fixed = [pair for pair in loaded if not pair[0].simulation]
    chosen: list[tuple[Question, list[Choice]]] = []
    for pool in (simulated, fixed):
        pool = sorted(pool, key=lambda pair: pair[0].key)
        random.Random(_seed(user_id, number, *(q.pk for q, _c in pool))).shuffle(pool)
        chosen += pool[:count - len(chosen)]
    return sorted(chosen, key=lambda pair: (pair[0].order, pair[0].pk))


def _params_key(params: Any) -> str:
    return json.dumps(dict(params), sort_keys=True, default=str)


def met_variants(question: Question, choices: Sequence[Choice], user: Any
                 ) -> tuple[set[str], set[int]]:
    """Return the parameters and seeds of the variants the learner has met of the question:
    the lesson page's (stored, or the one the page would serve them) and earlier attempts'."""
    params, seeds = set(), set()
    row = Variant.objects.filter(question=question, user=user).first()
    if row is not None:
        met = [row.as_answer().to_dict(), *row.history]
    else:
        spec = simulation_spec(question, choices)
        met = [served_cached(spec, question.stable_key, learner_key(user)).answer.to_dict()]
    met += [item for item in ExamItem.objects.filter(
        question=question, attempt__user=user, variant__isnull=False
    ).values_list("variant", flat=True)]
    for answer in met:
        params.add(_params_key(answer["params"]))
        if "seed" in answer:
            seeds.add(answer["seed"])
    return params, seeds


def new_variant(question: Question, choices: Sequence[Choice], user: Any, *,
                number: int) -> DrawnQuestion:
    """Return a variant of the question the learner has not met (see the module's doc)."""
    spec = simulation_spec(question, choices)
    met_params, met_seeds = met_variants(question, choices, user)
    fallback = None
    for draw in range(NEW_VARIANT_DRAWS):
        key = f"{learner_key(user)}\x00exam {number}\x00{draw}"
        computed = variants.served_variant(spec, question.stable_key, key)
        if computed.answer.seed in met_seeds:
            continue
        if _params_key(computed.answer.params) not in met_params:
            return DrawnQuestion(question, computed.answer, computed.fingerprint)
        fallback = fallback or computed
    if fallback is None:  # 16 seeds of 2**32 all met: not in this universe
        raise ValueError(f"no new variant of {question.stable_key}")
    return DrawnQuestion(question, fallback.answer, fallback.fingerprint)


def draw_attempt(exam: Exam, user: Any, *, number: int) -> list[DrawnQuestion]:
    """Return the questions of the learner's attempt ``number``, with their variants."""
    drawn = []
    for loaded in chapter_questions(exam):
        for question, choices in pick_questions(loaded, count=exam.questions_per_lesson,
                                                user_id=user.pk, number=number):
            if question.simulation:
                drawn.append(new_variant(question, choices, user, number=number))
            else:
                drawn.append(DrawnQuestion(question, None))
    return drawn


def exam_length(exam: Exam) -> int:
    """Return how many questions an attempt asks (the lessons' questions, up to the count)."""
    return sum(min(len(loaded), exam.questions_per_lesson) for loaded in chapter_questions(exam))
