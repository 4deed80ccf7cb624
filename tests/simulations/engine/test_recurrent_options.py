"""The recurrent simulation's sigmoid RNN, PyTorch-default init, gate biases and probe
loss, against torch autograd and closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from simulations.engine.bptt import backpropagate_through_time
from simulations.engine.core import validate
from simulations.engine.recurrent import RecurrentParams, rms_norms, run
from simulations.engine.recurrent_cells import GATES
from simulations.engine.recurrent_weights import draw_weights

torch = pytest.importorskip("torch")

PARAMETERS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def assert_close(ours: np.ndarray, theirs, name: str) -> None:
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else theirs
    error = np.linalg.norm(ours - theirs) / max(np.linalg.norm(theirs), 1e-300)
    assert error < 1e-10, (name, error)


def make_case(seed: int, cell: str = "sigmoid_rnn", steps=6, batch=4, hidden=5, inputs=3):
    rng = np.random.default_rng(seed)
    params = validate(
        RecurrentParams,
        {"cell": cell, "hidden_size": hidden, "input_size": inputs, "init": "pytorch_default"},
    )
    return {
        "cell": cell,
        "weights": draw_weights(rng, params),
        "inputs": rng.normal(0.0, 1.0, (steps, batch, inputs)),
        "h0": rng.normal(0.0, 0.5, (batch, hidden)),
        "target": rng.uniform(-1.0, 1.0, (batch, hidden)),
    }


@pytest.mark.parametrize("probe", [False, True])
def test_sigmoid_rnn_matches_handwritten_torch_recurrence(probe):
    case = make_case(3)
    g = np.random.default_rng(9).standard_normal(case["h0"].shape) if probe else None
    ours = backpropagate_through_time(**case, probe=g)
    params = {
        name: torch.tensor(getattr(case["weights"], name), requires_grad=True)
        for name in PARAMETERS
    }
    hs = [torch.tensor(case["h0"], requires_grad=True)]
    for x in torch.tensor(case["inputs"]):
        a = x @ params["weight_ih"].T + params["bias_ih"]
        h = torch.sigmoid(a + hs[-1] @ params["weight_hh"].T + params["bias_hh"])
        h.retain_grad()
        hs.append(h)
    if probe:
        loss = (torch.tensor(g) * hs[-1]).sum()
    else:
        loss = 0.5 * ((hs[-1] - torch.tensor(case["target"])) ** 2).sum(dim=1).mean()
    loss.backward()
    assert ours.loss == pytest.approx(loss.item(), rel=1e-12)
    for name, value in params.items():
        assert_close(ours.grads[name], value.grad, name)
    for t, h in enumerate(hs):
        assert_close(ours.grad_h[t], h.grad, f"h_{t}")


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru", "sigmoid_rnn"])
def test_pytorch_default_draws_every_parameter_within_one_over_sqrt_hidden(cell):
    params = validate(
        RecurrentParams,
        {"cell": cell, "hidden_size": 64, "init": "pytorch_default", "forget_bias": 0.0},
    )
    weights = draw_weights(np.random.default_rng(0), params)
    bound = 1 / np.sqrt(64)
    rows = len(GATES[cell]) * 64
    assert weights.weight_ih.shape == (rows, params.input_size)
    everything = np.concatenate([getattr(weights, name).ravel() for name in PARAMETERS])
    assert np.abs(everything).max() <= bound
    assert everything.var() == pytest.approx(bound**2 / 3, rel=0.05)  # Var U(-a, a) = a^2/3
    assert np.abs(weights.bias_hh).max() > 0.9 * bound  # biases drawn, not zero


def test_pytorch_default_matches_torch_modules_distribution_and_layout():
    """torch.nn.LSTM's parameters have the same shapes and the same bound."""
    module = torch.nn.LSTM(8, 16)
    params = validate(
        RecurrentParams,
        {
            "cell": "lstm",
            "hidden_size": 16,
            "input_size": 8,
            "init": "pytorch_default",
            "forget_bias": 0.0,
        },
    )
    weights = draw_weights(np.random.default_rng(0), params)
    for name in PARAMETERS:
        theirs = getattr(module, name + "_l0").detach().numpy()
        assert getattr(weights, name).shape == theirs.shape
        assert np.abs(theirs).max() <= 1 / 4 and np.abs(getattr(weights, name)).max() <= 1 / 4


