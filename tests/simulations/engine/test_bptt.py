"""Backpropagation through time against central finite differences, for every cell."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simulations.engine.bptt import backpropagate_through_time
from simulations.engine.recurrent_cells import (
    CELLS,
    GATES,
    RecurrentWeights,
)

SEEDS = range(5)


def make_case(
    cell: str, seed: int, steps: int = 4, batch: int = 3, hidden: int = 3, inputs: int = 2
) -> dict:
    """Return random weights, inputs, states and target, large enough to bend every tanh."""
    rng = np.random.default_rng(seed)
    width = len(GATES[cell]) * hidden
    weights = RecurrentWeights(
        weight_ih=rng.normal(0.0, 0.8, (width, inputs)),
        weight_hh=rng.normal(0.0, 0.8, (width, hidden)),
        bias_ih=rng.normal(0.0, 0.5, width),
        bias_hh=rng.normal(0.0, 0.5, width),
    )
    return {
        "cell": cell,
        "weights": weights,
        "inputs": rng.normal(0.0, 1.0, (steps, batch, inputs)),
        "h0": rng.normal(0.0, 0.5, (batch, hidden)),
        "target": rng.uniform(-1.0, 1.0, (batch, hidden)),
        "c0": rng.normal(0.0, 0.5, (batch, hidden)) if cell == "lstm" else None,
    }


def loss_of(case: dict) -> float:
    return backpropagate_through_time(**case).loss


def perturbed(case: dict, name: str, index: tuple, delta: float) -> dict:
    """Return a copy of the case with one entry of a weight or initial state moved."""
    if name in ("h0", "c0"):
        array = case[name].copy()
        array[index] += delta
        return {**case, name: array}
    array = getattr(case["weights"], name).copy()
    array[index] += delta
    return {**case, "weights": dataclasses.replace(case["weights"], **{name: array})}


def finite_difference(case: dict, name: str, eps: float = 1e-6) -> np.ndarray:
    """Return the central-difference gradient of the loss for every entry of ``name``."""
    shape = case[name].shape if name in ("h0", "c0") else getattr(case["weights"], name).shape
    grad = np.empty(shape)
    for index in np.ndindex(shape):
        up = loss_of(perturbed(case, name, index, eps))
        down = loss_of(perturbed(case, name, index, -eps))
        grad[index] = (up - down) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300))


# --- BPTT against central finite differences -------------------------------------------


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("seed", [0, 1])
def test_bptt_matches_finite_differences_for_every_parameter_and_initial_state(cell, seed):
    case = make_case(cell, seed)
    result = backpropagate_through_time(**case)
    names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "h0"] + (
        ["c0"] if cell == "lstm" else []
    )
    assert sorted(result.grads) == sorted(names)
    for name in names:
        error = relative_error(result.grads[name], finite_difference(case, name))
        assert error < 1e-6, (name, error)


@pytest.mark.parametrize("cell", CELLS)
def test_gradient_reaching_each_intermediate_state_matches_finite_differences(cell):
    # dL/dh_t is the initial-state gradient of the same cell run from h_t over the rest
    # of the inputs, which finite differences can check without reaching into the loop.
    case = make_case(cell, seed=3, steps=6)
    result = backpropagate_through_time(**case)
    for t in (1, 3, 5):
        suffix = {**case, "inputs": case["inputs"][t:], "h0": result.hidden[t]}
        if cell == "lstm":
            suffix["c0"] = result.cell_state[t]
            expected = lstm_cell_state_finite_difference(suffix)
            assert relative_error(result.grad_c[t], expected) < 1e-6
        assert relative_error(result.grad_h[t], finite_difference(suffix, "h0")) < 1e-6


def lstm_cell_state_finite_difference(suffix: dict, eps: float = 1e-6) -> np.ndarray:
    """Return the total dL/dc_t: moving c_t also moves h_t = o_t tanh(c_t), o_t held."""
    output_gate = suffix["h0"] / np.tanh(suffix["c0"])  # (B, H): o_t
    grad = np.empty_like(suffix["c0"])
    for index in np.ndindex(grad.shape):
        losses = []
        for delta in (eps, -eps):
            c = suffix["c0"].copy()
            c[index] += delta
            losses.append(loss_of({**suffix, "c0": c, "h0": output_gate * np.tanh(c)}))
        grad[index] = (losses[0] - losses[1]) / (2 * eps)
    return grad


def test_loss_is_half_squared_error_of_last_state_averaged_over_batch():
    case = make_case("gru", seed=4)
    result = backpropagate_through_time(**case)
    expected = 0.5 * np.mean(np.sum((result.hidden[-1] - case["target"]) ** 2, axis=1))
    assert result.loss == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(result.grad_h[-1], (result.hidden[-1] - case["target"]) / 3)


# --- The recurrent matrix --------------------------------------------------------------
