"""Wall time of the engine's backward pass against its forward pass, side by side.

Lesson 18.5 states the cost of a backward pass in counted floating-point operations of
the matrix products (simulations.engine.reverse_mode: twice the forward pass's in every
layer but the first, which needs no gradient with respect to the data). The engine's
simulations.engine.network.backward does compute that input gradient too, so its
products are exactly twice the forward pass's ("flops: 2" below). This script measures
what the clock says for those passes (tanh, no batch norm), interleaved in one process
so that the machine's load affects both alike, and prints the median time of each and
their ratio.

    python benchmarks/backward_forward_time.py
    python benchmarks/backward_forward_time.py --threads 1
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

from _blas import describe_blas, set_blas_threads  # noqa: E402

from simulations.engine.network import backward, build_network, forward  # noqa: E402

SHAPES = [(4, 64, 32), (10, 256, 64), (30, 512, 128), (60, 128, 512)]  # depth, width, batch


def measure(depth: int, width: int, batch: int, repeats: int) -> tuple[float, float]:
    """Return the median seconds of one forward and of one backward pass."""
    rng = np.random.default_rng(0)
    sizes = [width] * (depth + 1) + [1]
    weights, biases = build_network(rng, sizes, init="glorot_normal", init_std=1.0,
                                    batch_norm=False)
    inputs = rng.standard_normal((batch, width))
    targets = rng.standard_normal((batch, 1))
    forward_times, backward_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        passed = forward(weights, biases, inputs, activation="tanh")
        middle = time.perf_counter()
        backward(passed, weights, biases, targets, activation="tanh")
        end = time.perf_counter()
        forward_times.append(middle - start)
        backward_times.append(end - middle)
    return statistics.median(forward_times), statistics.median(backward_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--threads", type=int, help="BLAS threads (default: as loaded)")
    args = parser.parse_args()
    if args.threads and not set_blas_threads(args.threads):
        sys.exit("cannot set numpy's BLAS threads; set OPENBLAS_NUM_THREADS instead")
    blas = describe_blas()
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}, {len(os.sched_getaffinity(0))} cores, "
          f"BLAS {blas['library']} {blas['threads']} threads, "
          f"load average {os.getloadavg()[0]:.2f}; median of {args.repeats}\n")
    print(f"{'depth':>5} {'width':>5} {'batch':>5} {'forward ms':>10} {'backward ms':>11} "
          f"{'backward/forward':>16}  (flops of these passes: 2)")
    for depth, width, batch in SHAPES:
        forward_s, backward_s = measure(depth, width, batch, args.repeats)
        print(f"{depth:>5} {width:>5} {batch:>5} {1e3 * forward_s:>10.3f} "
              f"{1e3 * backward_s:>11.3f} {backward_s / forward_s:>16.2f}")


if __name__ == "__main__":
    main()
