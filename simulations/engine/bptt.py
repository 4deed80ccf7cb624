"""Backpropagation through time: run a cell of :mod:`.recurrent_cells` over every step,
then walk the gradient back from the last step's loss to the initial state.

Pure numpy, float64, vectorized over the batch; the only Python loop is over time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .recurrent_cells import _CELL_STEPS, RecurrentWeights, _Step, _StepGrads


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


class _Forward(NamedTuple):
    x_in: np.ndarray  # (T, B, G*H): W_ih x_t + b_ih for every step
    hidden: np.ndarray  # (T+1, B, H): h_0 .. h_T
    cell_state: np.ndarray | None  # (T+1, B, H): c_0 .. c_T, lstm only
    caches: list[tuple]  # caches[t - 1]: what the backward step t needs
    tanh_outputs: np.ndarray  # (T, B, K)


class _Backward(NamedTuple):
    grad_h: np.ndarray  # (T+1, B, H)
    grad_c: np.ndarray | None  # (T+1, B, H), lstm only
    d_input: np.ndarray  # (T, B, G*H)
    d_recurrent: np.ndarray  # (T, B, G*H)


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
    if cell == "lstm" and c0 is None:
        c0 = np.zeros_like(h0)
    forward = _run_forward(forward_step, weights, inputs, h0, c0 if cell == "lstm" else None)
    batch = inputs.shape[1]
    if probe is None:
        residual = forward.hidden[-1] - target  # (B, H)
        loss = 0.5 * float(np.sum(residual**2)) / batch
        grad_last = residual / batch
    else:
        loss, grad_last = float(np.vdot(probe, forward.hidden[-1])), probe
    backward = _run_backward(backward_step, weights, forward, grad_last)
    return BPTTResult(
        loss=loss,
        grads=_parameter_gradients(inputs, forward, backward),
        hidden=forward.hidden,
        cell_state=forward.cell_state,
        grad_h=backward.grad_h,
        grad_c=backward.grad_c,
        tanh_outputs=forward.tanh_outputs,
    )


def _run_forward(
    forward_step: Callable[..., _Step],
    weights: RecurrentWeights,
    inputs: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray | None,
) -> _Forward:
    """Run the cell over every step, keeping the states and what backward needs."""
    # The input projection does not depend on the state: one matmul for all steps.
    x_in = inputs @ weights.weight_ih.T + weights.bias_ih  # (T, B, G*H)
    hs, cs, caches, tanh_outputs = [h0], [c0], [], []
    for t in range(inputs.shape[0]):
        step = forward_step(weights, x_in[t], hs[-1], cs[-1])
        hs.append(step.h)
        cs.append(step.c)
        caches.append(step.cache)
        tanh_outputs.append(np.concatenate(step.tanh, axis=-1) if step.tanh else h0[:, :0])
    cell_state = None if c0 is None else np.stack(cs)
    return _Forward(x_in, np.stack(hs), cell_state, caches, np.stack(tanh_outputs))


def _run_backward(
    backward_step: Callable[..., _StepGrads],
    weights: RecurrentWeights,
    forward: _Forward,
    grad_last: np.ndarray,
) -> _Backward:
    """Walk back from dL/dh_T = ``grad_last`` (B, H) to dL/dh_0, step by step."""
    hidden, is_lstm = forward.hidden, forward.cell_state is not None
    steps = hidden.shape[0] - 1
    grad_h = np.empty_like(hidden)
    grad_h[steps] = grad_last
    grad_c = np.empty_like(hidden) if is_lstm else None
    # no c_{T+1}: nothing carried into c_T
    dc_carry = np.zeros_like(grad_last) if is_lstm else None
    d_input = np.empty_like(forward.x_in)  # (T, B, G*H)
    d_recurrent = np.empty_like(forward.x_in)
    # Array index t-1 holds step t, which mapped (x_t, h_{t-1}) to h_t. Walking t = T..1
    # turns the total dL/dh_t (complete, since only step t+1 reads h_t) into dL/dh_{t-1}.
    for t in range(steps, 0, -1):
        grads = backward_step(weights, forward.caches[t - 1], grad_h[t], dc_carry)
        d_input[t - 1], d_recurrent[t - 1] = grads.d_input, grads.d_recurrent
        grad_h[t - 1] = grads.dh_direct + grads.d_recurrent @ weights.weight_hh
        if is_lstm:
            grad_c[t], dc_carry = grads.dc, grads.dc_prev
    if is_lstm:
        grad_c[0] = dc_carry  # c_0 feeds only c_1
    return _Backward(grad_h, grad_c, d_input, d_recurrent)


def _parameter_gradients(
    inputs: np.ndarray, forward: _Forward, backward: _Backward
) -> dict[str, np.ndarray]:
    """Sum every step's contribution to the weights' gradients; add the initial states'."""
    grads = {
        "weight_ih": np.tensordot(backward.d_input, inputs, axes=([0, 1], [0, 1])),  # (G*H, I)
        "weight_hh": np.tensordot(backward.d_recurrent, forward.hidden[:-1],
                                  axes=([0, 1], [0, 1])),
        "bias_ih": backward.d_input.sum(axis=(0, 1)),
        "bias_hh": backward.d_recurrent.sum(axis=(0, 1)),
        "h0": backward.grad_h[0],
    }
    if backward.grad_c is not None:
        grads["c0"] = backward.grad_c[0]
    return grads
