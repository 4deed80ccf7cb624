"""Inverted dropout and weight decay on the engine's MLP: masks, forward, backward, step.

Dropout (Srivastava et al. 2014) keeps each hidden unit with probability 1 - p and
divides what it keeps by 1 - p (the "inverted" form torch's nn.Dropout uses), so

    h~_l = f(u_l) * m_l,   m_l = bernoulli(1 - p) / (1 - p),   E[m_l] = 1,

and the expected output of a unit is the same as without dropout; at inference nothing
is dropped and nothing is rescaled. The backward pass multiplies dL/dh~_l by the same
mask before f': dL/du_l = (dL/dh~_l * m_l) * f'(u_l). The layout is :mod:`.network`'s:
W_l is (fan_in, fan_out), rows are examples, the loss is 1/(2B) sum_b ||y_b - t_b||^2.

Weight decay with SGD adds lambda * W to every weight's gradient before the step
(biases are not decayed), W <- W - eta (dL/dW + lambda W): the gradient step of the
penalized loss L + lambda/2 sum_l ||W_l||_F^2, as torch.optim.SGD(weight_decay=lambda)
does for the parameters it is given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from .activations import Activation
from .network import measure_loss


def draw_masks(rng: np.random.Generator, batch: int, widths: Sequence[int],
               drop: float) -> list[np.ndarray]:
    """Return one inverted-dropout mask per hidden layer: 0 or 1/(1 - drop), (batch, width)."""
    keep = 1.0 - drop
    return [(rng.random((batch, width)) < keep) / keep for width in widths]


@dataclasses.dataclass(frozen=True)
class MaskedPass:
    """A forward pass with its masks: what the backward pass needs."""

    outputs: list[np.ndarray]  # f(u_l) before the mask, l = 1 .. L, each (batch, width)
    inputs: list[np.ndarray]  # what each weight matrix multiplied: x, h~_1 .. h~_L
    masks: list[np.ndarray] | None
    prediction: np.ndarray  # (batch, outputs)


def forward(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
            inputs: np.ndarray, activation: Activation,
            masks: Sequence[np.ndarray] | None = None) -> MaskedPass:
    """Run the network on a batch; without ``masks`` it is the network at inference."""
    hidden, fed = [], [inputs]
    for k, (weight, bias) in enumerate(zip(weights[:-1], biases[:-1], strict=True)):
        unit_outputs = activation.function(fed[-1] @ weight + bias)  # (batch, width)
        hidden.append(unit_outputs)
        fed.append(unit_outputs * masks[k] if masks is not None else unit_outputs)
    prediction = fed[-1] @ weights[-1] + biases[-1]
    return MaskedPass(hidden, fed, None if masks is None else list(masks), prediction)


def backward(passed: MaskedPass, weights: Sequence[np.ndarray], targets: np.ndarray,
             activation: Activation) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """Return the loss, dL/dW_l and dL/db_l (first layer first) of a masked forward pass."""
    grad_z = (passed.prediction - targets) / targets.shape[0]  # dL/dy, (batch, outputs)
    weight_grads: list[np.ndarray] = [np.empty(0)] * len(weights)
    bias_grads: list[np.ndarray] = [np.empty(0)] * len(weights)
    # weights[k] multiplied passed.inputs[k]; the gradient at its output (grad_z) gives
    # its gradients, then goes back through the mask and f' of hidden layer k.
    for k in range(len(weights) - 1, -1, -1):
        weight_grads[k] = passed.inputs[k].T @ grad_z  # (fan_in, fan_out)
        bias_grads[k] = grad_z.sum(axis=0)
        if k == 0:
            break
        grad_h = grad_z @ weights[k].T  # dL/dh~_k, (batch, fan_in)
        if passed.masks is not None:
            grad_h *= passed.masks[k - 1]  # the same mask as forward
        grad_z = activation.backward(grad_h, passed.outputs[k - 1])
    return measure_loss(passed.prediction, targets), weight_grads, bias_grads


def sgd_step(weights: list[np.ndarray], biases: list[np.ndarray],
             weight_grads: Sequence[np.ndarray], bias_grads: Sequence[np.ndarray], *,
             learning_rate: float, weight_decay: float = 0.0) -> None:
    """Update in place: W <- W - eta (dL/dW + lambda W), b <- b - eta dL/db."""
    for weight, grad in zip(weights, weight_grads, strict=True):
        weight -= learning_rate * (grad + weight_decay * weight)
    for bias, grad in zip(biases, bias_grads, strict=True):
        bias -= learning_rate * grad


def weight_penalty(weights: Sequence[np.ndarray], weight_decay: float) -> float:
    """Return lambda/2 sum_l ||W_l||_F^2, the L2 penalty whose gradient is lambda W."""
    return 0.5 * weight_decay * sum(float(np.vdot(w, w)) for w in weights)
