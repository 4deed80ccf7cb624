"""Dying ReLUs: a few too-large SGD steps can silence hidden units for good.

A classification drawn from the seed: ``examples`` inputs x_n ~ N(0, I_2), labelled
s_n = +1 inside the circle |x|^2 < 2 ln 2 (which holds half of N(0, I_2)'s mass) and -1
outside. A network 2 -> ``hidden_layers`` x ``width`` -> 1 logit y, with He normal weights,
hidden biases all equal to ``bias_init`` and an output bias of 0, trained on the logistic
loss L = 1/B sum_b log(1 + exp(-s_b y_b)). Its gradient dL/dy_b = -s_b sigmoid(-s_b y_b) / B
is bounded by 1/B whatever the logits, so a large step does not feed on itself as with a
squared error: the runs die without diverging, which is what this simulation shows.

**Too-large steps.** ``steps`` SGD updates at ``learning_rate`` on mini-batches of
``batch_size`` examples, each drawn without replacement from the whole data set. The
batches come from their own seeded stream, so every learning rate of the sweep starts from
the same network and sees the same batches: only eta differs.

**Dead units.** A hidden unit is *dead* when its pre-activation z is <= 0 for every example
of the data set. With ReLU, f'(z) = 0 there, so dL/dz = 0 for every example and the unit's
incoming weights and bias get a zero gradient from any batch. In the first hidden layer the
inputs are the fixed data set, so no later step of SGD can bring the unit back. A dead unit
of a deeper layer gets a zero gradient too, but its inputs are the outputs of the layer
below, which may still change and revive it: the *recovery* phase measures whether they do.
With leaky ReLU the same units are counted (z <= 0 everywhere), but their slope is the leak,
not 0: their gradient is small, never zero, so they are not dead.

**Recovery.** Then ``recovery_steps`` full-batch gradient steps at ``recovery_rate``, a
moderate rate, and the units with z <= 0 everywhere are counted again. Dead ReLUs of the
first layer are still dead (their gradient is exactly zero); units of deeper layers may
have come back, and the recovery's own steps may have silenced others.

**Sweep.** The same run for ``sweep_points`` learning rates, log-spaced from ``sweep_min``
to ``sweep_max``: the share of dead units after the steps and after the recovery, against
eta. A run whose loss overflows stops, diverged; its units are counted as they stand.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import initializers, network
from .activations import sigmoid
from .core import (
    Cost,
    FieldError,
    Simulation,
    finite_or_none,
    param,
    result_header,
)

SLUG = "dead_relu"
ACTIVATIONS = ("relu", "leaky_relu")
INPUTS = 2
MAX_COST = 2_500_000_000  # multiply-adds, about: see DeadReluParams.cost
# numpy's per-call overhead, counted per layer and pass as that many multiply-adds: a run
# of many small steps on a narrow network costs time, not arithmetic.
PASS_OVERHEAD = 200_000


RADIUS_SQUARED = 2.0 * np.log(2.0)  # P(|x|^2 < r^2) = 1 - exp(-r^2 / 2) = 1/2 in 2-D


def make_data(rng: np.random.Generator, examples: int) -> tuple[np.ndarray, np.ndarray]:
    """Return inputs (examples, 2) ~ N(0, I) and labels (examples, 1) in {-1, +1}."""
    inputs = rng.standard_normal((examples, INPUTS))
    inside = np.sum(inputs**2, axis=1, keepdims=True) < RADIUS_SQUARED
    return inputs, np.where(inside, 1.0, -1.0)


def logistic_loss(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Return L = mean_b log(1 + exp(-s_b y_b)) and dL/dy, both for (B, 1) arrays."""
    margins = labels * logits
    loss = float(np.mean(np.logaddexp(0.0, -margins)))  # no overflow for large -margins
    return loss, -labels * sigmoid(-margins) / len(logits)


