"""The parameters of the MLP gradient-flow simulation and the bound on a run's cost.

Each field's doc says what it sets; :mod:`.mlp` draws and runs the network they describe.
"""

from __future__ import annotations

import dataclasses

from . import initializers, losses
from .activations import LEAKY_RELU_SLOPE, NAMES
from .core import Cost, FieldError, param
from .inputs import INPUT_DISTRIBUTIONS
from .network import BN_EPS

OUTPUTS = 1  # the default number of output units k
# depth * width^2 * (batch_size + DRAW_COST + SPECTRA_COST * width if spectra) bounds the
# cost: a forward and backward pass is about 3 multiply-adds per weight and example, and
# drawing one normal weight costs about as much as DRAW_COST of them; the singular values
# (an SVD per matrix and the Jacobian's product) cost about SPECTRA_COST * width of them
# per weight. The first layer (input_size <= 512) counts as a hidden one. The bound is
# exactly Glorot & Bengio's (2010) networks, depth 30, width 512, batch 128 (1.5e9; it
# was 2^30). Measured on one core (benchmarks/engine_cost_bound.py: one BLAS thread,
# process CPU time, batch norm and sigmoid, the costliest options): that run takes
# 0.34 s (0.19 s with tanh and no batch norm), the costliest allowed corners (depth 60 x
# width 512 x batch 32, depth 60 x width 256 x batch 320) 0.43 s and 0.40 s, and the
# corners with spectra less than 0.34 s.
DRAW_COST = 64
SPECTRA_COST = 3
MAX_COST = 30 * 512**2 * (128 + DRAW_COST)


# The network options that gradient flow and training share, declared once: each class
# gets its own field from these (a dataclass field cannot belong to two classes).
def init_param():
    return param("normal", doc="Weight initialization scheme (pytorch_default: "
                 "U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, as nn.Linear; "
                 "orthogonal: Haar-random orthonormal W).", choices=initializers.MLP_SCHEMES)


def init_std_param(default: float):
    return param(default, doc="Standard deviation of every weight when init is 'normal' "
                 "(ignored otherwise).", minimum=1e-3, maximum=10.0, log_scale=True)


def init_gain_param():
    return param(1.0, doc="Multiplier of every weight matrix drawn by the scheme "
                 "(orthogonal's gain).", minimum=1e-3, maximum=10.0, log_scale=True)


def leaky_relu_slope_param():
    return param(LEAKY_RELU_SLOPE, doc="Slope a of the leaky ReLU for negative inputs "
                 "(leaky_relu only).", minimum=0.0, maximum=1.0)


def he_gain_for_param():
    return param("relu", doc="Gain of the He schemes: 'relu' sqrt(2) whatever the "
                 "activation, 'leaky_relu' sqrt(2 / (1 + a^2)) with a = leaky_relu_slope "
                 "(torch's kaiming init).", choices=("relu", "leaky_relu"))


def batch_norm_eps_param():
    return param(BN_EPS, doc="The eps of batch norm, u = (z - mean) / sqrt(var + eps).",
                 minimum=1e-12, maximum=1.0, log_scale=True)


@dataclasses.dataclass(frozen=True)
class MLPParams:
    """The network, its initialization and the batch it sees."""

    depth: int = param(10, doc="Number of hidden layers L.", minimum=1, maximum=60)
    width: int = param(
        64,
        doc="Units per hidden layer (and input size when input_size is 0).",
        minimum=2,
        maximum=512,
    )
    activation: str = param("sigmoid", doc="Activation of the hidden layers.", choices=NAMES)
    init: str = init_param()
    init_std: float = init_std_param(0.1)
    batch_norm: bool = param(False, doc="Batch-normalize every hidden layer (training mode).")
    batch_size: int = param(64, doc="Number of examples B in the batch.", minimum=1, maximum=512)
    init_gain: float = init_gain_param()
    leaky_relu_slope: float = leaky_relu_slope_param()
    he_gain_for: str = he_gain_for_param()
    batch_norm_eps: float = batch_norm_eps_param()
    input_size: int = param(
        0, doc="Size n_0 of each input vector; 0 means equal to width.", minimum=0, maximum=512
    )
    input_distribution: str = param(
        "normal",
        doc="Distribution of the input entries, all mean 0 and variance 1: N(0, 1), "
        "U(-sqrt 3, sqrt 3) or +-1 with equal odds.",
        choices=INPUT_DISTRIBUTIONS,
    )
    outputs: int = param(OUTPUTS, doc="Number k of linear output units.", minimum=1, maximum=64)
    loss: str = param(
        "half_squared_error",
        doc="Loss: half_squared_error L = 1/(2B) sum_b ||y_b - t_b||^2; mean_squared_error "
        "L = 1/(Bk) sum_b ||y_b - t_b||^2 (torch's MSELoss); probe L = sum_b <g_b, y_b> "
        "with g_b ~ N(0, I/k), so dL/dy_b = g_b, not divided by B.",
        choices=losses.LOSSES,
    )
    spectra: bool = param(
        False,
        doc="Also report each weight matrix's spectral norm and the singular values of "
        "the Jacobian dh_L/dx at the first example (costs about 3 x width more per weight).",
    )

    def check(self) -> dict[str, FieldError]:
        """Refuse batch norm on one example and sizes whose run would be too slow."""
        if self.batch_norm and self.batch_size < 2:
            return {"batch_size": FieldError("batch_norm_needs_two")}
        error = self.cost().error()
        return {"width": error} if error else {}

    def cost(self) -> Cost:
        """Return the multiply-adds of a run, about (see MAX_COST)."""
        spectra = SPECTRA_COST * self.width if self.spectra else 0
        per_weight = self.batch_size + DRAW_COST + spectra
        formula = f"depth × width² × (batch_size + {DRAW_COST})"
        if self.spectra:
            formula = f"depth × width² × (batch_size + {DRAW_COST} + {SPECTRA_COST} × width)"
        return Cost(formula, self.depth * self.width**2 * per_weight, MAX_COST, "width")

    @property
    def he_gain(self) -> float:
        """Return the gain the He schemes use under ``he_gain_for``."""
        return initializers.he_gain(self.he_gain_for, self.leaky_relu_slope)
