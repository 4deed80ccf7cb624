"""Recurrent cells (tanh, sigmoid and linear RNN, LSTM, GRU): one step forward and back.

Pure numpy, float64, vectorized over the batch; the only Python loop is over time.
Gate equations and weight layout are those of ``torch.nn.RNN``, ``LSTM`` and ``GRU``
(one layer; torch has no sigmoid RNN, whose test builds it from torch operations), so a
test can load the same arrays into torch and compare:

    weight_ih (G*H, I)   weight_hh (G*H, H)   bias_ih (G*H,)   bias_hh (G*H,)

with G gates stacked in torch's order: ``rnn`` and ``linear_rnn`` 1; ``lstm`` 4
(i, f, g, o); ``gru`` 3 (r, z, n). With a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh:

    rnn         h_t = tanh(a_t)
    sigmoid_rnn h_t = sigmoid(a_t)
    linear_rnn  h_t = a_t
    lstm        i, f, o = sigmoid(a_t[i, f, o]);  g = tanh(a_t[g])
                c_t = f * c_{t-1} + i * g;        h_t = o * tanh(c_t)
    gru         r, z = sigmoid(a_t[r, z])
                n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn))   (torch's variant)
                h_t = (1 - z) * n + z * h_{t-1}

Backpropagation through all the steps is in :mod:`.bptt`. Its loss looks at the last
step only: L = 1/(2B) * sum_b ||h_T^b - y^b||^2 (half the squared error, summed over
units, averaged over the B batch rows), or, given a probe g (B, H),
L = sum_b <g_b, h_T^b>, whose dL/dh_T = g is not divided by B (see :mod:`.losses`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

GATES: dict[str, tuple[str, ...]] = {
    "rnn": ("h",),
    "linear_rnn": ("h",),
    "lstm": ("i", "f", "g", "o"),
    "gru": ("r", "z", "n"),
    "sigmoid_rnn": ("h",),
}
CELLS = tuple(GATES)


@dataclasses.dataclass(frozen=True)
class RecurrentWeights:
    """The parameters of one recurrent layer, in torch's layout (see the module doc)."""

    weight_ih: np.ndarray  # (G*H, I)
    weight_hh: np.ndarray  # (G*H, H)
    bias_ih: np.ndarray  # (G*H,)
    bias_hh: np.ndarray  # (G*H,)

    def as_dict(self) -> dict[str, np.ndarray]:
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}


class _Step(NamedTuple):
    h: np.ndarray  # (B, H)
    c: np.ndarray | None  # (B, H), lstm only
    cache: tuple  # what the backward step needs
    tanh: tuple[np.ndarray, ...]  # tanh outputs of this step, each (B, H)


class _StepGrads(NamedTuple):
    d_input: np.ndarray  # (B, G*H): dL/d(W_ih x_t + b_ih)
    d_recurrent: np.ndarray  # (B, G*H): dL/d(W_hh h_{t-1} + b_hh)
    dh_direct: np.ndarray | float  # (B, H): dL/dh_{t-1} not through W_hh (gru's z path)
    dc: np.ndarray | None  # (B, H): total dL/dc_t (lstm)
    dc_prev: np.ndarray | None  # (B, H): dL/dc_{t-1} (lstm)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Return the logistic function, written with tanh so no exp can overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _split(a: np.ndarray, parts: int) -> list[np.ndarray]:
    return np.split(a, parts, axis=-1)


def _forward_rnn(w: RecurrentWeights, x_in: np.ndarray, h: np.ndarray, c: None) -> _Step:
    h_new = np.tanh(x_in + h @ w.weight_hh.T + w.bias_hh)  # (B, H)
    return _Step(h_new, None, (h_new,), (h_new,))


def _backward_rnn(w: RecurrentWeights, cache: tuple, dh: np.ndarray, dc: None) -> _StepGrads:
    (h_new,) = cache
    da = dh * (1.0 - h_new**2)  # (B, H)
    return _StepGrads(da, da, 0.0, None, None)


