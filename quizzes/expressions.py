"""Formulas over a simulation's result, as instructors write them: no code, no eval.

A formula names values of the result's ``to_dict()`` and combines them the way a
spreadsheet does::

    grad_ratio_first_to_last                      a key of the result
    hidden_grad_norms[0] / hidden_grad_norms[-1]  items of a list (from the end with -1)
    params.depth                                  a key inside a key
    0.1 <= grad_ratio_first_to_last <= 10         a condition (for a choice's predicate)
    log10(max(weight_grad_norms)) > 3 and loss is not None

Allowed: numbers, strings, lists; + - * / ** %; comparisons (chained), ``and``, ``or``,
``not``, ``is None``, ``in``; the functions of :data:`FUNCTIONS`. Anything else
(attributes of Python objects, imports, lambdas...) is refused when the formula is
parsed. A name that is not in the result may be a declared quantity (a named formula,
see a simulation's declared ``quantities``). A value the simulation reported as None
(inf or NaN) makes the formula's value missing: :class:`MissingValue`.

Pure Python, no Django.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

MAX_LENGTH = 300
MAX_DEPTH = 5  # quantities referring to quantities


class ExpressionError(ValueError):
    """A formula that cannot be parsed or evaluated; the message says why, in English."""


class MissingValue(ExpressionError):
    """The formula reached a value the simulation could not compute (inf or NaN)."""


def _numbers(values: Any) -> list[float]:
    if not isinstance(values, list | tuple):
        raise ExpressionError("expected a list of numbers")
    if any(value is None for value in values):
        raise MissingValue("the list has a missing value (inf or NaN)")
    return [_number(value) for value in values]


def _mean(values: Any) -> float:
    numbers = _numbers(values)
    if not numbers:
        raise ExpressionError("mean of an empty list")
    return math.fsum(numbers) / len(numbers)


def _log10(value: Any) -> float:
    number = _number(value)
    if number <= 0:
        raise MissingValue("log10 of a number that is not positive")
    return math.log10(number)


def _aggregate(function: Callable) -> Callable:
    def apply(*args: Any) -> float:
        values = _numbers(args[0]) if len(args) == 1 else [_number(a) for a in args]
        if not values:
            raise ExpressionError(f"{function.__name__} of an empty list")
        return function(values)

    return apply


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": lambda x: abs(_number(x)),
    "log10": _log10,
    "sqrt": lambda x: math.sqrt(_number(x)) if _number(x) >= 0 else _missing("sqrt"),
    "min": _aggregate(min),
    "max": _aggregate(max),
    "sum": lambda values: math.fsum(_numbers(values)),
    "mean": _mean,
    "len": lambda values: len(values) if isinstance(values, list | tuple | str) else _bad("len"),
    "first": lambda values: _index(values, 0),
    "last": lambda values: _index(values, -1),
}


def _missing(name: str):
    raise MissingValue(f"{name} of a negative number")


def _bad(name: str):
    raise ExpressionError(f"{name} needs a list")


_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.Mod: operator.mod,
}
_COMPARE = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_, ast.IsNot: operator.is_not,
}
_ALLOWED = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Attribute, ast.Subscript,
    ast.BinOp, ast.UnaryOp, ast.USub, ast.UAdd, ast.Not, ast.BoolOp, ast.And, ast.Or,
    ast.Compare, ast.Call, ast.List, ast.Tuple, *_BINARY, *_COMPARE,
)


def _number(value: Any) -> float:
    if value is None:
        raise MissingValue("a value is missing (the simulation gave inf or NaN)")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExpressionError(f"expected a number, got {type(value).__name__}")
    return float(value)


def _index(container: Any, key: Any) -> Any:
    if isinstance(container, Mapping):
        if key not in container:
            known = ", ".join(sorted(map(str, container)))
            raise ExpressionError(f"no key {key!r} (there are: {known})")
        return container[key]
    if isinstance(container, list | tuple):
        if isinstance(key, bool) or not isinstance(key, int):
            raise ExpressionError("a list is indexed by a whole number")
        if not -len(container) <= key < len(container):
            raise ExpressionError(f"index {key} is outside a list of {len(container)}")
        return container[key]
    raise ExpressionError(f"cannot index a {type(container).__name__}")


@lru_cache(maxsize=512)
def parse(expression: str) -> ast.Expression:
    """Parse a formula and check it uses only what is allowed; raise ExpressionError."""
    if not expression or not expression.strip():
        raise ExpressionError("the formula is empty")
    if len(expression) > MAX_LENGTH:
        raise ExpressionError(f"the formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"invalid formula: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"'{ast.unparse(node)}' is not allowed in a formula")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                known = ", ".join(FUNCTIONS)
                raise ExpressionError(f"unknown function (available: {known})")
            if node.keywords:
                raise ExpressionError("functions take no named arguments")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionError("names starting with '_' are not allowed")
    return tree


def names(expression: str) -> set[str]:
    """Return the top-level names a formula reads (for checking and for help texts)."""
    tree = parse(expression)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called}


class _Evaluator:
    def __init__(self, namespace: Mapping[str, Any], quantities: Mapping[str, str], depth: int):
        self.namespace = namespace
        self.quantities = quantities
        self.depth = depth

    def visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return self.visit(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.Attribute):
            return _index(self.visit(node.value), node.attr)
        if isinstance(node, ast.Subscript):
            return _index(self.visit(node.value), self.visit(node.slice))
        if isinstance(node, ast.List | ast.Tuple):
            return [self.visit(item) for item in node.elts]
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return not self.visit(node.operand)
            operand = self.visit(node.operand)
            value = operand if isinstance(operand, int) and not isinstance(operand, bool) \
                else _number(operand)  # ints stay ints: list[-1]
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            left, right = _number(self.visit(node.left)), _number(self.visit(node.right))
            try:
                value = _BINARY[type(node.op)](left, right)
            except (ZeroDivisionError, OverflowError):
                value = None
            if not isinstance(value, float | int):  # None or complex (a root of a negative)
                raise MissingValue(f"'{ast.unparse(node)}' has no real, finite value")
            return float(value)
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return all(self.visit(value) for value in node.values)
            return any(self.visit(value) for value in node.values)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            args = [self.visit(arg) for arg in node.args]
            try:
                return FUNCTIONS[node.func.id](*args)
            except TypeError:
                raise ExpressionError(f"wrong number of arguments to {node.func.id}") from None
        raise ExpressionError(f"'{ast.unparse(node)}' is not allowed")

    def compare(self, node: ast.Compare) -> bool:
        left = self.visit(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.visit(right_node)
            if isinstance(op, ast.Is | ast.IsNot):
                if right is not None:
                    raise ExpressionError("'is' only compares with None")
            elif not isinstance(op, ast.In | ast.NotIn) and (left is None or right is None):
                raise MissingValue("a compared value is missing (inf or NaN)")
            try:
                if not _COMPARE[type(op)](left, right):
                    return False
            except TypeError:
                raise ExpressionError("cannot compare these values") from None
            left = right
        return True

    def name(self, name: str) -> Any:
        if name in self.namespace:
            return self.namespace[name]
        if name in self.quantities:
            if self.depth >= MAX_DEPTH:
                raise ExpressionError("quantities refer to each other too deeply")
            return evaluate(self.quantities[name], self.namespace, self.quantities,
                            _depth=self.depth + 1)
        available = ", ".join(sorted([*self.namespace, *self.quantities]))
        raise ExpressionError(f"unknown name '{name}' (available: {available})")


def evaluate(
    expression: str,
    namespace: Mapping[str, Any],
    quantities: Mapping[str, str] | None = None,
    *,
    _depth: int = 0,
) -> Any:
    """Evaluate a formula over ``namespace`` (a result's ``to_dict()``)."""
    return _Evaluator(namespace, quantities or {}, _depth).visit(parse(expression))


def evaluate_number(expression: str, namespace: Mapping[str, Any],
                    quantities: Mapping[str, str] | None = None) -> float | None:
    """Return the formula's value as a finite float, or None when it is missing."""
    try:
        value = _number(evaluate(expression, namespace, quantities))
    except MissingValue:
        return None
    return value if math.isfinite(value) else None


def evaluate_condition(expression: str, namespace: Mapping[str, Any],
                       quantities: Mapping[str, str] | None = None) -> bool:
    """Return whether the condition holds; a missing value makes it false."""
    try:
        value = evaluate(expression, namespace, quantities)
    except MissingValue:
        return False
    if not isinstance(value, bool):
        raise ExpressionError("a condition must be true or false (use <, >, == ...)")
    return value
