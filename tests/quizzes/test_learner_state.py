"""The one learner-state rule: every policy × tries × solved × last outcome, without a database.

The expected values are written out from the rules as docs/authoring.md and the model's
help texts state them, not from the function's own code.
"""

import itertools

import pytest

from quizzes import grading
from quizzes.learner_state import (
    AFTER_CORRECT,
    AFTER_TRIES,
    CORRECT,
    NEVER,
    WRONG,
    Policy,
    policy_of,
    question_view_state,
)

LIMITS = (None, 0, 1, 2, 3)
POLICIES = [
    Policy(max_tries, explanation_after, solution_policy, solution_after)
    for max_tries, explanation_after, (solution_policy, solution_after) in itertools.product(
        LIMITS, (None, 1, 2, 3),
        [(NEVER, None), (AFTER_CORRECT, None), (AFTER_TRIES, 1), (AFTER_TRIES, 2),
         (AFTER_TRIES, 3), (AFTER_TRIES, None)],
    )
]
TRIES = range(6)
LAST_OUTCOMES = (None, CORRECT, WRONG)


def possible(policy, tries, solved, last):
    """Keep the states a learner can be in: a correct answer is a counted try, the last one."""
    if solved and tries == 0:
        return False
    if last == CORRECT and not solved:
        return False
    limit = policy.max_tries
    # No answer is graded once the tries are spent, so no more tries are counted.
    return limit is None or tries <= max(limit, 0)


STATES = [state for state in itertools.product(POLICIES, TRIES, (False, True), LAST_OUTCOMES)
          if possible(*state)]


def test_the_states_walked_are_many():
    assert len(STATES) > 1000


@pytest.mark.parametrize(("policy", "tries", "solved", "last"), STATES)
def test_every_state_follows_the_stated_rules(policy, tries, solved, last):
    view = question_view_state(policy, tries, solved, last)
    wrong_tries = tries - 1 if solved else tries

    # "maximum tries — Empty: unlimited"; a question locks once they are used up.
    if policy.max_tries is None:
        assert view.tries_left is None and view.can_answer
    else:
        assert view.tries_left == max(0, policy.max_tries - tries)
        assert view.can_answer == (solved or tries < policy.max_tries)
    # "explanation — Shown after a correct answer (or after N wrong tries)."
    after = policy.explanation_after_tries
    assert view.explanation_due == (solved or (after is not None and wrong_tries >= after))
    # "solution: never, after_correct or after_tries (a correct answer or N tries)".
    if policy.solution_policy == NEVER:
        assert not view.solution_due
    elif policy.solution_policy == AFTER_CORRECT:
        assert view.solution_due == solved
    else:
        limit = policy.solution_after_tries
        assert view.solution_due == (solved or (limit is not None and tries >= limit))
    # Options' correctness and feedback are part of the solution.
    assert view.choices_revealed == view.solution_due
    # Tries left are told while they count: answered and not yet solved.
    assert view.tells_tries_left == (policy.max_tries is not None and tries > 0
                                     and not solved)
    assert (view.tries_used, view.solved, view.answered, view.max_tries, view.last_outcome) == (
        tries, solved, tries > 0, policy.max_tries, last)


@pytest.mark.parametrize("policy", POLICIES)
def test_what_is_due_is_never_taken_back(policy):
    """Another try, or solving, never hides an explanation or a solution already shown."""
    for tries in range(5):
        for solved in (False, True):
            if solved and tries == 0:
                continue
            before = question_view_state(policy, tries, solved)
            later = [question_view_state(policy, tries + 1, solved)]
            if not solved:
                later.append(question_view_state(policy, tries + 1, True))
            for after in later:
                assert after.explanation_due >= before.explanation_due
                assert after.solution_due >= before.solution_due


def snapshot(policy: Policy) -> grading.QuestionSnapshot:
    return grading.QuestionSnapshot(
        id=1, kind=grading.NUMERIC, language="en", prompt="?", explanation="Because.",
        answer=0.05, rtol=0.01, explanation_after_tries=policy.explanation_after_tries,
        solution_policy=policy.solution_policy,
        solution_after_tries=policy.solution_after_tries,
    )


@pytest.mark.parametrize("policy", [p for p in POLICIES if p.max_tries is None])
@pytest.mark.parametrize("wrong_before", range(4))
@pytest.mark.parametrize(("answer", "solved_before"), [("1", False), ("0.05", False),
                                                       ("1", True)])
def test_grading_shows_what_the_rule_makes_due(policy, wrong_before, answer, solved_before):
    question = snapshot(policy)
    outcome = grading.grade(question, None, answer, wrong_tries_before=wrong_before,
                            solved_before=solved_before)
    view = question_view_state(policy, wrong_before + 1, outcome.correct or solved_before)
    assert bool(outcome.explanation) == view.explanation_due
    assert bool(outcome.solution) == view.solution_due


@pytest.mark.parametrize("policy", [p for p in POLICIES if p.max_tries])
def test_the_locked_notice_shows_what_the_rule_makes_due(policy):
    outcome = grading.locked(snapshot(policy), None, tries=policy.max_tries)
    view = question_view_state(policy, policy.max_tries, False)
    assert not view.can_answer
    assert bool(outcome.explanation) == view.explanation_due
    assert bool(outcome.solution) == view.solution_due


def test_a_snapshot_has_the_policy_of_its_question_but_no_limit_of_tries():
    question = snapshot(Policy(None, 2, AFTER_TRIES, 3))
    assert policy_of(question) == Policy(None, 2, AFTER_TRIES, 3)
    assert policy_of(question, max_tries=4).max_tries == 4
