"""A multilayer perceptron with trainable batch norm (γ, β) and running statistics.

The network is that of :mod:`.network` with batch norm in every hidden layer, as torch's
``nn.BatchNorm1d`` (affine, track_running_stats) places it between ``nn.Linear(bias=False)``
and the activation:

    z_l = h_{l-1} @ W_l                          # (batch, width), no bias: BN cancels it
    u_l = (z_l - mu) / sqrt(var + eps)           # training: mu, var of this batch (biased)
                                                 # inference: the running mean and variance
    h_l = f(gamma_l * u_l + beta_l)
    y   = h_L @ W_{L+1} + b_{L+1}

In training mode every forward pass also updates the running statistics as torch does,
with momentum m (0.1 by default):

    running_mean <- (1 - m) running_mean + m mu
    running_var  <- (1 - m) running_var  + m var * B / (B - 1)

The running variance takes the *unbiased* batch variance, while the normalization itself
divides by the biased one. They start at 0 and 1. The normalization and its backward pass
are :func:`.network.normalize_batch` and :func:`.network.normalize_batch_backward`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from .activations import Activation
from .network import BN_EPS, measure_loss, normalize_batch, normalize_batch_backward

RUNNING_MOMENTUM = 0.1  # torch's BatchNorm1d default


@dataclasses.dataclass
class BatchNormNetwork:
    """Weights, the output bias, γ and β per hidden layer, and the running statistics.

    weights[l] maps layer l to layer l + 1 (the last one, the output layer); gammas,
    betas, running_means and running_vars have one (width,) vector per hidden layer.
    """

    weights: list[np.ndarray]
    output_bias: np.ndarray
    gammas: list[np.ndarray]
    betas: list[np.ndarray]
    running_means: list[np.ndarray]
    running_vars: list[np.ndarray]
    eps: float = BN_EPS

    @classmethod
    def from_weights(
        cls, weights: Sequence[np.ndarray], output_bias: np.ndarray, eps: float = BN_EPS
    ) -> BatchNormNetwork:
        """Start with γ = 1, β = 0, running mean 0 and running variance 1, as torch does."""
        widths = [weight.shape[1] for weight in weights[:-1]]
        return cls(
            weights=[weight.copy() for weight in weights],
            output_bias=output_bias.copy(),
            gammas=[np.ones(n) for n in widths],
            betas=[np.zeros(n) for n in widths],
            running_means=[np.zeros(n) for n in widths],
            running_vars=[np.ones(n) for n in widths],
            eps=eps,
        )

    def parameters(self) -> list[np.ndarray]:
        """Return every trained array, in the order :class:`Gradients` lists their grads."""
        return [*self.weights, self.output_bias, *self.gammas, *self.betas]


@dataclasses.dataclass(frozen=True)
class TrainingPass:
    """What backward needs from a training-mode forward pass, per hidden layer."""

    inputs: list[np.ndarray]  # h_0 .. h_L, each (batch, width)
    normalized: list[np.ndarray]  # u_1 .. u_L
    inv_stds: list[np.ndarray]  # 1/sqrt(var + eps), each (width,)
    outputs: np.ndarray  # (batch, outputs)


@dataclasses.dataclass(frozen=True)
class Gradients:
    """The loss and its gradient for every trained array (see BatchNormNetwork.parameters)."""

    loss: float
    weights: list[np.ndarray]
    output_bias: np.ndarray
    gammas: list[np.ndarray]
    betas: list[np.ndarray]

    def arrays(self) -> list[np.ndarray]:
        return [*self.weights, self.output_bias, *self.gammas, *self.betas]


def forward_training(
    net: BatchNormNetwork, inputs: np.ndarray, f: Activation, *, momentum: float | None
) -> TrainingPass:
    """Normalize with each batch's statistics; update the running ones unless momentum is None.

    momentum None evaluates with batch statistics and leaves the network unchanged (what
    a model left in training mode does at inference, under torch.no_grad and a zero
    momentum).
    """
    batch = inputs.shape[0]
    hs, us, inv_stds = [inputs], [], []
    for k, weight in enumerate(net.weights[:-1]):
        z = hs[-1] @ weight  # (batch, width)
        if momentum is not None:
            mean = z.mean(axis=0)  # normalize_batch centres z in place: keep the mean first
        u, inv_std = normalize_batch(z, net.eps)
        if momentum is not None:
            biased_var = np.einsum("ij,ij->j", u, u) / (batch * inv_std**2)  # (width,)
            net.running_means[k] *= 1.0 - momentum
            net.running_means[k] += momentum * mean
            net.running_vars[k] *= 1.0 - momentum
            net.running_vars[k] += momentum * biased_var * batch / (batch - 1)
        us.append(u)
        inv_stds.append(inv_std)
        hs.append(f.function(net.gammas[k] * u + net.betas[k]))
    outputs = hs[-1] @ net.weights[-1] + net.output_bias  # (batch, outputs)
    return TrainingPass(hs, us, inv_stds, outputs)


def forward_inference(net: BatchNormNetwork, inputs: np.ndarray, f: Activation) -> np.ndarray:
    """Return the outputs with every layer normalized by its running statistics."""
    h = inputs
    for k, weight in enumerate(net.weights[:-1]):
        u = (h @ weight - net.running_means[k]) / np.sqrt(net.running_vars[k] + net.eps)
        h = f.function(net.gammas[k] * u + net.betas[k])
    return h @ net.weights[-1] + net.output_bias


def forward_batch_statistics(
    net: BatchNormNetwork, groups: np.ndarray, f: Activation
) -> np.ndarray:
    """Return the outputs of every group of examples normalized with its own statistics.

    ``groups`` is (count, b, width): the same as :func:`forward_training` on each group
    with momentum None, u = (z - mean) / sqrt(biased var + eps) over the group's b
    examples, computed for all groups at once.
    """
    h = groups
    for k, weight in enumerate(net.weights[:-1]):
        z = h @ weight  # (count, b, width)
        z -= z.mean(axis=1, keepdims=True)
        u = z / np.sqrt((z**2).mean(axis=1, keepdims=True) + net.eps)
        h = f.function(net.gammas[k] * u + net.betas[k])
    return h @ net.weights[-1] + net.output_bias  # (count, b, outputs)


def backward(
    net: BatchNormNetwork, passed: TrainingPass, targets: np.ndarray, f: Activation
) -> Gradients:
    """Return dL/d(every trained array) of L = 1/(2B) sum_b ||y_b - t_b||^2."""
    hs = passed.inputs
    depth = len(net.weights) - 1
    weight_grads: list[np.ndarray] = [np.empty(0)] * (depth + 1)
    gamma_grads: list[np.ndarray] = [np.empty(0)] * depth
    beta_grads: list[np.ndarray] = [np.empty(0)] * depth
    grad = (passed.outputs - targets) / targets.shape[0]  # dL/dy, (batch, outputs)
    output_bias_grad = grad.sum(axis=0)
    # grad is dL/d(the output of weights[k]): z_{k+1}, or y for the output layer. It
    # gives dL/dweights[k] with hs[k] and dL/dhs[k]; then f', γ and the batch norm of
    # hidden layer k turn dL/dhs[k] into the grad of z_k.
    for k in range(depth, -1, -1):
        weight_grads[k] = hs[k].T @ grad  # (fan_in, fan_out)
        if k == 0:
            break
        grad_pre = f.backward(grad @ net.weights[k].T, hs[k])  # dL/d(γ u + β)
        u = passed.normalized[k - 1]
        gamma_grads[k - 1] = np.einsum("ij,ij->j", grad_pre, u)
        beta_grads[k - 1] = grad_pre.sum(axis=0)
        grad = normalize_batch_backward(grad_pre * net.gammas[k - 1], u, passed.inv_stds[k - 1])
    loss = measure_loss(passed.outputs, targets)
    return Gradients(loss, weight_grads, output_bias_grad, gamma_grads, beta_grads)
