"""Recurrent BPTT against torch autograd in float64: same weights, same numbers."""

from __future__ import annotations

import numpy as np
import pytest

from simulations.engine.bptt import backpropagate_through_time
from simulations.engine.recurrent_cells import (
    CELLS,
    GATES,
    RecurrentWeights,
)

torch = pytest.importorskip("torch")

MODULES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
CELL_MODULES = {"rnn": "RNNCell", "lstm": "LSTMCell", "gru": "GRUCell"}
PARAMETERS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def make_case(
    cell: str, seed: int, steps: int = 7, batch: int = 4, hidden: int = 5, inputs: int = 3
) -> dict:
    rng = np.random.default_rng(seed)
    width = len(GATES[cell]) * hidden
    return {
        "cell": cell,
        "weights": RecurrentWeights(
            weight_ih=rng.normal(0.0, 0.8, (width, inputs)),
            weight_hh=rng.normal(0.0, 0.8, (width, hidden)),
            bias_ih=rng.normal(0.0, 0.5, width),
            bias_hh=rng.normal(0.0, 0.5, width),
        ),
        "inputs": rng.normal(0.0, 1.0, (steps, batch, inputs)),
        "h0": rng.normal(0.0, 0.5, (batch, hidden)),
        "target": rng.uniform(-1.0, 1.0, (batch, hidden)),
        "c0": rng.normal(0.0, 0.5, (batch, hidden)) if cell == "lstm" else None,
    }


def tensor(array: np.ndarray, grad: bool = False):
    return torch.tensor(array, dtype=torch.float64, requires_grad=grad)


def half_mean_squared_error(h_last, target):
    return 0.5 * ((h_last - target) ** 2).sum(dim=1).mean()


def assert_close(ours: np.ndarray, theirs, name: str) -> None:
    theirs = theirs.detach().numpy()
    error = np.linalg.norm(ours - theirs) / max(np.linalg.norm(theirs), 1e-300)
    assert error < 1e-10, (name, error)


def load_weights(module, case: dict, suffix: str = "") -> None:
    with torch.no_grad():
        for name in PARAMETERS:
            getattr(module, name + suffix).copy_(tensor(getattr(case["weights"], name)))


@pytest.mark.parametrize("cell", list(MODULES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_loss_and_all_gradients_match_torch_recurrent_module(cell, seed):
    case = make_case(cell, seed)
    ours = backpropagate_through_time(**case)
    hidden, inputs = case["h0"].shape[1], case["inputs"].shape[2]
    module = getattr(torch.nn, MODULES[cell])(inputs, hidden, dtype=torch.float64)
    load_weights(module, case, suffix="_l0")
    h0 = tensor(case["h0"][None], grad=True)  # (1, B, H): torch's (layers, B, H)
    if cell == "lstm":
        c0 = tensor(case["c0"][None], grad=True)
        output, _ = module(tensor(case["inputs"]), (h0, c0))
    else:
        output, _ = module(tensor(case["inputs"]), h0)
    loss = half_mean_squared_error(output[-1], tensor(case["target"]))
    loss.backward()

    assert ours.loss == pytest.approx(loss.item(), rel=1e-12)
    for name in PARAMETERS:
        assert_close(ours.grads[name], getattr(module, name + "_l0").grad, name)
    assert_close(ours.grads["h0"], h0.grad[0], "h0")
    if cell == "lstm":
        assert_close(ours.grads["c0"], c0.grad[0], "c0")


@pytest.mark.parametrize("cell", list(CELL_MODULES))
def test_gradient_reaching_every_state_matches_torch_cell_unrolled(cell):
    # Unroll torch's cell by hand and keep each state's .grad: the total dL/dh_t (and
    # dL/dc_t, which for the LSTM includes the path through h_t = o_t tanh(c_t)).
    case = make_case(cell, seed=5)
    ours = backpropagate_through_time(**case)
    module = getattr(torch.nn, CELL_MODULES[cell])(
        case["inputs"].shape[2], case["h0"].shape[1], dtype=torch.float64
    )
    load_weights(module, case)
    hs = [tensor(case["h0"], grad=True)]
    cs = [tensor(case["c0"], grad=True)] if cell == "lstm" else []
    for x in tensor(case["inputs"]):
        if cell == "lstm":
            h, c = module(x, (hs[-1], cs[-1]))
            c.retain_grad()
            cs.append(c)
        else:
            h = module(x, hs[-1])
        h.retain_grad()
        hs.append(h)
    half_mean_squared_error(hs[-1], tensor(case["target"])).backward()

    for t, h in enumerate(hs):
        assert_close(ours.grad_h[t], h.grad, f"h_{t}")
    for t, c in enumerate(cs):
        assert_close(ours.grad_c[t], c.grad, f"c_{t}")


def test_linear_rnn_matches_handwritten_torch_recurrence():
    assert "linear_rnn" in CELLS
    case = make_case("linear_rnn", seed=6)
    ours = backpropagate_through_time(**case)
    params = {name: tensor(getattr(case["weights"], name), grad=True) for name in PARAMETERS}
    hs = [tensor(case["h0"], grad=True)]
    for x in tensor(case["inputs"]):
        h = (
            x @ params["weight_ih"].T
            + params["bias_ih"]
            + hs[-1] @ params["weight_hh"].T
            + params["bias_hh"]
        )
        h.retain_grad()
        hs.append(h)
    loss = half_mean_squared_error(hs[-1], tensor(case["target"]))
    loss.backward()

    assert ours.loss == pytest.approx(loss.item(), rel=1e-12)
    for name, value in params.items():
        assert_close(ours.grads[name], value.grad, name)
    for t, h in enumerate(hs):
        assert_close(ours.grad_h[t], h.grad, f"h_{t}")
