"""Recurrent gradient flow: the published phenomena, parameters and the result's JSON.

BPTT itself is checked against finite differences in test_bptt.py.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from simulations.engine import recurrent
from simulations.engine.bptt import backpropagate_through_time
from simulations.engine.core import ENGINE_VERSION, ParameterError, validate
from simulations.engine.recurrent import RecurrentParams, run
from simulations.engine.recurrent_cells import (
    CELLS,
    GATES,
)

SEEDS = range(5)

SEEDS = range(5)


@pytest.mark.parametrize("kind", recurrent.MATRIX_KINDS)
@pytest.mark.parametrize("radius", [0.5, 1.0, 2.5])
def test_recurrent_matrix_has_requested_spectral_radius(kind, radius):
    matrix = recurrent.draw_recurrent_matrix(np.random.default_rng(0), 40, radius, kind)
    assert np.max(np.abs(np.linalg.eigvals(matrix))) == pytest.approx(radius, rel=1e-10)


def test_orthogonal_matrix_singular_value_equals_radius_and_gaussian_exceeds_it():
    orthogonal = run(RecurrentParams(cell="lstm", spectral_radius=0.7), seed=0)
    gaussian = run(
        RecurrentParams(cell="lstm", spectral_radius=0.7, recurrent_matrix="gaussian"), seed=0
    )
    assert orthogonal.gate_singular_values == pytest.approx([0.7] * 4, rel=1e-10)
    assert gaussian.gate_spectral_radii == pytest.approx([0.7] * 4, rel=1e-10)
    assert np.all(gaussian.gate_singular_values > 1.4 * 0.7)


# --- Published results -----------------------------------------------------------------


def per_example_norms(params: RecurrentParams, seed: int) -> tuple[np.ndarray, float]:
    """Return ||dL/dh_t^b|| as (T+1, B) for the seeded network, and its sigma_max."""
    rng = np.random.default_rng(seed)
    weights = recurrent.draw_weights(rng, params)
    inputs = params.input_scale * rng.standard_normal(
        (params.steps, params.batch_size, params.input_size)
    )
    target = rng.uniform(-1.0, 1.0, (params.batch_size, params.hidden_size))
    h0 = np.zeros_like(target)
    result = backpropagate_through_time(params.cell, weights, inputs, h0, target)
    return np.linalg.norm(result.grad_h, axis=2), float(np.linalg.norm(weights.weight_hh, 2))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("kind", "radius"), [("orthogonal", 0.95), ("orthogonal", 0.6), ("gaussian", 0.45)]
)
def test_tanh_rnn_gradient_obeys_pascanu_bound_when_singular_value_below_one(seed, kind, radius):
    # Pascanu et al. 2013: one step back multiplies dL/dh_t by diag(tanh') W_hh, and
    # |tanh'| <= 1, so ||dL/dh_{t-1}|| <= sigma_max ||dL/dh_t||: sigma_max < 1 vanishes.
    params = RecurrentParams(
        cell="rnn", steps=60, spectral_radius=radius, recurrent_matrix=kind, input_scale=0.5
    )
    norms, sigma = per_example_norms(params, seed)  # (T+1, B)
    assert sigma < 1.0
    assert np.all(norms[:-1] <= sigma * norms[1:] * (1 + 1e-12))
    distance = np.arange(params.steps, -1, -1)[:, None]  # T - t
    assert np.all(norms <= sigma**distance * norms[-1] * (1 + 1e-12))

    result = run(params, seed)
    bound = np.array(result.to_dict()["singular_value_bound"])
    assert np.all(result.grad_h_norms <= bound * (1 + 1e-12))
    assert result.grad_ratio_first_to_last < sigma**params.steps * (1 + 1e-12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("radius", [0.8, 1.0, 1.15])
def test_linear_rnn_gradient_is_exactly_geometric_with_scaled_orthogonal_matrix(seed, radius):
    # With W = rho Q, each step back multiplies every gradient row by Q^T rho: the norm
    # changes by exactly rho per step, shrinking below 1 and growing above it.
    params = RecurrentParams(cell="linear_rnn", steps=80, spectral_radius=radius)
    norms, _ = per_example_norms(params, seed)  # (T+1, B)
    distance = np.arange(params.steps, -1, -1)[:, None]
    np.testing.assert_allclose(norms, radius**distance * norms[-1], rtol=1e-10)

    result = run(params, seed)
    expected = radius ** np.arange(params.steps, -1, -1) * result.grad_h_norms[-1]
    np.testing.assert_allclose(result.grad_h_norms, expected, rtol=1e-10)
    assert result.saturated_fraction is None


@pytest.mark.parametrize("seed", SEEDS)
def test_radius_above_one_is_necessary_not_sufficient_for_exploding(seed):
    # Same radius 1.5 (= sigma_max): weak inputs keep tanh near linear and the gradient
    # grows; strong inputs saturate the units, tanh' ~ 0 and the gradient still vanishes.
    base = RecurrentParams(cell="rnn", steps=100, hidden_size=32, spectral_radius=1.5)
    weak = run(dataclasses.replace(base, input_scale=0.1), seed)
    strong = run(dataclasses.replace(base, input_scale=5.0), seed)
    assert weak.largest_singular_value == pytest.approx(1.5)
    assert weak.grad_ratio_first_to_last > 1e2
    assert strong.grad_ratio_first_to_last < 1e-10
    assert strong.saturated_fraction > 0.4 > weak.saturated_fraction


@pytest.mark.parametrize("seed", SEEDS)
def test_lstm_carries_gradient_further_back_than_tanh_rnn_of_equal_size(seed):
    # Hochreiter & Schmidhuber 1997: the cell state is carried by c_t = f c_{t-1} + ...,
    # so dL/dc_{t-1} = f dL/dc_t does not pass through W_hh or a tanh; forget bias 1.
    common = {"steps": 50, "hidden_size": 32, "spectral_radius": 0.9, "forget_bias": 1.0}
    lstm = run(RecurrentParams(cell="lstm", **common), seed)
    rnn = run(RecurrentParams(cell="rnn", **common), seed)
    assert lstm.grad_ratio_first_to_last > 1e3 * rnn.grad_ratio_first_to_last


@pytest.mark.parametrize("seed", SEEDS)
def test_larger_forget_bias_carries_lstm_gradient_further(seed):
    common = {"cell": "lstm", "steps": 50, "hidden_size": 32}
    usual = run(RecurrentParams(forget_bias=1.0, **common), seed)
    open_gate = run(RecurrentParams(forget_bias=3.0, **common), seed)
    assert open_gate.grad_ratio_first_to_last > 1e2 * usual.grad_ratio_first_to_last
    assert open_gate.grad_c_norms[0] > 1e2 * usual.grad_c_norms[0]


# --- Parameters, determinism, JSON -----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"cell": "transformer"}, "cell", "invalid_choice"),
        ({"steps": 1}, "steps", "min_value"),
        ({"steps": 201}, "steps", "max_value"),
        ({"steps": "ten"}, "steps", "invalid_type"),
        ({"hidden_size": 1}, "hidden_size", "min_value"),
        ({"hidden_size": 129}, "hidden_size", "max_value"),
        ({"input_size": 0}, "input_size", "min_value"),
        ({"input_size": 65}, "input_size", "max_value"),
        ({"batch_size": 0}, "batch_size", "min_value"),
        ({"batch_size": 65}, "batch_size", "max_value"),
        ({"spectral_radius": -0.1}, "spectral_radius", "min_value"),
        ({"spectral_radius": 3.5}, "spectral_radius", "max_value"),
        ({"spectral_radius": "nan"}, "spectral_radius", "invalid_type"),
        ({"recurrent_matrix": "uniform"}, "recurrent_matrix", "invalid_choice"),
        ({"input_scale": -1.0}, "input_scale", "min_value"),
        ({"input_scale": 6.0}, "input_scale", "max_value"),
        ({"forget_bias": -21.0}, "forget_bias", "min_value"),
        ({"forget_bias": 21.0}, "forget_bias", "max_value"),
        ({"update_bias": 21.0}, "update_bias", "max_value"),
        ({"init": "xavier"}, "init", "invalid_choice"),
        ({"loss": "mean_squared_error"}, "loss", "invalid_choice"),
        ({"forget_bias": True}, "forget_bias", "invalid_type"),
        ({"depth": 3}, "depth", "unknown"),
        (
            {"cell": "lstm", "steps": 200, "hidden_size": 128, "batch_size": 64},
            "hidden_size",
            "too_costly",
        ),
    ],
)
def test_invalid_parameter_is_reported_on_its_field(raw, field, code):
    with pytest.raises(ParameterError) as excinfo:
        validate(RecurrentParams, raw)
    assert excinfo.value.errors[field].code == code
    assert list(excinfo.value.errors) == [field]


def test_largest_allowed_run_of_each_cell_passes_cost_bound():
    for cell in CELLS:
        batch = 32 if cell in ("lstm", "gru") else 64
        validate(
            RecurrentParams,
            {"cell": cell, "steps": 200, "hidden_size": 128, "batch_size": batch, "input_size": 64},
        )


def test_query_string_values_are_coerced_and_defaults_fill_gaps():
    params = validate(RecurrentParams, {"cell": " gru ", "steps": "12", "spectral_radius": "1.1"})
    assert params == RecurrentParams(cell="gru", steps=12, spectral_radius=1.1)


def test_same_params_and_seed_give_identical_results_and_other_seeds_differ():
    params = RecurrentParams(cell="gru", steps=20)
    first, second, other = run(params, 7), run(params, 7), run(params, 8)
    assert first.to_dict() == second.to_dict()
    assert first.to_dict()["grad_h_norms"] != other.to_dict()["grad_h_norms"]


@pytest.mark.parametrize("cell", CELLS)
def test_result_serializes_to_strict_json_with_documented_keys(cell):
    params = RecurrentParams(cell=cell, steps=12, spectral_radius=2.9, input_scale=5.0)
    data = run(params, 3).to_dict()
    decoded = json.loads(json.dumps(data, allow_nan=False))
    assert decoded["simulation"] == "recurrent_gradient_flow"
    assert decoded["engine_version"] == ENGINE_VERSION
    assert decoded["seed"] == 3
    assert decoded["params"] == dataclasses.asdict(params)
    assert decoded["steps"] == list(range(13))
    assert len(decoded["grad_h_norms"]) == 13
    assert (decoded["grad_c_norms"] is None) == (cell != "lstm")
    assert (decoded["singular_value_bound"] is None) == (cell in ("lstm", "gru"))
    assert len(decoded["recurrent_matrices"]) == len(GATES[cell])
    if cell == "linear_rnn":
        assert decoded["saturated_fraction"] is None
    else:
        assert len(decoded["saturated_fraction_per_step"]) == 12
        assert 0.0 <= decoded["saturated_fraction"] <= 1.0


def test_non_finite_numbers_become_null_in_json():
    result = run(RecurrentParams(steps=3), 0)
    broken = dataclasses.replace(
        result, loss=float("inf"), grad_h_norms=np.array([np.nan, 1.0, np.inf, 0.0])
    )
    data = broken.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["loss"] is None
    assert data["grad_h_norms"] == [None, 1.0, None, 0.0]
    assert data["grad_ratio_first_to_last"] is None


def test_extreme_allowed_run_emits_no_warnings(recwarn):
    run(
        RecurrentParams(
            cell="linear_rnn",
            steps=200,
            spectral_radius=3.0,
            recurrent_matrix="gaussian",
            input_scale=5.0,
        ),
        0,
    )
    run(RecurrentParams(spectral_radius=0.0), 0)
    assert len(recwarn) == 0


def test_simulation_is_declared_with_its_slug_and_run():
    assert recurrent.SIMULATION.slug == "recurrent_gradient_flow"
    assert recurrent.SIMULATION.params_cls is RecurrentParams
    assert recurrent.SIMULATION.run is run
