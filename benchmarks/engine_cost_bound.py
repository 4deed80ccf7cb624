"""Time the most expensive parameters each feed-forward simulation accepts, on one core.

Validation bounds every simulation's cost so that any allowed run stays well under a
second on one core. This script checks it: numpy's BLAS is set to one thread, and each
run (with its to_dict(), as a request needs) is timed with the process CPU clock (best
of three, so other work on the machine does not count). It times the corners of each
cost bound (listed below) and a seeded random sample of other allowed parameters, and
prints the slowest.

    python benchmarks/engine_cost_bound.py
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/engine_cost_bound.py
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _blas import describe_blas, environment_note, set_blas_threads  # noqa: E402

from simulations.engine import (  # noqa: E402
    activations,
    backprop_matrix,
    batch_norm,
    cliff,
    dead_relu,
    descent,
    gradcheck,
    init_variance,
    minibatch,
    mlp,
    neuron_losses,
    regularization,
    residual,
    reverse_mode,
    training,
    training_step,
)
from simulations.engine.core import ParameterError, param_specs, validate  # noqa: E402

MODULES = (mlp, training, init_variance, gradcheck, activations, training_step, reverse_mode,
           descent, minibatch, neuron_losses, backprop_matrix, cliff, regularization, batch_norm,
           residual, dead_relu)
CORNERS = {
    "rnn_cliff": [
        {"time_steps": 100, "descent_steps": 100},
        {"time_steps": 18, "descent_steps": 300},
    ],
    # The same cost formula as mlp_gradient_flow's, plus the shortcut's addition per layer.
    "residual_gradient_flow": [
        {"depth": 60, "width": 512, "batch_size": 32},
        {"depth": 60, "width": 256, "batch_size": 320},
    ],
    "mlp_gradient_flow": [
        {"depth": 60, "width": 512, "batch_size": 32},
        {"depth": 30, "width": 512, "batch_size": 128},  # Glorot & Bengio 2010's networks
        {"depth": 18, "width": 512, "batch_size": 256},
        {"depth": 60, "width": 256, "batch_size": 320},
        {"depth": 24, "width": 256, "batch_size": 128, "spectra": True, "batch_norm": False},
        {"depth": 3, "width": 512, "batch_size": 64, "spectra": True, "batch_norm": False},
    ],
    "training_dynamics": [
        {"steps": 1000, "depth": 5, "width": 2, "batch_size": 2, "samples": 8},
        {"steps": 800, "depth": 1, "width": 128, "batch_size": 32},
        {"steps": 6, "depth": 20, "width": 128, "batch_size": 256},
        {"steps": 100, "depth": 10, "width": 64, "batch_size": 64},
    ],
    "init_variance": [
        {"depth": 30, "width": 64, "batch_size": 2048},
        {"depth": 10, "width": 512, "batch_size": 2},
        {"depth": 50, "width": 256, "batch_size": 16},
        {"depth": 20, "width": 256, "batch_size": 128},
    ],
    "gradient_check": [{"depth": 4, "width": 8, "batch_size": 16}],
    "activations": [{"points": 5001}],
    "training_step": [{"learning_rate": 10.0}],
    "reverse_mode": [{"depth": 60, "width": 512, "batch_size": 512}],
    "gradient_descent": [
        {"steps": 1000, "condition_number": 1000.0},
        {"steps": 1000, "optimizer": "adam", "lr_rule": "absolute", "rotation": 45.0,
         "sweep": True},
    ],
    "sigmoid_neuron_losses": [{"steps": 2000}],
    "backprop_matrix": [{"input_size": 4, "width": 5, "outputs": 3, "batch_size": 5}],
    "regularization": [
        # At the bound: long runs of a small net, a large net, a large validation set.
        {"steps": 5800, "depth": 1, "width": 32, "regularizer": "dropout"},
        {"steps": 1000, "depth": 2, "width": 64, "regularizer": "dropout"},
        {"steps": 35, "depth": 12, "width": 64, "train_samples": 100,
         "validation_samples": 500, "regularizer": "dropout"},
        {"steps": 2, "depth": 3, "width": 256, "train_samples": 500,
         "validation_samples": 2000, "regularizer": "dropout"},
    ],
    "minibatch_sgd": [
        # At the bounds: 20,000 updates, and draws x samples x (features + 1) = 2**26.
        {"samples": 4096, "features": 15, "batch_size": 205, "epochs": 50, "draws": 1024},
        {"samples": 1024, "features": 1, "batch_size": 1, "epochs": 19, "draws": 2000},
    ],
    "batch_norm": [
        {"steps": 200},  # lesson 18.11's training figures
        {"steps": 1000, "depth": 2, "width": 8, "batch_size": 8, "samples": 64},
        {"steps": 3, "depth": 30, "width": 128, "batch_size": 256, "held_out": 64},
        {"steps": 100, "depth": 10, "width": 64, "batch_size": 64},
        # The held-out evaluations dominate: one forward pass per evaluation batch size.
        {"steps": 1, "depth": 4, "width": 128, "batch_size": 32, "samples": 2048,
         "held_out": 2048},
    ],
    "dead_relu": [
        # Arithmetic: the widest, deepest network on the whole data set.
        {"hidden_layers": 3, "width": 256, "examples": 1024, "batch_size": 1024, "steps": 1,
         "recovery_steps": 0, "sweep_points": 0},
        # The lesson's figure with one more rate in its sweep: a thousand small passes.
        {"width": 32, "examples": 128, "batch_size": 32, "steps": 3, "recovery_steps": 200,
         "sweep_points": 14},
        # numpy's per-call overhead: many passes through a tiny network.
        {"hidden_layers": 1, "width": 4, "examples": 16, "batch_size": 1, "steps": 50,
         "recovery_steps": 1000, "sweep_points": 4},
        {"hidden_layers": 3, "width": 4, "examples": 16, "batch_size": 1, "steps": 50,
         "recovery_steps": 0, "sweep_points": 25},
    ],
}
# The costliest options: batch norm, the sigmoid's extra elementwise work, clipping.
EXPENSIVE = {"batch_norm": True, "activation": "sigmoid", "clipping": "norm"}


def time_run(module, raw: dict, clock) -> float:
    """Return the best of three CPU times of module.run on validated ``raw``."""
    specs = {spec.name: spec for spec in param_specs(module.SIMULATION.params_cls)}
    expensive = {  # only the options this simulation offers (dead_relu has no sigmoid)
        k: v for k, v in EXPENSIVE.items()
        if k in specs and (not specs[k].choices or v in specs[k].choices)
    }
    params = validate(module.SIMULATION.params_cls, {**expensive, **raw})
    best = math.inf
    for _ in range(3):
        start = clock()
        module.run(params, 0).to_dict()  # what a request pays: compute and JSON-ready data
        best = min(best, clock() - start)
    return best


def sample_allowed(module, rng: np.random.Generator, count: int) -> list[dict]:
    """Draw ``count`` allowed parameter sets, numbers log-uniform within their range."""
    specs = param_specs(module.SIMULATION.params_cls)
    found: list[dict] = []
    for _ in range(200 * count):
        raw = {}
        for spec in specs:
            if spec.choices:
                raw[spec.name] = spec.choices[rng.integers(len(spec.choices))]
            elif spec.type in ("int", "float") and spec.minimum is not None:
                low, high = spec.minimum, spec.maximum
                value = (
                    math.exp(rng.uniform(math.log(low), math.log(high)))
                    if low > 0
                    else rng.uniform(low, high)
                )
                raw[spec.name] = round(value) if spec.type == "int" else value
            elif spec.type == "bool":
                raw[spec.name] = bool(rng.integers(2))
        try:
            validate(module.SIMULATION.params_cls, raw)
        except ParameterError:
            continue
        found.append(raw)
        if len(found) == count:
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=15, help="random allowed sets per sim")
    args = parser.parse_args()
    set_blas_threads(1)
    blas = describe_blas()
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}, {len(os.sched_getaffinity(0))} cores")
    print(
        f"BLAS: {blas['library']} kernel {blas['kernel']}, {blas['threads']} thread; "
        f"env: {environment_note()}; load average {os.getloadavg()[0]:.2f}"
    )
    print("process CPU time, best of 3, one BLAS thread\n")
    rng = np.random.default_rng(0)
    for module in MODULES:
        slug = module.SIMULATION.slug
        timings = [(time_run(module, raw, time.process_time), raw) for raw in CORNERS[slug]]
        for raw in sample_allowed(module, rng, args.samples):
            timings.append((time_run(module, raw, time.process_time), raw))
        for seconds, raw in sorted(timings, key=lambda item: -item[0])[:3]:
            shown = ", ".join(
                f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in raw.items()
            )
            print(f"{slug:<18} {seconds * 1e3:8.2f} ms  {shown}")
        print()


if __name__ == "__main__":
    main()