def _forward_sigmoid_rnn(w: RecurrentWeights, x_in: np.ndarray, h: np.ndarray, c: None) -> _Step:
    h_new = sigmoid(x_in + h @ w.weight_hh.T + w.bias_hh)  # (B, H)
    return _Step(h_new, None, (h_new,), (2.0 * h_new - 1.0,))


def _backward_sigmoid_rnn(
    w: RecurrentWeights, cache: tuple, dh: np.ndarray, dc: None
) -> _StepGrads:
    (h_new,) = cache
    da = dh * h_new * (1.0 - h_new)  # (B, H): sigmoid' = h (1 - h)
    return _StepGrads(da, da, 0.0, None, None)


def _forward_linear(w: RecurrentWeights, x_in: np.ndarray, h: np.ndarray, c: None) -> _Step:
    h_new = x_in + h @ w.weight_hh.T + w.bias_hh  # (B, H)
    return _Step(h_new, None, (), ())


def _backward_linear(w: RecurrentWeights, cache: tuple, dh: np.ndarray, dc: None) -> _StepGrads:
    return _StepGrads(dh, dh, 0.0, None, None)


def _forward_lstm(w: RecurrentWeights, x_in: np.ndarray, h: np.ndarray, c: np.ndarray) -> _Step:
    a_i, a_f, a_g, a_o = _split(x_in + h @ w.weight_hh.T + w.bias_hh, 4)  # each (B, H)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c_new = f * c + i * g
    tanh_c = np.tanh(c_new)
    return _Step(o * tanh_c, c_new, (i, f, g, o, c, tanh_c), (g, tanh_c))


def _backward_lstm(
    w: RecurrentWeights, cache: tuple, dh: np.ndarray, dc_next: np.ndarray
) -> _StepGrads:
    i, f, g, o, c_prev, tanh_c = cache
    # c_t feeds h_t and c_{t+1}; dc_next already carries the second path (f_{t+1} dc_{t+1}).
    dc = dc_next + dh * o * (1.0 - tanh_c**2)
    da = np.concatenate(
        [
            dc * g * i * (1.0 - i),
            dc * c_prev * f * (1.0 - f),
            dc * i * (1.0 - g**2),
            dh * tanh_c * o * (1.0 - o),
        ],
        axis=-1,
    )  # (B, 4H)
    return _StepGrads(da, da, 0.0, dc, dc * f)


def _forward_gru(w: RecurrentWeights, x_in: np.ndarray, h: np.ndarray, c: None) -> _Step:
    x_r, x_z, x_n = _split(x_in, 3)
    h_r, h_z, h_n = _split(h @ w.weight_hh.T + w.bias_hh, 3)  # each (B, H)
    r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    n = np.tanh(x_n + r * h_n)
    return _Step(n + z * (h - n), None, (r, z, n, h_n, h), (n,))


def _backward_gru(w: RecurrentWeights, cache: tuple, dh: np.ndarray, dc: None) -> _StepGrads:
    r, z, n, h_n, h_prev = cache
    da_n = dh * (1.0 - z) * (1.0 - n**2)  # (B, H): dL/d(pre-tanh of n)
    da_r = da_n * h_n * r * (1.0 - r)
    da_z = dh * (h_prev - n) * z * (1.0 - z)
    d_input = np.concatenate([da_r, da_z, da_n], axis=-1)  # (B, 3H)
    # r multiplies W_hn h + b_hn, so that block's gradient is scaled by r.
    d_recurrent = np.concatenate([da_r, da_z, da_n * r], axis=-1)
    return _StepGrads(d_input, d_recurrent, dh * z, None, None)


_CELL_STEPS: dict[str, tuple[Callable[..., _Step], Callable[..., _StepGrads]]] = {
    "rnn": (_forward_rnn, _backward_rnn),
    "linear_rnn": (_forward_linear, _backward_linear),
    "lstm": (_forward_lstm, _backward_lstm),
    "gru": (_forward_gru, _backward_gru),
    "sigmoid_rnn": (_forward_sigmoid_rnn, _backward_sigmoid_rnn),
}
