"""What learners and instructors do with questions: get a variant, answer, re-check.

:func:`record_attempt` is what every interface calls to answer (the web form and the
REST API): it finds the learner's variant, snapshots the question in their
language, grades with :func:`quizzes.grading.grade` and, for a logged-in learner,
stores the attempt and, when it is correct, refreshes the lesson's completion in the
same transaction (``course.services.refresh_lesson_completion``). Anonymous learners get
the same feedback and nothing is stored.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from config import sql
from course.services import lock_learner, refresh_lesson_completion
from simulations.engine.core import ENGINE_VERSION

from . import grading, variants
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


@dataclasses.dataclass(frozen=True)
class AttemptResult:
    outcome: grading.Outcome
    snapshot: grading.QuestionSnapshot
    variant: LearnerVariant | None = None
    attempt: Attempt | None = None
    tries_used: int = 0
    tries_left: int | None = None  # None: unlimited
    solved: bool = False
    repeated: bool = False  # the same wrong answer again: not another try
    replayed: bool = False  # the attempt of an earlier request with the same key


def learner_key(user: Any) -> str:
    return f"user:{user.pk}" if user is not None and user.is_authenticated else ANONYMOUS_LEARNER


def _choices(question: Question, choices: Sequence[Choice] | None) -> list[Choice]:
    return list(question.choices.all()) if choices is None else list(choices)


def simulation_spec(question: Question, choices: Sequence[Choice] | None = None
                    ) -> variants.SimulationSpec | None:
    if not question.simulation:
        return None
    rules = tuple(
        variants.ChoiceRule(choice.id, choice.predicate or question.choice_predicate,
                            choice.params or {})
        for choice in _choices(question, choices)
        if choice.judged_by_simulation
    )
    return variants.SimulationSpec(
        simulation=question.simulation,
        fixed=question.fixed_params or {},
        vary=question.varied_params or {},
        quantity=question.quantity if question.kind == Question.Kind.NUMERIC else "",
        choice_rules=rules,
    )


def compute_cached(spec: variants.SimulationSpec, seed: int) -> LearnerVariant:
    """Compute a variant's answer, once per (question spec, seed, engine version)."""
    key = f"quizzes:variant:{ENGINE_VERSION}:{spec.fingerprint()}:{seed}"
    data = cache.get(key)
    if data is None:
        data = variants.compute_variant(spec, seed).answer.to_dict()
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
    seed = variants.variant_seed(question.stable_key, learner_key(user))
    if user is None or not user.is_authenticated:
        return compute_cached(spec, seed)
    row = Variant.objects.filter(question=question, user=user).first() \
        if stored is _UNREAD else stored
    fingerprint = spec.fingerprint()
    if row is None or row.engine_version != ENGINE_VERSION or row.fingerprint != fingerprint:
        computed = compute_cached(spec, seed)
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
            seed = variants.variant_seed(question.stable_key, learner_key(user))
            computed = compute_cached(spec, seed)
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


def lab_url(question: Question, variant: LearnerVariant | None) -> str:
    """Return the lab page that runs exactly this variant (its parameters and seed)."""
    if variant is None:
        return ""
    try:
        url = reverse("simulations:detail", kwargs={"slug": question.simulation})
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({**variant.answer.params, 'seed': variant.answer.seed})}"


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
            report["flagged"] += _replace(row, compute_cached(spec, row.seed))
            report["recomputed"] += 1
    return report


def question_snapshot(*, question: Question, language: str, variant: LearnerVariant | None,
                      choices: Sequence[Choice] | None = None) -> grading.QuestionSnapshot:
    """Return the question as the learner sees it: texts in ``language``, values filled in."""
    params = variant.answer.params if variant else {}

    def fill(text: str) -> str:
        return variants.render_prompt(text or "", params, language)

    def own(field: str) -> str:  # no fallback: an empty text means the built-in sentence
        return fill(getattr(question, build_localized_fieldname(field, language), "") or "")

    with translation.override(language):
        choice_snapshots = tuple(
            grading.ChoiceSnapshot(id=c.id, text=fill(c.text), is_correct=c.is_correct,
                                   feedback=fill(c.feedback), by_simulation=c.judged_by_simulation)
            for c in _choices(question, choices)
        )
        return grading.QuestionSnapshot(
            id=question.id, kind=question.kind, language=language,
            prompt=fill(question.prompt), explanation=fill(question.explanation),
            feedback_correct=own("feedback_correct"), feedback_wrong=own("feedback_wrong"),
            choices=choice_snapshots, answer=question.answer, rtol=question.rtol,
            atol=question.atol, log_scale=question.log_scale,
            partial_credit=question.partial_credit,
            explanation_after_tries=question.explanation_after_tries,
            solution_policy=question.solution_policy,
            solution_after_tries=question.solution_after_tries,
        )


def _stored_outcome(data: dict) -> grading.Outcome:
    data = {**data, "choice_feedback": tuple(tuple(pair) for pair in data["choice_feedback"])}
    return grading.Outcome(**data)


@dataclasses.dataclass(frozen=True)
class _History:
    """The learner's tries at a question, and their attempt sent with the same key."""

    tries: list[tuple[bool, Any, int | None]]  # (correct, answer, variant id) of each
    earlier: int | None = None  # the id of the attempt recorded with the request's key

    @property
    def used(self) -> int:
        return len(self.tries)

    @property
    def solved(self) -> bool:
        # A correct answer always counted as a try (the first one solves the question;
        # a repeated answer is a wrong one).
        return any(correct for correct, _answer, _variant in self.tries)


HISTORY_FIELDS = ("id", "question", "counts_as_try", "idempotency_key", "is_correct",
                  "answer", "variant")


