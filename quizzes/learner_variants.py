"""Each learner's variant of a question checked by simulation, and its computed answer.

A variant is drawn from a seed of learner and question (:mod:`quizzes.variants`); for a
logged-in learner it is stored (:class:`~quizzes.models.Variant`: the parameters, the
seed, the engine version and the computed answer), and recomputed when the engine or the
question changes, keeping the old answer in its history and flagging the attempts that
would now be graded differently. Anonymous learners all get the same variant, computed
once and cached.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ops.metrics import CacheName, count_cache_lookup
from simulations.engine.core import ENGINE_VERSION

from . import grading, variants
from .learner_state import MEASURE, LearnerView
from .models import Attempt, Choice, Question, Variant

ANONYMOUS_LEARNER = "anonymous"
logger = logging.getLogger(__name__)
CACHE_SECONDS = 24 * 3600


@dataclasses.dataclass(frozen=True)
class LearnerVariant:
    answer: grading.VariantAnswer
    fingerprint: str
    row: Variant | None = None  # stored for logged-in learners

    @property
    def token(self) -> str:
        """Return a short hash of what the learner was shown (never the answer)."""
        shown = json.dumps([self.fingerprint, self.answer.seed, dict(self.answer.params)],
                           sort_keys=True, default=str)
        return hashlib.sha256(shown.encode()).hexdigest()[:16]


def learner_key(user: Any) -> str:
    return f"user:{user.pk}" if user is not None and user.is_authenticated else ANONYMOUS_LEARNER


def choices_of(question: Question, choices: Sequence[Choice] | None) -> list[Choice]:
    """Return ``choices`` (the question's, read already) or read the question's."""
    return list(question.choices.all()) if choices is None else list(choices)


def simulation_spec(question: Question, choices: Sequence[Choice] | None = None
                    ) -> variants.SimulationSpec | None:
    if not question.simulation:
        return None
    rules = tuple(
        variants.ChoiceRule(choice.id, choice.predicate or question.choice_predicate,
                            choice.params or {})
        for choice in choices_of(question, choices)
        if choice.judged_by_simulation
    )
    return variants.SimulationSpec(
        simulation=question.simulation,
        fixed=question.fixed_params or {},
        vary=question.varied_params or {},
        quantity=question.quantity if question.kind == Question.Kind.NUMERIC else "",
        choice_rules=rules,
        margin=question.margin if rules else 0.0,
    )


def served_cached(spec: variants.SimulationSpec, question_key: str,
                  learner: str) -> LearnerVariant:
    """Return the learner's served variant (the first clear draw), computed once."""
    digest = hashlib.sha256(f"{question_key}\x00{learner}".encode()).hexdigest()[:24]
    key = f"quizzes:served:{ENGINE_VERSION}:{spec.fingerprint()}:{digest}"
    data = cache.get(key)
    count_cache_lookup(CacheName.SERVED_VARIANT, hit=data is not None)
    if data is None:
        data = variants.served_variant(spec, question_key, learner).answer.to_dict()
        cache.set(key, data, CACHE_SECONDS)
    data = {**data, "correct_choices": tuple(data["correct_choices"])}
    return LearnerVariant(grading.VariantAnswer(**data), spec.fingerprint())


def _store(row: Variant, computed: LearnerVariant) -> None:
    answer = computed.answer
    row.seed, row.params, row.engine_version = answer.seed, dict(answer.params), ENGINE_VERSION
    row.fingerprint, row.value = computed.fingerprint, answer.value
    row.correct_choices = list(answer.correct_choices)


def _replace(row: Variant, computed: LearnerVariant) -> int:
    """Recompute a stale variant, keep the old answer in its history, flag regraded attempts.

    Only an engine change with the same question re-grades: after an instructor's edit the
    old attempts answered a different variant and stay as they were. Return the number of
    attempts flagged for review.
    """
    engine_only = row.fingerprint == computed.fingerprint
    row.history = [*row.history, {
        "engine_version": row.engine_version, "fingerprint": row.fingerprint,
        "params": row.params, "value": row.value, "correct_choices": row.correct_choices,
        "replaced_at": timezone.now().isoformat(),
    }]
    _store(row, computed)
    row.save()
    if not engine_only:
        return 0
    flagged = [
        attempt.pk
        for attempt in row.attempts.filter(needs_review=False)
        if grading.grade(grading.QuestionSnapshot.from_dict(attempt.snapshot["question"]),
                         computed.answer, attempt.answer).correct != attempt.is_correct
    ]
    return Attempt.objects.filter(pk__in=flagged).update(needs_review=True)


_UNREAD = object()


def learner_variant(*, question: Question, user: Any, choices: Sequence[Choice] | None = None,
                    stored: Variant | None | object = _UNREAD) -> LearnerVariant | None:
    """Return the learner's variant; store it (or refresh a stale one) for a logged-in learner.

    ``stored`` is the learner's Variant row (or None) when the caller already read it.
    """
    spec = simulation_spec(question, choices)
    if spec is None:
        return None
    if user is None or not user.is_authenticated:
        return served_cached(spec, question.stable_key, learner_key(user))
    row = Variant.objects.filter(question=question, user=user).first() \
        if stored is _UNREAD else stored
    fingerprint = spec.fingerprint()
    if row is None or row.engine_version != ENGINE_VERSION or row.fingerprint != fingerprint:
        computed = served_cached(spec, question.stable_key, learner_key(user))
        if row is None:
            row = Variant(question=question, user=user)
            _store(row, computed)
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:  # the same learner's other request stored it first
                row = Variant.objects.get(question=question, user=user)
        else:
            _replace(row, computed)
    return LearnerVariant(row.as_answer(), row.fingerprint, row)


def learner_variants(
    *, user: Any, questions: Sequence[tuple[Question, Sequence[Choice]]]
) -> dict[int, LearnerVariant | None]:
    """Return the learner's variant of each question, as :func:`learner_variant` would.

    For a page of questions at once: the stored variants are read in one query and the
    missing ones stored in one more, so the number of queries does not grow with the
    number of questions. A question without a simulation maps to None; one whose
    simulation the engine refuses (KeyError, ValueError) is left out, and logged.
    """
    specs: dict[int, variants.SimulationSpec | None] = {
        question.pk: simulation_spec(question, choices) for question, choices in questions}
    found: dict[int, LearnerVariant | None] = {pk: None for pk, spec in specs.items()
                                               if spec is None}
    simulated = [question for question, _choices in questions if specs[question.pk]]
    if not simulated:
        return found
    authenticated = user is not None and user.is_authenticated
    stored = {row.question_id: row for row in Variant.objects.filter(
        user=user, question__in=simulated)} if authenticated else {}
    new_rows = []
    for question in simulated:
        spec = specs[question.pk]
        row = stored.get(question.pk)
        try:
            if row is not None and row.engine_version == ENGINE_VERSION \
                    and row.fingerprint == spec.fingerprint():
                found[question.pk] = LearnerVariant(row.as_answer(), row.fingerprint, row)
                continue
            computed = served_cached(spec, question.stable_key, learner_key(user))
        except (KeyError, ValueError):
            logger.exception("Variant of %s cannot be computed", question.stable_key)
            continue
        if row is not None:  # stale: another engine version or an edited question
            _replace(row, computed)
            computed = LearnerVariant(row.as_answer(), row.fingerprint, row)
        elif authenticated:
            row = Variant(question=question, user=user)
            _store(row, computed)
            new_rows.append(row)
        found[question.pk] = computed
    # A concurrent request of the same learner may store the same rows first: theirs
    # hold the same values (a variant is a function of question, learner and engine).
    Variant.objects.bulk_create(new_rows, ignore_conflicts=True)
    return found


def lab_url(question: Question, variant: LearnerVariant | None,
            state: LearnerView | None = None) -> str:
    """Return the lab page for this variant's configuration.

    A "measure" question (and an instructor's preview: no ``state``) gets the exact run,
    its parameters and seed. A "predict" question gets a practice configuration until the
    learner has solved it or spent its tries, so the lab, which computes what the grader
    computes, cannot be read for the key (see :func:`practice_params`).
    """
    if variant is None:
        return ""
    try:
        url = reverse("simulations:detail", kwargs={"slug": question.simulation})
    except NoReverseMatch:
        return ""
    params, seed = variant.answer.params, variant.answer.seed
    if question.lab_mode != MEASURE and state is not None and not state.exact_lab_due:
        params, seed = practice_params(question, params, seed), practice_seed(question, seed)
    return f"{url}?{urlencode({**params, 'seed': seed})}"


def practice_seed(question: Question, seed: int) -> int:
    """Return a seed for the lab that is not the graded one (but stable for the learner)."""
    other = variants.variant_seed(question.stable_key, f"lab\x00{seed}")
    return other if other != seed else (seed + 1) % 2**32


def practice_params(question: Question, params: Mapping[str, Any], seed: int
                    ) -> dict[str, Any]:
    """Return the learner's parameters with the varied ones drawn again, differently.

    Another seed alone does not hide the key: a quantity that hardly depends on the seed
    (a gradient ratio, a loss after one step) or not at all (a derivative at a point)
    reads off the practice run as well as off the graded one. So the practice run also
    gets other values of the parameters the question varies (stable for the learner),
    which the learner can set back by hand in the lab: the link invites a check, it does
    not hand over the answer.
    """
    vary = question.varied_params or {}
    if not vary:
        return dict(params)
    kinds = variants.param_kinds(variants.get_simulation(question.simulation))
    drawn: dict[str, Any] = {}
    for attempt in range(variants.MAX_DRAWS):
        drawn = variants.draw_params(vary, practice_seed(question, seed + attempt), kinds)
        if any(drawn[name] != params.get(name) for name in drawn):
            break
    return {**params, **drawn}


def refresh_variants(*, questions: Sequence[Question] | None = None) -> dict[str, int]:
    """Recompute every stored variant made by another engine version (or question spec)."""
    report = {"checked": 0, "recomputed": 0, "flagged": 0}
    rows = Variant.objects.select_related("question__lesson__course")
    if questions is not None:
        rows = rows.filter(question__in=questions)
    for row in rows.iterator():
        report["checked"] += 1
        spec = simulation_spec(row.question)
        if spec is None:
            continue
        if row.engine_version != ENGINE_VERSION or row.fingerprint != spec.fingerprint():
            served = served_cached(spec, row.question.stable_key, f"user:{row.user_id}")
            report["flagged"] += _replace(row, served)
            report["recomputed"] += 1
    return report
