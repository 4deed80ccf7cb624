"""Mini-batch gradients: their spread around the full gradient, and SGD by epochs.

A linear regression drawn from the seed: ``samples`` inputs x_n ~ N(0, I_d),
w_true ~ N(0, I_d), targets y_n = x_n . w_true + noise * eps_n, eps_n ~ N(0, 1), and

    L(w) = 1/(2N) sum_n (x_n . w - y_n)^2,   g_n(w) = (x_n . w - y_n) x_n,   g = mean_n g_n.

**Spread.** At the initial parameters w_0 = 0, for every batch size B of the list
1, 2, 4, ... (powers of two below N, and ``batch_size``), ``draws`` mini-batches are drawn
and the spread of their gradients g_B = mean_{n in batch} g_n around g is measured as
the mean of ||g_B - g||^2. With sigma^2 = 1/N sum_n ||g_n - g||^2 (the per-example
gradients' total variance, divided by N), the closed form is

    E ||g_B - g||^2 = sigma^2 / B * (N - B) / (N - 1)   without replacement (default),
    E ||g_B - g||^2 = sigma^2 / B                       with replacement.

The first is what any single batch of a shuffled epoch is (a batch never holds one
example twice), before conditioning on the earlier batches of the epoch: the k-th batch
comes from the examples not used yet, and the weights it meets depend on the earlier
ones, so for it the formula (and E[g_B] = g) hold only approximately. The factor
(N - B) / (N - 1), the finite-population correction, is 1 at B = 1 and 0 at B = N,
where the batch is the whole data set. Within one draw the batches of
the different sizes are nested (the first B examples of one permutation, or of one
sequence of independent picks), which leaves each size's spread unbiased and costs one
pass over the data per draw.

**Training.** From w_0 = 0, ``epochs`` passes of mini-batch SGD, w <- w - eta g_B: every
epoch draws a new permutation of the N examples and cuts it into consecutive batches of
B (the last one smaller when B does not divide N), so every example is used exactly
once per epoch. The full-data loss is recorded at the start and then whenever another
1/16 of an epoch of examples has been seen (after every update when B > N/16), so runs
with different B are compared at the same number of examples seen. A run whose loss
exceeds 10^6 times the initial loss (or overflows) stops there, diverged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from .core import FieldError, Simulation, finite_or_none, param, result_header, too_costly

SLUG = "minibatch_sgd"
SAMPLINGS = ("without_replacement", "with_replacement")
RECORDS_PER_EPOCH = 16
# The slope is fitted where the finite-population correction is above 7/8.
SLOPE_LARGEST_FRACTION = 1 / 8
MAX_UPDATES = 20_000  # epochs * ceil(N / B): Python-level steps
MAX_SPREAD_WORK = 2**26  # draws * samples * (features + 1)
# Training stops, diverged, once the loss exceeds this multiple of the initial loss.
DIVERGENCE_FACTOR = 1e6
CHUNK_ENTRIES = 2**21  # gathered gradient entries held at once while measuring the spread


@dataclasses.dataclass(frozen=True)
class MinibatchParams:
    """The data set, the batch size, and how long and how fast SGD runs."""

    samples: int = param(1024, doc="Number of examples N.", minimum=16, maximum=4096)
    features: int = param(10, doc="Number of input features d.", minimum=1, maximum=50)
    noise: float = param(0.5, doc="Standard deviation of the noise on the targets.",
                         minimum=0.0, maximum=5.0)
    batch_size: int = param(32, doc="Examples per mini-batch B (for SGD and the spread).",
                            minimum=1, maximum=4096)
    learning_rate: float = param(0.05, doc="SGD step size.", minimum=1e-4, maximum=1.0,
                                 log_scale=True)
    epochs: int = param(5, doc="Passes over the data set.", minimum=1, maximum=50)
    draws: int = param(400, doc="Mini-batches drawn per batch size to measure the spread.",
                       minimum=10, maximum=2000)
    sampling: str = param("without_replacement", doc="How the spread's batches are drawn.",
                          choices=SAMPLINGS)

    def check(self) -> dict[str, FieldError]:
        """Refuse a batch larger than the data set and runs that would take too long."""
        if self.batch_size > self.samples:
            return {"batch_size": FieldError("batch_exceeds_samples")}
        updates = self.epochs * -(-self.samples // self.batch_size)
        if updates > MAX_UPDATES:
            return {"epochs": too_costly("epochs × ⌈samples / batch_size⌉", updates, MAX_UPDATES)}
        work = self.draws * self.samples * (self.features + 1)
        if work > MAX_SPREAD_WORK:
            return {"draws": too_costly("draws × samples × (features + 1)", work,
                                        MAX_SPREAD_WORK)}
        return {}


@dataclasses.dataclass(frozen=True)
class Regression:
    """The synthetic data set and its loss."""

    inputs: np.ndarray  # (N, d)
    targets: np.ndarray  # (N,)

    def loss(self, weights: np.ndarray) -> float:
        residuals = self.inputs @ weights - self.targets
        return float(0.5 * np.mean(residuals**2))

    def per_example_gradients(self, weights: np.ndarray, rows=slice(None)) -> np.ndarray:
        """Return g_n = (x_n . w - y_n) x_n for the chosen rows: (rows, d)."""
        inputs = self.inputs[rows]
        return (inputs @ weights - self.targets[rows])[:, None] * inputs

    def batch_gradient(self, weights: np.ndarray, rows) -> np.ndarray:
        """Return the mean of g_n over the rows (the gradient of the batch's loss)."""
        inputs = self.inputs[rows]
        return inputs.T @ (inputs @ weights - self.targets[rows]) / len(inputs)


def make_regression(rng: np.random.Generator, samples: int, features: int,
                    noise: float) -> Regression:
    inputs = rng.standard_normal((samples, features))
    true_weights = rng.standard_normal(features)
    targets = inputs @ true_weights + noise * rng.standard_normal(samples)
    return Regression(inputs, targets)


def spread_batch_sizes(samples: int, batch_size: int) -> list[int]:
    """Return 1, 2, 4, ... below ``samples``, with ``batch_size`` added in its place."""
    powers = [2**k for k in range(samples.bit_length()) if 2**k < samples]
    return sorted(set(powers) | {batch_size})


def predicted_spread(variance: float, batch_size: int, samples: int, sampling: str) -> float:
    """Return E||g_B - g||^2 from the per-example total variance sigma^2."""
    spread = variance / batch_size
    if sampling == "without_replacement":
        spread *= (samples - batch_size) / (samples - 1)
    return spread


def draw_indices(rng: np.random.Generator, draws: int, samples: int, size: int,
                 sampling: str) -> np.ndarray:
    """Return (draws, size) example indices: a permutation's head, or independent picks."""
    if sampling == "with_replacement":
        return rng.integers(0, samples, size=(draws, size))
    order = np.tile(np.arange(samples), (draws, 1))
    return rng.permuted(order, axis=1)[:, :size]


def measure_spreads(gradients: np.ndarray, batch_sizes: list[int], draws: int,
                    rng: np.random.Generator, sampling: str) -> np.ndarray:
    """Return the mean of ||g_B - g||^2 over ``draws`` batches, for every B of the list."""
    samples, features = gradients.shape
    full = gradients.mean(axis=0)  # (d,)
    largest = max(batch_sizes)
    sizes = np.array(batch_sizes)
    total = np.zeros(len(batch_sizes))
    chunk = max(1, CHUNK_ENTRIES // (largest * features))
    for start in range(0, draws, chunk):
        count = min(chunk, draws - start)
        indices = draw_indices(rng, count, samples, largest, sampling)  # (count, largest)
        running = np.cumsum(gradients[indices], axis=1)  # (count, largest, d)
        means = running[:, sizes - 1, :] / sizes[None, :, None]  # (count, sizes, d)
        total += np.sum((means - full) ** 2, axis=(0, 2))
    return total / draws


def fitted_slope(batch_sizes: list[int], spreads: np.ndarray, samples: int) -> float:
    """Return the least-squares slope of log spread against log B, for B <= N/8."""
    chosen = [(b, s) for b, s in zip(batch_sizes, spreads, strict=True)
              if b <= SLOPE_LARGEST_FRACTION * samples and s > 0]
    logs = np.log(np.array(chosen, dtype=np.float64))
    return float(np.polyfit(logs[:, 0], logs[:, 1], 1)[0])


def epoch_batches(rng: np.random.Generator, samples: int, batch_size: int) -> list[np.ndarray]:
    """Return one epoch: a fresh permutation cut into consecutive batches of ``batch_size``."""
    order = rng.permutation(samples)
    return [order[start:start + batch_size] for start in range(0, samples, batch_size)]


@dataclasses.dataclass(frozen=True)
class TrainingCurve:
    epochs_seen: list[float]
    losses: list[float]
    updates: int
    diverged: bool


def train(data: Regression, rng: np.random.Generator, *, batch_size: int,
          learning_rate: float, epochs: int) -> TrainingCurve:
    """Run mini-batch SGD from w = 0, recording the full loss every 1/16 of an epoch."""
    samples, features = data.inputs.shape
    weights = np.zeros(features)
    seen, next_record = 0, samples / RECORDS_PER_EPOCH
    epochs_seen, losses = [0.0], [data.loss(weights)]
    updates = 0
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            for rows in epoch_batches(rng, samples, batch_size):
                weights = weights - learning_rate * data.batch_gradient(weights, rows)
                updates += 1
                seen += len(rows)
                if seen >= next_record - 1e-9:
                    epochs_seen.append(seen / samples)
                    losses.append(data.loss(weights))
                    next_record = (np.floor(seen * RECORDS_PER_EPOCH / samples) + 1) * (
                        samples / RECORDS_PER_EPOCH)
                    if not losses[-1] <= DIVERGENCE_FACTOR * losses[0]:  # NaN included
                        return TrainingCurve(epochs_seen, losses, updates, True)
    return TrainingCurve(epochs_seen, losses, updates, False)


@dataclasses.dataclass(frozen=True)
class MinibatchResult:
    params: MinibatchParams
    seed: int
    variance: float  # sigma^2 of the per-example gradients at w_0
    full_gradient: np.ndarray  # (d,) at w_0
    batch_sizes: list[int]
    spreads: np.ndarray  # measured, one per batch size
    predicted: np.ndarray  # closed form, one per batch size
    slope: float
    curve: TrainingCurve
    optimal_loss: float  # the least-squares minimum of L

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        at = self.batch_sizes.index(self.params.batch_size)
        return {
            **result_header(SLUG, self.params, self.seed),
            "per_example_variance": self.variance,
            "full_gradient_norm": float(np.linalg.norm(self.full_gradient)),
            "batch_sizes": list(self.batch_sizes),
            "spreads": finite_or_none(self.spreads),
            "predicted_spreads": finite_or_none(self.predicted),
            "spread_at_batch_size": float(self.spreads[at]),
            "predicted_spread_at_batch_size": float(self.predicted[at]),
            "spread_slope": self.slope,
            "epochs_seen": list(self.curve.epochs_seen),
            "losses": finite_or_none(self.curve.losses),
            "updates": self.curve.updates,
            "diverged": self.curve.diverged,
            "final_loss": finite_or_none([self.curve.losses[-1]])[0],
            "optimal_loss": self.optimal_loss,
        }


def run(params: MinibatchParams, seed: int) -> MinibatchResult:
    """Draw the data set, measure the spread of mini-batch gradients, then train."""
    data_rng, spread_rng, order_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))
    data = make_regression(data_rng, params.samples, params.features, params.noise)
    start = np.zeros(params.features)
    gradients = data.per_example_gradients(start)  # (N, d)
    full = gradients.mean(axis=0)
    variance = float(np.mean(np.sum((gradients - full) ** 2, axis=1)))
    sizes = spread_batch_sizes(params.samples, params.batch_size)
    spreads = measure_spreads(gradients, sizes, params.draws, spread_rng, params.sampling)
    predicted = np.array([predicted_spread(variance, b, params.samples, params.sampling)
                          for b in sizes])
    curve = train(data, order_rng, batch_size=params.batch_size,
                  learning_rate=params.learning_rate, epochs=params.epochs)
    best = np.linalg.lstsq(data.inputs, data.targets, rcond=None)[0]
    return MinibatchResult(params, seed, variance, full, sizes, spreads, predicted,
                           fitted_slope(sizes, spreads, params.samples), curve,
                           data.loss(best))


SIMULATION = Simulation(
    slug=SLUG,
    title="Stochastic gradient descent and mini-batches",
    params_cls=MinibatchParams,
    run=run,
)
