"""Initialization and forward variance: how each scheme carries a signal through depth.

One batch of inputs x ~ N(0, I) goes through ``depth`` hidden layers of ``width``
units, z_l = h_{l-1} @ W_l, h_l = f(z_l) (zero biases, no output layer), once per
init scheme, with the same inputs and independent weights per scheme.

Reported per layer and scheme:

- ``preactivation_variances``: Var[z_l], estimated as the mean of z_l^2 over all
  (example, unit) entries: E[z_l] = 0 exactly, because the weights have zero mean;
- ``activation_variances``: Var[h_l] over all entries, about their empirical mean;
- ``predicted_preactivation_variances``: the infinite-width prediction of He et al.
  (2015), Var[z_l] = n Var[w] E[h_{l-1}^2] with n = fan_in and h_0 = x (E[x^2] = 1),
  where E[f(z)^2] for z ~ N(0, q) is q/2 for ReLU, q (1 + slope^2)/2 for leaky ReLU,
  and a Gauss-Hermite quadrature for sigmoid and tanh.

So He init (n Var[w] = 2) keeps ReLU's variance, Glorot init with fan_in = fan_out
(n Var[w] = 1) halves it at every layer, and Glorot keeps tanh's variance wherever tanh
is near-linear; tanh's saturation makes it shrink slowly (about 1/(2l) far from the
input), where a too-small normal init shrinks it geometrically.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import numpy as np

from . import initializers
from .activations import ACTIVATIONS, LEAKY_RELU_SLOPE, NAMES
from .core import (
    Cost,
    FieldError,
    Simulation,
    finite_or_none,
    param,
    result_header,
)

SLUG = "init_variance"
QUADRATURE_NODES = 80
# schemes * depth * width * (width * (batch_size + DRAW_COST) + ELEMENTWISE_COST * batch_size)
# bounds the cost (about 0.3 s on one core at the bound): drawing one weight costs about
# DRAW_COST multiply-adds of the forward pass, and f plus the statistics on one entry
# about ELEMENTWISE_COST.
DRAW_COST = 192
ELEMENTWISE_COST = 128
MAX_COST = 4 * 10**9


@dataclasses.dataclass(frozen=True)
class InitVarianceParams:
    """The activation and the size of the network every scheme initializes."""

    activation: str = param("tanh", doc="Activation of the hidden layers.", choices=NAMES)
    depth: int = param(20, doc="Number of hidden layers.", minimum=1, maximum=100)
    width: int = param(256, doc="Units per layer (and input size).", minimum=2, maximum=1024)
    batch_size: int = param(128, doc="Number of input vectors.", minimum=2, maximum=2048)
    init_std: float = param(
        0.05,
        doc="Standard deviation of every weight under the 'normal' scheme.",
        minimum=1e-3,
        maximum=10.0,
        log_scale=True,
    )

    def check(self) -> dict[str, FieldError]:
        """Refuse sizes whose run would be too slow."""
        error = self.cost().error()
        return {"width": error} if error else {}

    def cost(self) -> Cost:
        """Return the work of a run in multiply-adds, about (see MAX_COST)."""
        schemes = len(initializers.SCHEMES)
        per_layer = self.width * (self.batch_size + DRAW_COST) + ELEMENTWISE_COST * self.batch_size
        formula = (
            f"{schemes} × depth × width × (width × (batch_size + {DRAW_COST}) + "
            f"{ELEMENTWISE_COST} × batch_size)"
        )
        return Cost(formula, schemes * self.depth * self.width * per_layer, MAX_COST, "width")


@dataclasses.dataclass(frozen=True)
class InitVarianceResult:
    """Per-layer variances for every scheme, measured and predicted."""

    params: InitVarianceParams
    seed: int
    weight_variances: dict[str, float]  # scheme -> Var[w]
    preactivation_variances: dict[str, np.ndarray]  # scheme -> (depth,)
    activation_variances: dict[str, np.ndarray]  # scheme -> (depth,)
    predicted_preactivation_variances: dict[str, np.ndarray]  # scheme -> (depth,)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        return {
            **result_header(SLUG, self.params, self.seed),
            "layers": list(range(1, self.params.depth + 1)),
            "schemes": {
                scheme: {
                    "weight_variance": self.weight_variances[scheme],
                    "preactivation_variances": finite_or_none(self.preactivation_variances[scheme]),
                    "activation_variances": finite_or_none(self.activation_variances[scheme]),
                    "predicted_preactivation_variances": finite_or_none(
                        self.predicted_preactivation_variances[scheme]
                    ),
                }
                for scheme in initializers.SCHEMES
            },
        }


def second_moment(activation: str, variance: float) -> float:
    """Return E[f(z)^2] for z ~ N(0, variance): closed forms for ReLUs, else quadrature."""
    if activation == "relu":
        return variance / 2.0
    if activation == "leaky_relu":
        return variance * (1.0 + LEAKY_RELU_SLOPE**2) / 2.0
    nodes, weights = gauss_hermite()
    values = ACTIVATIONS[activation].function(np.sqrt(variance) * nodes)
    return float(weights @ values**2)


@functools.cache
def gauss_hermite() -> tuple[np.ndarray, np.ndarray]:
    """Return nodes and weights with sum_i w_i g(x_i) ~ E[g(x)] for x ~ N(0, 1)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(QUADRATURE_NODES)  # weight e^(-x^2/2)
    return nodes, weights / np.sqrt(2.0 * np.pi)


