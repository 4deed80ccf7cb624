"""Recurrent cells (tanh, sigmoid and linear RNN, LSTM, GRU) and backpropagation through time.

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

The loss looks at the last step only: L = 1/(2B) * sum_b ||h_T^b - y^b||^2 (half the
squared error, summed over units, averaged over the B batch rows), or, given a probe g
(B, H), L = sum_b <g_b, h_T^b>, whose dL/dh_T = g is not divided by B (see :mod:`.losses`).
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


@dataclasses.dataclass(frozen=True)
class BPTTResult:
    """Loss, parameter gradients and the gradient reaching every state, from one pass.

    ``grads`` holds ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``, ``h0``
    (and ``c0`` for the LSTM). ``grad_h[t]`` is the total derivative dL/dh_t through
    everything downstream of h_t, for t = 0 (the initial state) .. T; likewise
    ``grad_c[t]`` = dL/dc_t for the LSTM (total too: through c_{t+1} and through
    h_t = o_t tanh(c_t); c_0 only through c_1), with the states c_t in ``cell_state``.
    ``tanh_outputs[t - 1]`` holds the values of every tanh unit of step t (rnn: h_t;
    lstm: g_t and tanh(c_t); gru: n_t; sigmoid_rnn: 2 h_t - 1 = tanh(a_t / 2), saturated
    exactly when sigmoid' is as small, relative to its peak; none for linear_rnn), for
    saturation statistics.
    """

    loss: float
    grads: dict[str, np.ndarray]
    hidden: np.ndarray  # (T+1, B, H): h_0 .. h_T
    cell_state: np.ndarray | None  # (T+1, B, H): c_0 .. c_T, lstm only
    grad_h: np.ndarray  # (T+1, B, H)
    grad_c: np.ndarray | None  # (T+1, B, H), lstm only
    tanh_outputs: np.ndarray  # (T, B, K), K = 0 for linear_rnn


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


def backpropagate_through_time(
    cell: str,
    weights: RecurrentWeights,
    inputs: np.ndarray,
    h0: np.ndarray,
    target: np.ndarray,
    c0: np.ndarray | None = None,
    probe: np.ndarray | None = None,
) -> BPTTResult:
    """Run the cell over ``inputs`` (T, B, I) from ``h0`` (B, H) and backpropagate the
    last-step loss against ``target`` (B, H), keeping the gradient of every state.

    Take explicit weights and states (no seed), so tests can feed the same numbers to
    an independent implementation. ``c0`` is the LSTM's initial cell state (zeros when
    omitted) and is ignored by the other cells. ``probe`` (B, H) replaces the loss by
    L = sum_b <probe_b, h_T^b> (``target`` is then unused).
    """
    forward_step, backward_step = _CELL_STEPS[cell]
    steps, batch = inputs.shape[:2]
    is_lstm = cell == "lstm"
    if is_lstm and c0 is None:
        c0 = np.zeros_like(h0)

    # The input projection does not depend on the state: one matmul for all steps.
    x_in = inputs @ weights.weight_ih.T + weights.bias_ih  # (T, B, G*H)
    hs, cs, caches, tanh_outputs = [h0], [c0 if is_lstm else None], [], []
    for t in range(steps):
        step = forward_step(weights, x_in[t], hs[-1], cs[-1])
        hs.append(step.h)
        cs.append(step.c)
        caches.append(step.cache)
        tanh_outputs.append(np.concatenate(step.tanh, axis=-1) if step.tanh else h0[:, :0])
    hidden = np.stack(hs)  # (T+1, B, H)

    grad_h = np.empty_like(hidden)
    if probe is None:
        residual = hidden[-1] - target  # (B, H)
        loss = 0.5 * float(np.sum(residual**2)) / batch
        grad_h[steps] = residual / batch
    else:
        loss, grad_h[steps] = float(np.vdot(probe, hidden[-1])), probe
    grad_c = np.empty_like(hidden) if is_lstm else None
    dc_carry = np.zeros_like(h0) if is_lstm else None  # no c_{T+1}: nothing carried into c_T
    d_input = np.empty_like(x_in)  # (T, B, G*H)
    d_recurrent = np.empty_like(x_in)
    # Array index t-1 holds step t, which mapped (x_t, h_{t-1}) to h_t. Walking t = T..1
    # turns the total dL/dh_t (complete, since only step t+1 reads h_t) into dL/dh_{t-1}.
    for t in range(steps, 0, -1):
        grads = backward_step(weights, caches[t - 1], grad_h[t], dc_carry)
        d_input[t - 1], d_recurrent[t - 1] = grads.d_input, grads.d_recurrent
        grad_h[t - 1] = grads.dh_direct + grads.d_recurrent @ weights.weight_hh
        if is_lstm:
            grad_c[t], dc_carry = grads.dc, grads.dc_prev
    if is_lstm:
        grad_c[0] = dc_carry  # c_0 feeds only c_1

    param_grads = {
        "weight_ih": np.tensordot(d_input, inputs, axes=([0, 1], [0, 1])),  # (G*H, I)
        "weight_hh": np.tensordot(d_recurrent, hidden[:-1], axes=([0, 1], [0, 1])),
        "bias_ih": d_input.sum(axis=(0, 1)),
        "bias_hh": d_recurrent.sum(axis=(0, 1)),
        "h0": grad_h[0],
    }
    if is_lstm:
        param_grads["c0"] = grad_c[0]
    return BPTTResult(
        loss=loss,
        grads=param_grads,
        hidden=hidden,
        cell_state=np.stack(cs) if is_lstm else None,
        grad_h=grad_h,
        grad_c=grad_c,
        tanh_outputs=np.stack(tanh_outputs),
    )
