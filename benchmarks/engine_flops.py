"""Achieved FLOP rate of the MLP gradient-flow computation against numpy's own matmul.

A forward and backward pass through a layer of shape (fan_in, fan_out) on a batch B
does three matrix products, h @ W, h^T @ g and g @ W^T, each 2 B fan_in fan_out
floating-point operations; everything else (bias, activation, batch norm, the loss) is
O(B * width) and counted as overhead. For each shape the script times, interleaved in
one process:

- ``backprop``: simulations.engine.network.backpropagate (the engine's computation);
- ``matmul``: the same three products per layer, with the same operands and
  transposes, and nothing else;
- ``run``: the whole simulation mlp.run (drawing the weights from the seed and the
  per-layer statistics included), when the parameters are within the cost limit.

It prints each one's GFLOP/s and backprop's rate as a fraction of matmul's (goal:
>= 0.7). ``--threads`` and ``--clock`` as in engine_vs_torch.py.

    python benchmarks/engine_flops.py
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/engine_flops.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _blas import describe_blas, environment_note, set_blas_threads  # noqa: E402

from simulations.engine import mlp  # noqa: E402
from simulations.engine.core import ParameterError, validate  # noqa: E402
from simulations.engine.network import backpropagate, build_network  # noqa: E402


def count_flops(sizes: list[int], batch: int) -> int:
    """Return 3 products x 2 B fan_in fan_out flops, summed over the layers."""
    return sum(
        6 * batch * fan_in * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True)
    )


def measure(
    depth: int, width: int, batch: int, activation: str, batch_norm: bool, repeats: int, clock
) -> dict[str, float | None]:
    """Return median seconds of backprop, matmul-only and (if allowed) mlp.run."""
    rng = np.random.default_rng(0)
    sizes = [width] * (depth + 1) + [1]
    weights, biases = build_network(
        rng, sizes, init="glorot_normal", init_std=1.0, batch_norm=batch_norm
    )
    inputs = rng.standard_normal((batch, width))
    targets = rng.standard_normal((batch, 1))
    # Operands of the matmul-only loop: the layer inputs and output gradients a pass sees.
    passed = backpropagate(
        weights, biases, inputs, targets, activation=activation, batch_norm=batch_norm
    )
    layer_inputs = passed.activations
    grads = [rng.standard_normal((batch, w.shape[1])) for w in weights]

    def engine():
        backpropagate(
            weights, biases, inputs, targets, activation=activation, batch_norm=batch_norm
        )

    def matmul_only():
        for weight, h, g in zip(weights, layer_inputs, grads, strict=True):
            h @ weight
            h.T @ g
            g @ weight.T

    functions = {"backprop": engine, "matmul": matmul_only}
    try:
        params = validate(
            mlp.MLPParams,
            {
                "depth": depth,
                "width": width,
                "batch_size": batch,
                "activation": activation,
                "init": "glorot_normal",
                "batch_norm": batch_norm,
            },
        )
        functions["run"] = lambda: mlp.run(params, 0)
    except ParameterError:
        pass
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    names = list(functions)
    for repeat in range(repeats):
        for name in names if repeat % 2 == 0 else names[::-1]:
            start = clock()
            functions[name]()
            times[name].append(clock() - start)
    result: dict[str, float | None] = {name: statistics.median(t) for name, t in times.items()}
    result.setdefault("run", None)
    result["flops"] = count_flops(sizes, batch)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, help="BLAS threads (default: as loaded)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    if args.threads and not set_blas_threads(args.threads):
        sys.exit("cannot set numpy's BLAS threads; set OPENBLAS_NUM_THREADS instead")
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    blas = describe_blas()
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}, {len(os.sched_getaffinity(0))} cores")
    print(
        f"numpy {np.__version__}, BLAS: {blas['library']} kernel {blas['kernel']}, "
        f"{blas['threads']} threads; env: {environment_note()}"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"batch {args.batch}, float64, {args.clock} clock, median of {args.repeats} "
        "interleaved repeats\n"
    )
    header = (
        f"{'activation':<10} {'bn':<4} {'depth':>5} {'width':>5} {'matmul GF/s':>11} "
        f"{'backprop GF/s':>13} {'backprop/matmul':>15} {'run GF/s':>9}"
    )
    print(header)
    print("-" * len(header))
    for activation, batch_norm in (("tanh", False), ("relu", False), ("tanh", True)):
        for depth in (10, 50):
            for width in (256, 512):
                row = measure(depth, width, args.batch, activation, batch_norm, args.repeats, clock)
                gflops = row["flops"] / 1e9
                run = f"{gflops / row['run']:>9.1f}" if row["run"] else f"{'(limit)':>9}"
                print(
                    f"{activation:<10} {'yes' if batch_norm else 'no':<4} {depth:>5} "
                    f"{width:>5} {gflops / row['matmul']:>11.1f} "
                    f"{gflops / row['backprop']:>13.1f} "
                    f"{row['matmul'] / row['backprop']:>15.2f} {run}"
                )


if __name__ == "__main__":
    main()