def predict_variances(activation: str, depth: int, gain: float) -> np.ndarray:
    """Return the mean-field Var[z_l], l = 1 .. depth, for n Var[w] = ``gain``, E[x^2] = 1."""
    variances = np.empty(depth)
    moment = 1.0  # E[h_0^2] = E[x^2]
    for layer in range(depth):
        variances[layer] = gain * moment
        moment = second_moment(activation, variances[layer])
    return variances


def propagate(inputs: np.ndarray, weights: list[np.ndarray], activation: str):
    """Return the lists of pre-activations z_l and activations h_l, l = 1 .. depth."""
    f = ACTIVATIONS[activation].function
    h = inputs  # (batch, width)
    zs, hs = [], []
    for weight in weights:
        z = h @ weight  # (batch, width)
        h = f(z)
        zs.append(z)
        hs.append(h)
    return zs, hs


def run(params: InitVarianceParams, seed: int) -> InitVarianceResult:
    """Propagate one batch through a network per scheme and measure every layer."""
    input_seed, *scheme_seeds = np.random.SeedSequence(seed).spawn(1 + len(initializers.SCHEMES))
    n = params.width
    inputs = np.random.default_rng(input_seed).standard_normal((params.batch_size, n))
    weight_variances, pre, post, predicted = {}, {}, {}, {}
    with np.errstate(all="ignore"):  # a huge init_std overflows: reported as None
        for scheme, scheme_seed in zip(initializers.SCHEMES, scheme_seeds, strict=True):
            weights = initializers.initialize_network(
                scheme,
                [n] * (params.depth + 1),
                np.random.default_rng(scheme_seed),
                params.init_std,
            )
            zs, hs = propagate(inputs, weights, params.activation)
            variance = initializers.weight_variance(scheme, n, n, params.init_std)
            weight_variances[scheme] = variance
            pre[scheme] = np.array([np.mean(z * z) for z in zs])
            post[scheme] = np.array([np.var(h) for h in hs])
            predicted[scheme] = predict_variances(params.activation, params.depth, n * variance)
    return InitVarianceResult(params, seed, weight_variances, pre, post, predicted)


SIMULATION = Simulation(
    slug=SLUG,
    title="Initialization and activation variance across layers",
    params_cls=InitVarianceParams,
    run=run,
)