@functools.cache
def _history_sql(with_key: bool, _vendor: str) -> str:
    table, *columns = sql.quoted(Attempt, *HISTORY_FIELDS, "user")
    pk, question, counts, key, *_rest, user = columns
    tries = f"{question} = %s AND {counts}"
    where = f"({tries} OR {key} = %s)" if with_key else tries
    # Names from the model's _meta; every value is a parameter.
    return f"SELECT {', '.join(columns[:-1])} FROM {table} WHERE {user} = %s AND {where}"  # noqa: S608


def _history(question: Question, user: Any, idempotency_key: str = "") -> _History:
    """Return the learner's tries at the question and the attempt recorded with the key.

    One query for both, as SQL (config/sql.py: every answer reads them), and only the
    columns needed, not the snapshots: a learner's history can be long.
    """
    params = [user.pk, question.pk, *([idempotency_key] if idempotency_key else [])]
    rows = sql.select(Attempt, _history_sql(bool(idempotency_key), connection.vendor), params,
                      HISTORY_FIELDS)
    counted, earlier = [], None
    for pk, question_id, counts, key, correct, answer, variant_id in rows:
        if idempotency_key and key == idempotency_key:
            earlier = pk
        if question_id == question.pk and counts:
            counted.append((correct, answer, variant_id))
    return _History(counted, earlier)


def _tries_left(question: Question, used: int) -> int | None:
    return None if question.max_tries is None else max(0, question.max_tries - used)


def record_attempt(
    *,
    question: Question,
    user: Any,
    answer: Any,
    language: str,
    answer_text: str = "",
    idempotency_key: str = "",
    shown_token: str | None = None,
    answered_at: datetime | None = None,
) -> AttemptResult:
    """Grade a learner's answer and, for a logged-in learner, store it with a snapshot.

    ``answer`` is choice ids or a number (or the text typed); ``shown_token`` is the
    :attr:`LearnerVariant.token` of the variant the learner was shown, when known: if the
    question changed since, the answer is not graded. A format error, a repeated wrong
    answer and answers after a correct one do not count as tries; once ``max_tries`` are
    used up nothing more is graded. The same ``idempotency_key`` returns the first result.
    ``answered_at`` is when the learner answered, if earlier than now (an answer given
    offline): it is stored, and the answer is graded now, as any other.
    """
    authenticated = user is not None and user.is_authenticated
    # In the caller's transaction if there is one (the API stores its response in it).
    with transaction.atomic(savepoint=False):
        if authenticated:
            lock_learner(user)  # one answer at a time per learner: tries counted exactly
            history = _history(question, user, idempotency_key)
            if history.earlier is not None:
                return _replay(question, Attempt.objects.get(pk=history.earlier), history)
        choices = list(question.choices.all())
        variant = learner_variant(question=question, user=user, choices=choices)
        snapshot = question_snapshot(question=question, language=language, variant=variant,
                                     choices=choices)
        variant_answer = variant.answer if variant else None
        if shown_token is not None and variant is not None and shown_token != variant.token:
            outcome = grading.Outcome(False, 0.0, format_error="changed",
                                      format_error_message=grading.text(language, "changed"))
            return AttemptResult(outcome, snapshot, variant)
        if not authenticated:
            return AttemptResult(grading.grade(snapshot, variant_answer, answer), snapshot, variant)
        used, solved = history.used, history.solved
        if not solved and question.max_tries is not None and used >= question.max_tries:
            outcome = grading.locked(snapshot, variant_answer, tries=used)
            return AttemptResult(outcome, snapshot, variant, tries_used=used, tries_left=0)
        try:
            normalized = grading.normalize_answer(snapshot, answer)
        except grading.FormatError:
            outcome = grading.grade(snapshot, variant_answer, answer)
            return AttemptResult(outcome, snapshot, variant, tries_used=used,
                                 tries_left=_tries_left(question, used), solved=solved)
        stored_answer = json.loads(json.dumps(normalized))
        wrong = [(answer, row) for correct, answer, row in history.tries if not correct]
        repeated = not solved and (stored_answer, _row_id(variant)) in wrong
        outcome = grading.grade(snapshot, variant_answer, answer,
                                wrong_tries_before=len(wrong) - repeated)
        counts = not solved and not repeated
        attempt = Attempt(
            question=question, user=user, variant=variant.row if variant else None,
            answer=stored_answer, answer_text=str(answer_text or "")[:100],
            is_correct=outcome.correct, score=outcome.score, counts_as_try=counts,
            language=language, idempotency_key=idempotency_key, answered_at=answered_at,
            snapshot={"question": snapshot.to_dict(),
                      "variant": variant_answer.to_dict() if variant_answer else None,
                      "fingerprint": variant.fingerprint if variant else "",
                      "outcome": outcome.to_dict()},
        )
        sql.insert(attempt)  # as attempt.save() would, without the query compiler
        if outcome.correct:  # the lesson may now be completed (and the course certified)
            refresh_lesson_completion(user=user, lesson=question.lesson)
        used += counts
        return AttemptResult(outcome, snapshot, variant, attempt, tries_used=used,
                             tries_left=_tries_left(question, used),
                             solved=solved or outcome.correct, repeated=repeated)


def _row_id(variant: LearnerVariant | None) -> int | None:
    return variant.row.pk if variant and variant.row else None


def _replay(question: Question, attempt: Attempt, history: _History) -> AttemptResult:
    """Return the result of an attempt already stored (a retried request)."""
    snapshot = grading.QuestionSnapshot.from_dict(attempt.snapshot["question"])
    return AttemptResult(_stored_outcome(attempt.snapshot["outcome"]), snapshot, None, attempt,
                         tries_used=history.used,
                         tries_left=_tries_left(question, history.used),
                         solved=history.solved, replayed=True)
