"""How clearly a variant decides a choice: its distance from the predicates' boundaries.

A predicate such as ``0.1 <= grad_ratio_first_to_last <= 10`` decides a choice by
comparing a simulated value with boundaries. A value that lands just beside a boundary
decides by chance (another seed of the same network would fall on the other side), so a
learner who reasons correctly can be marked wrong. The clearance of a variant is the
smallest relative distance, over every ordering comparison its predicates make, between
the two compared values: in decades (|log10(a/b)|) when both are positive, as most
simulated quantities are scale-like (ratios, norms), and |a - b| / max(|a|, |b|)
otherwise. A variant is served only when its clearance reaches the question's margin.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from typing import Any

from .expressions import MissingValue, _Evaluator, parse

_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
DEFAULT_MARGIN = 0.05  # decades: a factor of 1.12 from any boundary


def relative_distance(left: float, right: float) -> float:
    """Return how far apart two compared values are, relative to their size."""
    if left > 0 and right > 0:
        return abs(math.log10(left / right))
    scale = max(abs(left), abs(right))
    return abs(left - right) / scale if scale else 0.0


class _ClearanceEvaluator(_Evaluator):
    """Evaluate a condition, noting the distance of every ordering comparison it makes."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.distances: list[float] = []

    def compare(self, node: ast.Compare) -> bool:
        left = self.visit(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.visit(right_node)
            if isinstance(op, _ORDERING) and _is_number(left) and _is_number(right):
                self.distances.append(relative_distance(float(left), float(right)))
            left = right
        return super().compare(node)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


def clearance(expression: str, namespace: Mapping[str, Any],
              quantities: Mapping[str, str] | None = None) -> float:
    """Return the condition's smallest distance from a boundary (inf when it compares none).

    Every comparison is measured, even those after one that already fails: each is a
    boundary the value could cross. A missing value (inf, NaN) decides nothing by chance.
    """
    evaluator = _ClearanceEvaluator(namespace, quantities or {}, 0)
    try:
        evaluator.visit(parse(expression))
    except MissingValue:
        return math.inf
    return min(evaluator.distances, default=math.inf)
