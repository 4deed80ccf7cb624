"""Formulas over a simulation's result: what instructors may write, and what is refused."""

import pytest

from quizzes.expressions import (
    ExpressionError,
    MissingValue,
    evaluate,
    evaluate_condition,
    evaluate_number,
    names,
)

RESULT = {
    "grad_ratio_first_to_last": 0.5,
    "hidden_grad_norms": [1e-6, 1e-3, 1.0],
    "activation_stds": [0.5, None],
    "params": {"depth": 3, "activation": "relu"},
    "loss": None,
}


@pytest.mark.parametrize(("formula", "value"), [
    ("grad_ratio_first_to_last", 0.5),
    ("hidden_grad_norms[0] / hidden_grad_norms[-1]", 1e-6),
    ("params.depth * 2", 6),
    ("log10(hidden_grad_norms[1])", -3),
    ("max(hidden_grad_norms)", 1.0),
    ("min(0.2, grad_ratio_first_to_last)", 0.2),
    ("mean([1, 2, 3])", 2),
    ("len(hidden_grad_norms)", 3),
    ("last(hidden_grad_norms)", 1.0),
    ("2 ** 10 % 1000", 24),
    ("-hidden_grad_norms[-1]", -1.0),
])
def test_formulas_read_the_result(formula, value):
    assert evaluate(formula, RESULT) == pytest.approx(value)


@pytest.mark.parametrize(("condition", "holds"), [
    ("0.1 <= grad_ratio_first_to_last <= 10", True),
    ("0.6 <= grad_ratio_first_to_last <= 10", False),
    ("params.activation in ['relu', 'leaky_relu']", True),
    ("loss is None", True),
    ("not grad_ratio_first_to_last > 1 and params.depth == 3", True),
])
def test_conditions_for_choices(condition, holds):
    assert evaluate_condition(condition, RESULT) is holds


def test_a_missing_value_makes_a_condition_false_and_a_number_none():
    assert evaluate_condition("activation_stds[-1] > 0", RESULT) is False
    assert evaluate_number("activation_stds[1] / 2", RESULT) is None
    assert evaluate_number("1 / 0", RESULT) is None
    with pytest.raises(MissingValue):
        evaluate("mean(activation_stds)", RESULT)


def test_declared_quantities_are_names_too():
    quantities = {"ratio": "hidden_grad_norms[0] / hidden_grad_norms[-1]"}
    assert evaluate("ratio * 1e6", RESULT, quantities) == pytest.approx(1.0)


@pytest.mark.parametrize("formula", [
    "__import__('os')", "grad_ratio_first_to_last.__class__", "(lambda: 1)()",
    "[x for x in hidden_grad_norms]", "open('/etc/passwd')", "a if b else c",
    "params.depth.real", "", "x" * 400, "1 +",
])
def test_anything_but_a_formula_is_refused(formula):
    with pytest.raises(ExpressionError):
        evaluate(formula, RESULT)


@pytest.mark.parametrize(("formula", "hint"), [
    ("nope", "unknown name 'nope'"),
    ("params.width", "no key 'width'"),
    ("hidden_grad_norms[5]", "outside a list of 3"),
    ("'a' * 3", "expected a number"),
    ("grad_ratio_first_to_last > 1 + 'x'", "expected a number"),
])
def test_errors_say_what_is_wrong(formula, hint):
    with pytest.raises(ExpressionError, match=hint.replace("[", r"\[")):
        evaluate(formula, RESULT)


def test_a_condition_must_be_a_comparison():
    with pytest.raises(ExpressionError, match="true or false"):
        evaluate_condition("grad_ratio_first_to_last", RESULT)


def test_huge_powers_do_not_hang():
    assert evaluate_number("10.0 ** 400", RESULT) is None


def test_names_lists_what_a_formula_reads():
    assert names("log10(a[0]) + b.c") == {"a", "b"}