@dataclasses.dataclass(frozen=True)
class DeadReluParams:
    """The network, its initial biases, the too-large steps, the recovery and the sweep."""

    activation: str = param("relu", doc="Hidden activation.", choices=ACTIVATIONS)
    hidden_layers: int = param(1, doc="Number of hidden layers.", minimum=1, maximum=3)
    width: int = param(32, doc="Units per hidden layer.", minimum=4, maximum=256)
    examples: int = param(128, doc="Examples in the data set.", minimum=16, maximum=1024)
    batch_size: int = param(32, doc="Examples per SGD mini-batch.", minimum=1, maximum=1024)
    learning_rate: float = param(10.0, doc="SGD step size eta of the too-large steps.",
                                 minimum=1e-3, maximum=30.0, log_scale=True)
    bias_init: float = param(0.0, doc="Initial value b0 of every hidden bias.",
                             minimum=-2.0, maximum=2.0)
    steps: int = param(3, doc="SGD steps at the learning rate.", minimum=1, maximum=50)
    recovery_steps: int = param(200, doc="Full-batch steps at the recovery rate afterwards.",
                                minimum=0, maximum=1000)
    recovery_rate: float = param(0.1, doc="Step size of the recovery phase.",
                                 minimum=1e-4, maximum=1.0, log_scale=True)
    sweep_min: float = param(0.03, doc="Smallest learning rate of the sweep.",
                             minimum=1e-3, maximum=30.0, log_scale=True)
    sweep_max: float = param(30.0, doc="Largest learning rate of the sweep.",
                             minimum=1e-3, maximum=30.0, log_scale=True)
    sweep_points: int = param(13, doc="Learning rates in the sweep (0: no sweep).",
                              minimum=0, maximum=25)

    def check(self) -> dict[str, FieldError]:
        """Refuse a batch larger than the data set, a reversed sweep, a too costly run."""
        if self.batch_size > self.examples:
            return {"batch_size": FieldError("inconsistent", {
                "reason": "batch_size must be at most examples."})}
        if self.sweep_points > 1 and not self.sweep_min < self.sweep_max:
            return {"sweep_max": FieldError("empty_range", {"low": "sweep_min",
                                                            "high": "sweep_max"})}
        error = self.cost().error()
        return {"recovery_steps": error} if error else {}

    def cost(self) -> Cost:
        """Return the multiply-adds of the run and its sweep, about (see MAX_COST).

        A run makes 2 passes per large step (the step, then the loss on the data set), one
        per recovery step and about 4 more (losses and dead counts), each through
        hidden_layers + 1 layers; PASS_OVERHEAD prices a layer of a pass.
        """
        per_example = 3 * self.hidden_layers * self.width**2  # forward, then backward
        passes = 2 * self.steps + self.recovery_steps + 4
        per_run = (per_example * (self.steps * self.batch_size
                                  + (self.recovery_steps + 3) * self.examples)
                   + PASS_OVERHEAD * (self.hidden_layers + 1) * passes)
        formula = ("(sweep_points + 1) × (3 × hidden_layers × width² × "
                   "(steps × batch_size + (recovery_steps + 3) × examples) + "
                   f"{PASS_OVERHEAD} × (hidden_layers + 1) × "
                   "(2 × steps + recovery_steps + 4))")
        return Cost(formula, (self.sweep_points + 1) * per_run, MAX_COST, "recovery_steps")


@dataclasses.dataclass(frozen=True)
class Trained:
    """One run: the network after the steps and after the recovery, and its losses."""

    losses: np.ndarray  # (steps + recovery_steps + 1,): full-data loss after each update
    dead_after_steps: list[np.ndarray]  # per hidden layer, (width,) bool
    dead_after_recovery: list[np.ndarray]  # per hidden layer, (width,) bool
    weights: list[np.ndarray]  # after the recovery
    biases: list[np.ndarray]
    diverged: bool


def initial_network(params: DeadReluParams, rng: np.random.Generator):
    """Return He normal weights and biases: hidden ones b0, the output's 0."""
    sizes = [INPUTS] + [params.width] * params.hidden_layers + [1]
    weights = initializers.initialize_network("he_normal", sizes, rng)
    biases = [np.full(size, params.bias_init) for size in sizes[1:-1]] + [np.zeros(1)]
    return weights, biases


def find_dead(weights, biases, inputs: np.ndarray, activation: str) -> list[np.ndarray]:
    """Return, per hidden layer, which units have z <= 0 on every input (f(z) <= 0 iff z <= 0)."""
    passed = network.forward(weights, biases, inputs, activation=activation)
    return [np.all(h <= 0.0, axis=0) for h in passed.activations[1:]]


def measure_loss(weights, biases, inputs, labels, activation: str) -> float:
    passed = network.forward(weights, biases, inputs, activation=activation)
    return logistic_loss(passed.outputs, labels)[0]


