"""Activation functions and their derivatives: one table shared by every simulation.

Each derivative is written in terms of the function's *output* a = f(z) (sigmoid'
= a(1 - a), tanh' = 1 - a^2, relu' = [a > 0], leaky_relu' = 1 or slope by the sign of
a), so backward passes need only the stored outputs, as torch's kernels do. At the
kink z = 0 the ReLU derivative is 0 and the leaky ReLU derivative is its slope (torch's
choice too).

A unit is *saturated* when its derivative is below SATURATION_SLOPE_RATIO times the
activation's maximum derivative. The ratio 1 - 0.99^2 = 0.0199 is the one implied by
"|tanh(z)| > 0.99", the threshold the recurrent simulation uses; for the sigmoid it is
the same statement about |2 sigmoid(z) - 1| = |tanh(z/2)|.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from . import gelu
from .core import (
    FieldError,
    Simulation,
    finite_or_none,
    param,
    result_header,
)

SLUG = "activations"
LEAKY_RELU_SLOPE = 0.01
SATURATION_OUTPUT = 0.99  # |tanh| (or |2 sigmoid - 1|) above this is saturated
SATURATION_SLOPE_RATIO = 1.0 - SATURATION_OUTPUT**2  # f' / max f' below this is saturated


# Each function accepts ``out`` (which may be z itself) so that a forward pass that
# does not need z afterwards can overwrite it instead of allocating.


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Return 1 / (1 + e^-z); exp overflows to inf for z < -709, giving the right 0."""
    out = np.negative(z, out=out)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def sigmoid_slope(a: np.ndarray) -> np.ndarray:
    return a * (1.0 - a)


def tanh_slope(a: np.ndarray) -> np.ndarray:
    return 1.0 - a * a


