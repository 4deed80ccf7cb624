"""Time one forward + backward pass of the engine's MLP against torch's CPU autograd.

Both sides run float64, the same weights (torch's nn.Linear holds our W transposed),
inputs and loss L = 1/(2B) sum_b ||y_b - t_b||^2, in one process: each repeat times
the engine once and torch once, in alternating order, and the median of each is
reported with the ratio engine / torch (goal: <= 1.0). torch gets as many intra-op
threads as numpy's BLAS has (numpy's elementwise operations are single-threaded);
``--threads N`` sets both. The engine also computes dL/dx, which torch skips (x has no
requires_grad).

``--clock cpu`` measures process CPU time instead of wall time: on a machine shared
with other work, a descheduled process is not charged for the wait. Use it with
``--threads 1`` (with more threads it adds up every thread's time, spinning included).

Run from the repository root:

    python benchmarks/engine_vs_torch.py                      # environment as it is
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/engine_vs_torch.py
    python benchmarks/engine_vs_torch.py --threads 1 --clock cpu
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _blas import describe_blas, environment_note, set_blas_threads  # noqa: E402

from simulations.engine.network import backpropagate, build_network  # noqa: E402

TORCH_ACTIVATIONS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}


def build_torch_model(weights, biases, activation: str, batch_norm: bool) -> torch.nn.Module:
    """Return an nn.Sequential holding the engine's weights (transposed to (out, in))."""
    layers: list[torch.nn.Module] = []
    for index, (weight, bias) in enumerate(zip(weights, biases, strict=True)):
        linear = torch.nn.Linear(*weight.shape, bias=bias is not None, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(weight.T))
            if bias is not None:
                linear.bias.copy_(torch.from_numpy(bias))
        layers.append(linear)
        if index < len(weights) - 1:
            if batch_norm:
                layers.append(
                    torch.nn.BatchNorm1d(
                        weight.shape[1],
                        affine=False,
                        track_running_stats=False,
                        dtype=torch.float64,
                    )
                )
            layers.append(TORCH_ACTIVATIONS[activation]())
    return torch.nn.Sequential(*layers)


def compare(
    depth: int,
    width: int,
    batch: int,
    activation: str,
    batch_norm: bool,
    repeats: int,
    clock=time.perf_counter,
) -> dict[str, float]:
    """Return median times (s) of both sides and the agreement of dL/dW_1."""
    rng = np.random.default_rng(0)
    sizes = [width] * (depth + 1) + [1]
    weights, biases = build_network(
        rng, sizes, init="glorot_normal", init_std=1.0, batch_norm=batch_norm
    )
    inputs = rng.standard_normal((batch, width))
    targets = rng.standard_normal((batch, 1))
    model = build_torch_model(weights, biases, activation, batch_norm).train()
    torch_inputs, torch_targets = torch.from_numpy(inputs), torch.from_numpy(targets)

    def engine():
        return backpropagate(
            weights, biases, inputs, targets, activation=activation, batch_norm=batch_norm
        )

    def reference():
        model.zero_grad(set_to_none=True)
        outputs = model(torch_inputs)
        loss = 0.5 * ((outputs - torch_targets) ** 2).sum(dim=1).mean()
        loss.backward()

    result = engine()
    reference()
    reference_grad = model[0].weight.grad.numpy().T
    agreement = np.linalg.norm(result.weight_grads[0] - reference_grad) / np.linalg.norm(
        reference_grad
    )
    for _ in range(3):  # warm up caches, allocators and thread pools
        engine()
        reference()
    times: dict[str, list[float]] = {"engine": [], "torch": []}
    for repeat in range(repeats):
        order = [("engine", engine), ("torch", reference)]
        for name, function in order if repeat % 2 == 0 else order[::-1]:
            start = clock()
            function()
            times[name].append(clock() - start)
    engine_time = statistics.median(times["engine"])
    torch_time = statistics.median(times["torch"])
    return {
        "engine": engine_time,
        "torch": torch_time,
        "ratio": engine_time / torch_time,
        "agreement": float(agreement),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, help="BLAS and torch threads (default: BLAS's)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    if args.threads and not set_blas_threads(args.threads):
        sys.exit("cannot set numpy's BLAS threads; set OPENBLAS_NUM_THREADS instead")
    blas = describe_blas()
    threads = int(blas["threads"] or 1)
    torch.set_num_threads(threads)
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"{len(os.sched_getaffinity(0))} cores available"
    )
    print(
        f"numpy {np.__version__}, BLAS: {blas['library']} kernel {blas['kernel']}, "
        f"{blas['threads']} threads; env: {environment_note()}"
    )
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"BLAS {torch.backends.mkl.is_available() and 'MKL' or 'other'}"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"batch {args.batch}, float64, {args.clock} clock, median of {args.repeats} "
        "interleaved repeats\n"
    )
    header = (
        f"{'activation':<10} {'bn':<5} {'depth':>5} {'width':>5} "
        f"{'engine ms':>10} {'torch ms':>10} {'engine/torch':>12} {'dW1 rel.diff':>12}"
    )
    print(header)
    print("-" * len(header))
    for activation, batch_norm in (("tanh", False), ("relu", False), ("tanh", True)):
        for depth in (10, 50):
            for width in (256, 512):
                row = compare(depth, width, args.batch, activation, batch_norm, args.repeats, clock)
                print(
                    f"{activation:<10} {'yes' if batch_norm else 'no':<5} {depth:>5} "
                    f"{width:>5} {row['engine'] * 1e3:>10.2f} {row['torch'] * 1e3:>10.2f} "
                    f"{row['ratio']:>12.2f} {row['agreement']:>12.1e}"
                )


if __name__ == "__main__":
    main()