@pytest.mark.parametrize("init", ["scaled", "pytorch_default"])
def test_forget_and_update_biases_are_added_to_their_gate_block_only(init):
    base = {"hidden_size": 8, "init": init}
    for cell, name, gate in (("lstm", "forget_bias", 1), ("gru", "update_bias", 1)):
        plain = draw_weights(
            np.random.default_rng(4), validate(RecurrentParams, base | {"cell": cell, name: 0.0})
        )
        raised = draw_weights(
            np.random.default_rng(4), validate(RecurrentParams, base | {"cell": cell, name: 20.0})
        )
        difference = (raised.bias_ih - plain.bias_ih).reshape(len(GATES[cell]), 8)
        expected = np.zeros_like(difference)
        expected[gate] = 20.0
        np.testing.assert_allclose(difference, expected, atol=1e-12)
        np.testing.assert_array_equal(raised.weight_hh, plain.weight_hh)


def test_gru_update_bias_keeps_the_state_and_carries_the_gradient():
    """z = sigmoid(a_z + b) near 1 makes h_t ~ h_{t-1}: dL/dh_t passes nearly unchanged."""
    common = {"cell": "gru", "steps": 50, "hidden_size": 32}
    usual = run(validate(RecurrentParams, common), 0)
    held = run(validate(RecurrentParams, common | {"update_bias": 10.0}), 0)
    assert held.grad_ratio_first_to_last > 0.9
    assert held.grad_ratio_first_to_last > 1e3 * usual.grad_ratio_first_to_last


def test_forget_bias_of_twenty_is_allowed_and_keeps_the_cell_gradient():
    params = validate(RecurrentParams, {"cell": "lstm", "forget_bias": 20.0, "steps": 100})
    result = run(params, 1)
    assert result.grad_c_norms[0] / result.grad_c_norms[-1] > 0.5


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru", "sigmoid_rnn"])
def test_norm_definitions_for_both_losses(cell):
    """grad_h_norms is the per-example RMS; grad_h_batch_norms is ||dL/dh_t||_F."""
    for loss, scale in (("half_squared_error", 8), ("probe", 1)):
        params = validate(
            RecurrentParams, {"cell": cell, "batch_size": 8, "steps": 10, "loss": loss}
        )
        result = run(params, 2)
        rng = np.random.default_rng(2)
        weights = draw_weights(rng, params)
        inputs = params.input_scale * rng.standard_normal((10, 8, params.input_size))
        target = rng.uniform(-1.0, 1.0, (8, params.hidden_size))
        probe = None
        if loss == "probe":
            probe = rng.standard_normal(target.shape) / np.sqrt(params.hidden_size)
        h0 = np.zeros_like(target)
        bptt = backpropagate_through_time(cell, weights, inputs, h0, target, probe=probe)
        per_example = scale * np.sqrt(np.mean(np.sum(bptt.grad_h**2, axis=2), axis=1))
        np.testing.assert_allclose(result.grad_h_norms, per_example, rtol=1e-12)
        frobenius = np.sqrt(np.sum(bptt.grad_h**2, axis=(1, 2)))
        np.testing.assert_allclose(result.grad_h_batch_norms, frobenius, rtol=1e-12)
        assert result.to_dict()["loss_convention"] == loss
    np.testing.assert_allclose(rms_norms(bptt.grad_h, 1.0)[-1], 1.0, rtol=0.5)


def test_sigmoid_rnn_respects_its_quarter_slope_bound():
    """|sigmoid'| <= 1/4: the per-step bound is (sigma_max / 4)^(T - t) ||dL/dh_T||."""
    result = run(validate(RecurrentParams, {"cell": "sigmoid_rnn", "spectral_radius": 2.0}), 0)
    bound = result.singular_value_bound()
    assert np.all(result.grad_h_norms <= bound * (1 + 1e-9))
    assert result.grad_ratio_first_to_last < 0.5**49