def sgd_step(weights, biases, inputs, labels, rate: float, activation: str) -> float:
    """Move every parameter by -rate times its gradient on (inputs, labels), in place.

    Return the loss on (inputs, labels) before the step.
    """
    passed = network.forward(weights, biases, inputs, activation=activation)
    loss, output_grad = logistic_loss(passed.outputs, labels)
    grads = [(k, weight_grad, grad_z.sum(axis=0)) for k, grad_z, weight_grad, _ in
             network.walk_back(passed, weights, labels, activation=activation,
                               output_grad=output_grad)]
    for k, weight_grad, bias_grad in grads:  # after the whole backward pass
        weights[k] -= rate * weight_grad
        biases[k] -= rate * bias_grad
    return loss


def train(params: DeadReluParams, learning_rate: float, data, start, batches) -> Trained:
    """Run the too-large steps, count the dead, run the recovery, count again."""
    inputs, labels = data
    weights = [w.copy() for w in start[0]]
    biases = [b.copy() for b in start[1]]
    losses = [measure_loss(weights, biases, inputs, labels, params.activation)]
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for rows in batches:
            sgd_step(weights, biases, inputs[rows], labels[rows], learning_rate,
                     params.activation)
            losses.append(measure_loss(weights, biases, inputs, labels, params.activation))
            if not np.isfinite(losses[-1]):
                diverged = True
                break
        dead_after_steps = find_dead(weights, biases, inputs, params.activation)
        for step in range(0 if diverged else params.recovery_steps):
            # Full batch: the step's own backward pass gives the loss it starts from.
            loss = sgd_step(weights, biases, inputs, labels, params.recovery_rate,
                            params.activation)
            if step:
                losses.append(loss)
        if params.recovery_steps and not diverged:
            losses.append(measure_loss(weights, biases, inputs, labels, params.activation))
        dead_after_recovery = find_dead(weights, biases, inputs, params.activation)
    return Trained(np.array(losses), dead_after_steps, dead_after_recovery, weights, biases,
                   diverged)


def share(dead: list[np.ndarray]) -> float:
    """Return the share of dead units over every hidden layer."""
    return float(np.concatenate(dead).mean())


@dataclasses.dataclass(frozen=True)
class DeadReluResult:
    """The run at ``learning_rate`` in detail, and the sweep's shares of dead units."""

    params: DeadReluParams
    seed: int
    initial_dead: list[np.ndarray]  # per hidden layer, (width,) bool, before any step
    trained: Trained
    sweep_rates: np.ndarray  # (sweep_points,)
    sweep_dead_after_steps: np.ndarray  # (sweep_points,)
    sweep_dead_after_recovery: np.ndarray  # (sweep_points,)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        trained = self.trained
        return {
            **result_header(SLUG, self.params, self.seed),
            "initial_dead_fraction": share(self.initial_dead),
            "dead_fraction": share(trained.dead_after_steps),
            "dead_fraction_by_layer": [float(d.mean()) for d in trained.dead_after_steps],
            "dead_fraction_after_recovery": share(trained.dead_after_recovery),
            "dead_fraction_after_recovery_by_layer": [
                float(d.mean()) for d in trained.dead_after_recovery],
            "dead_count": int(np.concatenate(trained.dead_after_steps).sum()),
            "dead_count_after_recovery": int(np.concatenate(trained.dead_after_recovery).sum()),
            "losses": finite_or_none(trained.losses),
            "diverged": trained.diverged,
            "sweep_learning_rates": finite_or_none(self.sweep_rates),
            "sweep_dead_fractions": finite_or_none(self.sweep_dead_after_steps),
            "sweep_dead_fractions_after_recovery": finite_or_none(
                self.sweep_dead_after_recovery),
        }


def run(params: DeadReluParams, seed: int) -> DeadReluResult:
    """Draw the data set, the network and the batches, then train at every rate."""
    data_stream, weight_stream, batch_stream = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))
    data = make_data(data_stream, params.examples)
    start = initial_network(params, weight_stream)
    batches = [batch_stream.choice(params.examples, params.batch_size, replace=False)
               for _ in range(params.steps)]
    initial_dead = find_dead(*start, data[0], params.activation)
    trained = train(params, params.learning_rate, data, start, batches)
    rates = (np.geomspace(params.sweep_min, params.sweep_max, params.sweep_points)
             if params.sweep_points > 1 else np.full(params.sweep_points, params.sweep_min))
    sweep = [train(params, float(rate), data, start, batches) for rate in rates]
    return DeadReluResult(
        params, seed, initial_dead, trained, rates,
        np.array([share(run.dead_after_steps) for run in sweep]),
        np.array([share(run.dead_after_recovery) for run in sweep]),
    )


SIMULATION = Simulation(
    slug=SLUG,
    title="Dying ReLUs after too-large steps",
    params_cls=DeadReluParams,
    run=run,
)
