"""Answering a question: grade the learner's answer and record it, once.

:func:`record_attempt` is what every interface calls to answer (the web form and the
REST API): it finds the learner's variant (:mod:`quizzes.learner_variants`), snapshots
the question in their language, grades with :func:`quizzes.grading.grade` and, for a
logged-in learner, stores the attempt and calls :data:`ATTEMPT_RECORDED_HOOKS` in the
same transaction (the progress app refreshes the lesson's completion there).
Anonymous learners get the same feedback and nothing is stored.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from accounts.services import lock_learner
from storage import sql

from . import grading, learner_state, variants
from .learner_state import LearnerView
from .learner_variants import LearnerVariant, choices_of, learner_variant
from .models import Attempt, Choice, Question
from .snapshot_memo import SnapshotMemo

# Apps above quizzes (progress) act on a stored attempt through these hooks, called with
# it inside the answer's transaction and under the learner's lock, so that what they
# write is rolled back with the answer; quizzes imports none of them. Registered in their
# AppConfig.ready, as course.importer.LESSON_HOOKS are.
ATTEMPT_RECORDED_HOOKS: list[Callable[[Attempt], None]] = []


@dataclasses.dataclass(frozen=True)
class AttemptResult:
    outcome: grading.Outcome
    snapshot: grading.QuestionSnapshot
    variant: LearnerVariant | None = None
    attempt: Attempt | None = None
    state: LearnerView | None = None  # the learner's, after this answer; None: anonymous
    repeated: bool = False  # the same wrong answer again: not another try
    replayed: bool = False  # the attempt of an earlier request with the same key

    @property
    def tries_used(self) -> int:
        return self.state.tries_used if self.state else 0

    @property
    def tries_left(self) -> int | None:
        """None: unlimited (or an anonymous learner, whose tries are not counted)."""
        return self.state.tries_left if self.state else None

    @property
    def solved(self) -> bool:
        return self.state.solved if self.state else False


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
            for c in choices_of(question, choices)
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

    One query for both, as SQL (storage/sql.py: every answer reads them), and only the
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


def _state(question: Question, history: _History, outcome: grading.Outcome | None = None,
           counts: bool = False) -> LearnerView:
    """Return the learner's state after ``outcome`` (None: nothing graded), by the one rule."""
    last = None if outcome is None else (learner_state.CORRECT if outcome.correct
                                         else learner_state.WRONG)
    return learner_state.question_view_state(
        learner_state.policy_of(question), tries=history.used + counts,
        solved=history.solved or bool(outcome and outcome.correct), last_outcome=last)


@dataclasses.dataclass(frozen=True)
class _Shown:
    """The question as the learner is answering it: their variant, in their language."""

    snapshot: grading.QuestionSnapshot
    variant: LearnerVariant | None
    made_dict: dict | None = None  # the snapshot's dict, if made already (SnapshotMemo)

    @property
    def snapshot_dict(self) -> dict:
        """Return the snapshot as stored with an attempt."""
        return self.made_dict if self.made_dict is not None else self.snapshot.to_dict()

    @property
    def answer(self) -> grading.VariantAnswer | None:
        return self.variant.answer if self.variant else None

    def result(self, outcome: grading.Outcome, **values: Any) -> AttemptResult:
        return AttemptResult(outcome, self.snapshot, self.variant, **values)


def _show(question: Question, user: Any, language: str,
          memo: SnapshotMemo | None = None) -> _Shown:
    choices = list(question.choices.all())
    variant = learner_variant(question=question, user=user, choices=choices)

    def make() -> grading.QuestionSnapshot:
        return question_snapshot(question=question, language=language, variant=variant,
                                 choices=choices)

    if memo is None:
        return _Shown(make(), variant)
    snapshot, stored = memo.get(language, variant, make)
    return _Shown(snapshot, variant, stored)