def relu(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.maximum(z, 0.0, out=out)


def relu_slope(a: np.ndarray) -> np.ndarray:
    return (a > 0.0).astype(np.float64)


def leaky_relu(
    z: np.ndarray, slope: float = LEAKY_RELU_SLOPE, out: np.ndarray | None = None
) -> np.ndarray:
    """Return max(z, slope * z), which is z for z > 0 and slope * z below (0 < slope < 1)."""
    return np.maximum(z, slope * z, out=out)


def leaky_relu_slope(a: np.ndarray, slope: float = LEAKY_RELU_SLOPE) -> np.ndarray:
    out = (a > 0.0).astype(np.float64)  # 1 where z > 0, else 0
    out *= 1.0 - slope
    out += slope
    return out


# The backward steps dL/du = dL/dh * f'(u), from the output a = f(u). Each allocates one
# array and works in place on it: chained temporaries (g * (1 - a * a)) cost several
# times more than the arithmetic at the sizes the simulations use.


def sigmoid_backward(grad: np.ndarray, a: np.ndarray) -> np.ndarray:
    out = np.subtract(1.0, a)
    out *= a
    out *= grad
    return out


def tanh_backward(grad: np.ndarray, a: np.ndarray) -> np.ndarray:
    out = np.multiply(a, a)
    np.subtract(1.0, out, out=out)
    out *= grad
    return out


def relu_backward(grad: np.ndarray, a: np.ndarray) -> np.ndarray:
    out = relu_slope(a)
    out *= grad
    return out


def leaky_relu_backward(grad: np.ndarray, a: np.ndarray) -> np.ndarray:
    out = leaky_relu_slope(a)
    out *= grad
    return out


@dataclasses.dataclass(frozen=True)
class Activation:
    """An activation with its derivative (from the output) and the facts lessons cite.

    ``saturated_beyond`` is the |z| past which f' < SATURATION_SLOPE_RATIO * max f'
    (sigmoid, tanh; None for the ReLU family, whose slope is 0 or the leak for z <= 0).
    """

    name: str
    function: Callable[..., np.ndarray]  # f(z, out=None)
    slope_from_output: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (dL/dh, h) -> dL/du
    max_slope: float
    argmax_slope: float | None  # where f' peaks; None for a plateau (z > 0)
    saturated_beyond: float | None = None

    @property
    def saturates(self) -> bool:
        return self.saturated_beyond is not None

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """Return f'(z), computed from f(z) exactly as the backward passes do."""
        return self.slope_from_output(self.function(z))

    def saturated(self, a: np.ndarray) -> np.ndarray:
        """Return where the output ``a`` lies in the saturated region (a boolean array)."""
        return self.slope_from_output(a) < SATURATION_SLOPE_RATIO * self.max_slope


_TANH_SATURATION = float(np.arctanh(SATURATION_OUTPUT))  # 2.647

ACTIVATIONS: dict[str, Activation] = {
    activation.name: activation
    for activation in (
        Activation(
            "sigmoid", sigmoid, sigmoid_slope, sigmoid_backward, 0.25, 0.0, 2 * _TANH_SATURATION
        ),
        Activation("tanh", np.tanh, tanh_slope, tanh_backward, 1.0, 0.0, _TANH_SATURATION),
        Activation("relu", relu, relu_slope, relu_backward, 1.0, None),
        Activation("leaky_relu", leaky_relu, leaky_relu_slope, leaky_relu_backward, 1.0, None),
    )
}
NAMES = tuple(ACTIVATIONS)


def with_leak(name: str, slope: float = LEAKY_RELU_SLOPE) -> Activation:
    """Return the activation ``name``, its leak set to ``slope`` when it is leaky_relu.

    The table's leaky_relu (slope LEAKY_RELU_SLOPE) is returned unchanged at that slope,
    so default runs compute exactly what they always did.
    """
    activation = ACTIVATIONS[name]
    if name != "leaky_relu" or slope == LEAKY_RELU_SLOPE:
        return activation

    def function(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return leaky_relu(z, slope, out=out)

    def slope_from_output(a: np.ndarray) -> np.ndarray:
        return leaky_relu_slope(a, slope)

    def backward(grad: np.ndarray, a: np.ndarray) -> np.ndarray:
        out = leaky_relu_slope(a, slope)
        out *= grad
        return out

    return dataclasses.replace(
        activation, function=function, slope_from_output=slope_from_output, backward=backward
    )


@dataclasses.dataclass(frozen=True)
class ActivationsParams:
    """The grid of inputs on which every activation is drawn."""

    x_min: float = param(-6.0, doc="Left end of the input range.", minimum=-50.0, maximum=50.0)
    x_max: float = param(6.0, doc="Right end of the input range.", minimum=-50.0, maximum=50.0)
    points: int = param(241, doc="Number of evenly spaced inputs.", minimum=3, maximum=5001)

    def check(self) -> dict[str, FieldError]:
        """Refuse an empty or reversed range."""
        if self.x_min < self.x_max:
            return {}
        return {"x_max": FieldError("empty_range", {"low": "x_min", "high": "x_max"})}


@dataclasses.dataclass(frozen=True)
class ActivationsResult:
    """f(x) and f'(x) on the grid for every activation, with where they saturate."""

    params: ActivationsParams
    seed: int
    x: np.ndarray  # (points,)
    values: dict[str, np.ndarray]  # name -> (points,), NAMES and "gelu"
    derivatives: dict[str, np.ndarray]  # name -> (points,)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        return {
            **result_header(SLUG, self.params, self.seed),
            "x": finite_or_none(self.x),
            "saturation_slope_ratio": SATURATION_SLOPE_RATIO,
            "activations": {
                **{name: describe(ACTIVATIONS[name], self.x, self.values[name],
                                  self.derivatives[name])
                   for name in NAMES},
                "gelu": gelu.describe(self.values["gelu"], self.derivatives["gelu"]),
            },
        }


def describe(
    activation: Activation, x: np.ndarray, values: np.ndarray, slopes: np.ndarray
) -> dict[str, Any]:
    """Return one activation's curves, its peak slope and where its slope is small.

    The region is x < ``inactive_below`` or x > ``inactive_above`` (None: no bound on
    that side); for ReLU and leaky ReLU it includes x = 0, where their slope is 0 and
    the leak. ``inactive_max_derivative`` is the largest slope inside it.
    """
    if activation.saturates:
        bound = activation.saturated_beyond
        kind, below, above = "saturated", -bound, bound
        largest = SATURATION_SLOPE_RATIO * activation.max_slope
        inside = np.abs(x) > bound
    else:
        kind, below, above = ("dead" if activation.name == "relu" else "leaky"), 0.0, None
        largest = float(activation.slope_from_output(np.array(-1.0)))
        inside = x <= 0.0
    return {
        "values": finite_or_none(values),
        "derivatives": finite_or_none(slopes),
        "max_derivative": activation.max_slope,
        "argmax_derivative": activation.argmax_slope,
        "max_derivative_on_grid": float(slopes.max()),
        "inactive_kind": kind,
        "inactive_below": below,
        "inactive_above": above,
        "inactive_max_derivative": largest,
        "inactive_fraction_of_grid": float(inside.mean()),
    }


def run(params: ActivationsParams, seed: int) -> ActivationsResult:
    """Evaluate every activation and its derivative on the grid (the seed is unused).

    GELU, which the networks do not offer (see :mod:`.gelu`), is drawn beside them.
    """
    x = np.linspace(params.x_min, params.x_max, params.points)  # (points,)
    values = {name: activation.function(x) for name, activation in ACTIVATIONS.items()}
    derivatives = {
        name: activation.slope_from_output(values[name]) for name, activation in ACTIVATIONS.items()
    }
    values["gelu"], derivatives["gelu"] = gelu.gelu(x), gelu.gelu_derivative(x)
    return ActivationsResult(params, seed, x, values, derivatives)


SIMULATION = Simulation(
    slug=SLUG,
    title="Activation functions and their derivatives",
    params_cls=ActivationsParams,
    run=run,
)
