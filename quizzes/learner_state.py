"""What a learner may see of a question now: the one rule every interface asks.

Pure Python (no Django), like :mod:`quizzes.grading`, which asks it too when it grades.
The web lesson page, the API's questions and attempt responses and the offline package
all show what :func:`question_view_state` decides, so they cannot disagree:

- *tries left*: ``max_tries`` minus the tries used (None: unlimited);
- *can answer*: solved, or tries left (the form stays for a solved question: answers
  after a correct one are graded but do not count);
- *explanation due*: once solved, or after ``explanation_after_tries`` wrong tries;
- *solution due* (the correct answer, and every option's correctness and feedback):
  never with the ``never`` policy; otherwise once solved, or, with ``after_tries``,
  after ``solution_after_tries`` tries.

A question solved earlier keeps its explanation and solution due after a reload, and
after a later wrong answer: the learner has earned them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

NEVER, AFTER_CORRECT, AFTER_TRIES = "never", "after_correct", "after_tries"
PREDICT, MEASURE = "predict", "measure"  # what a question's lab link may show
CORRECT, WRONG = "correct", "wrong"  # the outcome of the answer just graded, if any


@dataclasses.dataclass(frozen=True)
class Policy:
    """What a question sets: how many tries, and when the explanation and solution show."""

    max_tries: int | None = None  # None: unlimited
    explanation_after_tries: int | None = None  # None: only once solved
    solution_policy: str = AFTER_CORRECT
    solution_after_tries: int | None = None  # N of AFTER_TRIES


def policy_of(question: Any, *, max_tries: int | None = None) -> Policy:
    """Return the policy of a question, or of its snapshot (which carries no ``max_tries``)."""
    return Policy(
        max_tries=getattr(question, "max_tries", max_tries),
        explanation_after_tries=question.explanation_after_tries,
        solution_policy=question.solution_policy,
        solution_after_tries=question.solution_after_tries,
    )


@dataclasses.dataclass(frozen=True)
class LearnerView:
    """Where the learner is with a question, and what is due to be shown to them."""

    tries_used: int
    tries_left: int | None  # None: unlimited
    max_tries: int | None
    solved: bool
    can_answer: bool  # False once the tries are used up without a correct answer
    explanation_due: bool
    solution_due: bool  # also every option's correctness and feedback
    last_outcome: str | None  # CORRECT, WRONG, or None: nothing graded now (a reload)

    @property
    def answered(self) -> bool:
        return self.tries_used > 0

    @property
    def tells_tries_left(self) -> bool:
        """Say how many tries are left: only while they count (answered, not yet solved)."""
        return self.tries_left is not None and self.answered and not self.solved

    @property
    def exact_lab_due(self) -> bool:
        """Let a "predict" question's lab link run the learner's own variant: once solved
        or out of tries, reading the key off the lab gains nothing."""
        return self.solved or not self.can_answer

    @property
    def choices_revealed(self) -> bool:
        """Show which options are correct, and every option's feedback, with the solution."""
        return self.solution_due


def question_view_state(policy: Policy, tries: int, solved: bool,
                        last_outcome: str | None = None) -> LearnerView:
    """Decide what the learner may see, from the question's policy and their tries.

    ``tries`` counts the answers that counted as tries (a correct one included: it is
    the last that counts); ``last_outcome`` is the outcome of the answer graded now.
    """
    limit = policy.max_tries
    tries_left = None if limit is None else max(0, limit - tries)
    wrong_tries = tries - (1 if solved else 0)
    after = policy.explanation_after_tries
    solution_after = policy.solution_after_tries
    solution_due = policy.solution_policy != NEVER and (solved or (
        policy.solution_policy == AFTER_TRIES and solution_after is not None
        and tries >= solution_after))
    return LearnerView(
        tries_used=tries,
        tries_left=tries_left,
        max_tries=limit,
        solved=solved,
        can_answer=solved or tries_left != 0,
        explanation_due=solved or (after is not None and wrong_tries >= after),
        solution_due=solution_due,
        last_outcome=last_outcome,
    )