def _changed(shown: _Shown, shown_token: str | None, language: str) -> grading.Outcome | None:
    """Return a format error if the learner answered a variant other than the current one."""
    variant = shown.variant
    if shown_token is None or variant is None or shown_token == variant.token:
        return None
    return grading.Outcome(False, 0.0, format_error="changed",
                           format_error_message=grading.text(language, "changed"))


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
    snapshots: SnapshotMemo | None = None,
) -> AttemptResult:
    """Grade a learner's answer and, for a logged-in learner, store it with a snapshot.

    ``answer`` is choice ids or a number (or the text typed); ``shown_token`` is the
    :attr:`LearnerVariant.token` of the variant the learner was shown, when known: if the
    question changed since, the answer is not graded. A format error, a repeated wrong
    answer and answers after a correct one do not count as tries; once ``max_tries`` are
    used up nothing more is graded. The same ``idempotency_key`` returns the first result.
    ``answered_at`` is when the learner answered, if earlier than now (an answer given
    offline): it is stored, and the answer is graded now, as any other.
    ``snapshots`` keeps the question's snapshots when the caller reuses the question
    unchanged (see :class:`SnapshotMemo`).
    """
    authenticated = user is not None and user.is_authenticated
    # In the caller's transaction if there is one (the API stores its response in it).
    with transaction.atomic(savepoint=False):
        history = None
        if authenticated:
            lock_learner(user)  # one answer at a time per learner: tries counted exactly
            history = _history(question, user, idempotency_key)
            if history.earlier is not None:
                return _replay(question, Attempt.objects.get(pk=history.earlier), history)
        shown = _show(question, user, language, snapshots)
        state = None if history is None else _state(question, history)
        changed = _changed(shown, shown_token, language)
        if changed is not None:
            return shown.result(changed, state=state)
        if history is None or state is None:  # anonymous: graded, nothing stored
            return shown.result(grading.grade(shown.snapshot, shown.answer, answer))
        if not state.can_answer:
            locked = grading.locked(shown.snapshot, shown.answer, tries=state.tries_used)
            return shown.result(locked, state=state)
        return _grade_and_store(question, user, shown, history, answer, language=language,
                                answer_text=answer_text, idempotency_key=idempotency_key,
                                answered_at=answered_at)


def _grade_and_store(question: Question, user: Any, shown: _Shown, history: _History,
                     answer: Any, **stored: Any) -> AttemptResult:
    """Grade a logged-in learner's answer and store it (unless it cannot be read)."""
    try:
        normalized = grading.normalize_answer(shown.snapshot, answer)
    except grading.FormatError:
        return shown.result(grading.grade(shown.snapshot, shown.answer, answer),
                            state=_state(question, history))
    stored_answer = json.loads(json.dumps(normalized))
    wrong = [(answer, row) for correct, answer, row in history.tries if not correct]
    repeated = not history.solved and (stored_answer, _row_id(shown.variant)) in wrong
    outcome = grading.grade(shown.snapshot, shown.answer, answer, solved_before=history.solved,
                            wrong_tries_before=len(wrong) - repeated)
    counts = not history.solved and not repeated
    attempt = _attempt(question, user, shown, outcome, stored_answer, counts, **stored)
    sql.insert(attempt)  # as attempt.save() would, without the query compiler
    for hook in ATTEMPT_RECORDED_HOOKS:  # a correct answer may complete the lesson
        hook(attempt)
    return shown.result(outcome, attempt=attempt, repeated=repeated,
                        state=_state(question, history, outcome, counts))


def _attempt(question: Question, user: Any, shown: _Shown, outcome: grading.Outcome,
             stored_answer: Any, counts: bool, *, language: str, answer_text: str,
             idempotency_key: str, answered_at: datetime | None) -> Attempt:
    """Return the attempt to store, with the snapshot of what was graded (not saved)."""
    variant, variant_answer = shown.variant, shown.answer
    return Attempt(
        question=question, user=user, variant=variant.row if variant else None,
        answer=stored_answer, answer_text=str(answer_text or "")[:100],
        is_correct=outcome.correct, score=outcome.score, counts_as_try=counts,
        language=language, idempotency_key=idempotency_key, answered_at=answered_at,
        snapshot={"question": shown.snapshot_dict,
                  "variant": variant_answer.to_dict() if variant_answer else None,
                  "fingerprint": variant.fingerprint if variant else "",
                  "outcome": outcome.to_dict()},
    )


def _row_id(variant: LearnerVariant | None) -> int | None:
    return variant.row.pk if variant and variant.row else None


def _replay(question: Question, attempt: Attempt, history: _History) -> AttemptResult:
    """Return the result of an attempt already stored (a retried request)."""
    snapshot = grading.QuestionSnapshot.from_dict(attempt.snapshot["question"])
    return AttemptResult(_stored_outcome(attempt.snapshot["outcome"]), snapshot, None, attempt,
                         state=_state(question, history), replayed=True)
