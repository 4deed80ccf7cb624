"""The multilayer perceptron every feed-forward simulation runs: forward, backward, loss.

    h_0 = x                                   # (batch, n_0)
    z_l = h_{l-1} @ W_l + b_l                 # (batch, n_l), l = 1 .. L
    u_l = BN(z_l)  (or u_l = z_l without batch norm)
    h_l = f(u_l)
    y   = h_L @ W_{L+1} + b_{L+1}             # (batch, outputs)
    L   = 1/(2B) * sum_b ||y_b - t_b||^2      # the mean over the batch of ||y_b - t_b||^2 / 2

Weights are (fan_in, fan_out) (see :mod:`.initializers`). Batch norm is training-mode,
as torch's F.batch_norm(training=True) without affine parameters (gamma = 1, beta = 0):
u = (z - mean_b z) / sqrt(var_b z + eps) per unit, with the *biased* batch variance
var_b z = mean_b (z - mean_b z)^2 and eps = BN_EPS = 1e-5 unless the caller passes
another ``batch_norm_eps``. A layer followed by batch norm has no bias (it would
cancel): its bias is None.

``activation`` is a name from :data:`.activations.ACTIVATIONS` or an
:class:`.activations.Activation` (e.g. a leaky ReLU with another slope, from
:func:`.activations.with_leak`). The loss above is the default; a caller with another
loss passes its gradient dL/dy to :func:`walk_back` as ``output_grad`` (see :mod:`.losses`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from . import initializers
from .activations import ACTIVATIONS, Activation

BN_EPS = 1e-5
HUGE_PAGE = 2**18  # float64 entries in a 2 MB huge page


@dataclasses.dataclass(frozen=True)
class ForwardPass:
    """What the backward pass needs: every layer's input and output, indexed by layer.

    activations[l] is h_l (l = 0 .. L, h_0 the input). With batch norm, normalized[l - 1]
    is u_l = BN(z_l), the input of f in hidden layer l, and inv_stds[l - 1] its
    1/sqrt(var + eps); without, both lists are empty (backward needs only h_l, and f
    overwrites z_l in place).
    """

    activations: list[np.ndarray]  # each (batch, width)
    normalized: list[np.ndarray]  # each (batch, width)
    inv_stds: list[np.ndarray]  # each (width,)
    outputs: np.ndarray  # (batch, outputs)


@dataclasses.dataclass(frozen=True)
class Backprop:
    """The loss and its gradients, indexed by layer.

    weight_grads[l] and bias_grads[l] belong to weights[l], the matrix that produces
    layer l + 1 (the last one the output layer); hidden_grads[l] is dL/dh_l of the batch
    loss (l = 0 .. L).
    """

    loss: float
    forward: ForwardPass
    weight_grads: list[np.ndarray]
    bias_grads: list[np.ndarray | None]
    hidden_grads: list[np.ndarray]

    @property
    def activations(self) -> list[np.ndarray]:
        return self.forward.activations

    @property
    def parameter_grads(self) -> list[np.ndarray]:
        """Return every gradient in the order W_1, b_1, .., W_{L+1}, b_{L+1}, skipping None."""
        pairs = zip(self.weight_grads, self.bias_grads, strict=True)
        return [grad for pair in pairs for grad in pair if grad is not None]


def carve(shapes: Sequence[tuple[int, ...]]) -> list[np.ndarray]:
    """Return uninitialized arrays of the given shapes, as views of one memory block.

    A deep pass allocates tens of MB that the OS hands out 4 kB page by 4 kB page on
    first touch, thousands of page faults per pass. numpy backs blocks of 4 MB or more
    with transparent huge pages where the kernel allows; from 1 MB of arrays on, the
    block is made at least that large and the arrays start on a 2 MB boundary, so the
    pass costs a few faults instead. Untouched padding costs no memory.
    """
    sizes = [math.prod(shape) for shape in shapes]
    total = sum(sizes)
    if total < HUGE_PAGE // 2:  # below 1 MB
        block = np.empty(total)
    else:
        padded = max(-(-total // HUGE_PAGE) * HUGE_PAGE, 2 * HUGE_PAGE) + HUGE_PAGE
        raw = np.empty(padded)
        start = (-raw.ctypes.data % (HUGE_PAGE * 8)) // 8  # raw is 8-byte aligned
        block = raw[start : start + total]
    views, start = [], 0
    for size, shape in zip(sizes, shapes, strict=True):
        views.append(block[start : start + size].reshape(shape))
        start += size
    return views


def resolve(activation: str | Activation) -> Activation:
    """Return the activation named ``activation``, or ``activation`` itself."""
    return ACTIVATIONS[activation] if isinstance(activation, str) else activation


def normalize_batch(z: np.ndarray, eps: float = BN_EPS) -> tuple[np.ndarray, np.ndarray]:
    """Normalize ``z`` in place per unit with the biased batch variance; return (u, 1/std)."""
    z -= z.mean(axis=0)  # (batch, width)
    variance = np.einsum("ij,ij->j", z, z) / z.shape[0]  # (width,), no temporary array
    inv_std = 1.0 / np.sqrt(variance + eps)
    z *= inv_std
    return z, inv_std


def normalize_batch_backward(grad: np.ndarray, u: np.ndarray, inv_std: np.ndarray) -> np.ndarray:
    """Turn dL/du into dL/dz in place: (g - mean_b g - u * mean_b(g u)) / sqrt(var + eps)."""
    mean_grad = grad.mean(axis=0)  # (width,)
    scratch = grad * u  # (batch, width)
    np.multiply(u, scratch.mean(axis=0), out=scratch)
    grad -= mean_grad
    grad -= scratch
    grad *= inv_std
    return grad


def forward(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray | None],
    inputs: np.ndarray,
    *,
    activation: str | Activation,
    batch_norm: bool = False,
    batch_norm_eps: float = BN_EPS,
) -> ForwardPass:
    """Run the network on a batch, keeping each layer's input and output for backward."""
    f = resolve(activation)
    shapes = [(inputs.shape[0], weight.shape[1]) for weight in weights[:-1]]
    hidden = carve(shapes)  # h_1 .. h_L, each (batch, width)
    us = carve(shapes) if batch_norm else []
    hs = [inputs]  # h_0 .. h_L
    inv_stds: list[np.ndarray] = []
    for k, (weight, bias) in enumerate(zip(weights[:-1], biases[:-1], strict=True)):
        z = np.matmul(hs[-1], weight, out=us[k] if batch_norm else hidden[k])  # (batch, width)
        if bias is not None:
            z += bias
        if batch_norm:
            z, inv_std = normalize_batch(z, batch_norm_eps)
            inv_stds.append(inv_std)
        hs.append(f.function(z, out=hidden[k]))
    outputs = hs[-1] @ weights[-1]  # (batch, outputs)
    if biases[-1] is not None:
        outputs += biases[-1]
    return ForwardPass(hs, us, inv_stds, outputs)


def measure_loss(outputs: np.ndarray, targets: np.ndarray) -> float:
    """Return L = 1/(2B) sum_b ||y_b - t_b||^2."""
    residual = outputs - targets  # (batch, outputs)
    return 0.5 * float(np.vdot(residual, residual)) / outputs.shape[0]


def walk_back(
    passed: ForwardPass,
    weights: Sequence[np.ndarray],
    targets: np.ndarray,
    *,
    activation: str | Activation,
    out: tuple[Sequence[np.ndarray], Sequence[np.ndarray]] | None = None,
    output_grad: np.ndarray | None = None,
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """Yield (k, dL/dz, dL/dW, dL/dh_k) for weights[k], from the output layer down to k = 0.

    dL/dz is the gradient at the pre-activation of the layer weights[k] produces, so
    dL/db = dL/dz summed over the batch. ``out`` = (weight grads, hidden grads) receives
    the results; without it, a caller that keeps only norms lets each layer's arrays be
    freed (and their memory reused) before the next is computed. ``output_grad`` is
    dL/dy of another loss than the module's (``targets`` is then unused).
    """
    f = resolve(activation)
    hs = passed.activations
    if output_grad is None:
        grad_z = (passed.outputs - targets) / hs[0].shape[0]  # dL/dy, (batch, outputs)
    else:
        grad_z = output_grad
    # weights[k] maps hs[k] to layer k + 1, so the gradient at that layer's
    # pre-activation (grad_z) gives dL/dweights[k] with hs[k], and dL/dhs[k]; then f'
    # (and batch norm) of hidden layer k turn dL/dhs[k] into the grad_z of layer k.
    for k in range(len(weights) - 1, -1, -1):
        weight_out, hidden_out = (out[0][k], out[1][k]) if out else (None, None)
        weight_grad = np.matmul(hs[k].T, grad_z, out=weight_out)  # (fan_in, fan_out)
        hidden_grad = np.matmul(grad_z, weights[k].T, out=hidden_out)  # (batch, fan_in)
        yield k, grad_z, weight_grad, hidden_grad
        if k == 0:
            break
        grad_z = f.backward(hidden_grad, hs[k])  # dL/du_k, a new array
        if passed.inv_stds:
            grad_z = normalize_batch_backward(
                grad_z, passed.normalized[k - 1], passed.inv_stds[k - 1]
            )


def backward(
    passed: ForwardPass,
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray | None],
    targets: np.ndarray,
    *,
    activation: str | Activation,
) -> Backprop:
    """Return the loss and dL/dW, dL/db, dL/dh for every layer of a forward pass."""
    batch = targets.shape[0]
    weight_grads = carve([weight.shape for weight in weights])
    hidden_grads = carve([(batch, weight.shape[0]) for weight in weights])
    bias_grads: list[Any] = [None] * len(weights)
    for k, grad_z, _, _ in walk_back(
        passed, weights, targets, activation=activation, out=(weight_grads, hidden_grads)
    ):
        if biases[k] is not None:
            bias_grads[k] = grad_z.sum(axis=0)
    loss = measure_loss(passed.outputs, targets)
    return Backprop(loss, passed, weight_grads, bias_grads, hidden_grads)


def backpropagate(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray | None],
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    activation: str | Activation,
    batch_norm: bool = False,
    batch_norm_eps: float = BN_EPS,
) -> Backprop:
    """Run the network forward on explicit numbers, then backward; return every gradient.

    Takes no seed so that tests can feed an independent implementation the same numbers.
    A bias that is None is absent (no add, no gradient).
    """
    passed = forward(
        weights,
        biases,
        inputs,
        activation=activation,
        batch_norm=batch_norm,
        batch_norm_eps=batch_norm_eps,
    )
    return backward(passed, weights, biases, targets, activation=activation)


def build_network(
    rng: np.random.Generator,
    sizes: list[int],
    *,
    init: str,
    init_std: float,
    batch_norm: bool,
    gain: float = 1.0,
    he_gain: float = initializers.HE_GAIN,
) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """Draw weights for layer sizes [n_0, .., n_L, outputs], then biases (None before BN).

    Biases are zero except under pytorch_default (see :func:`.initializers.draw_biases`),
    drawn after every weight so that the weights do not depend on them.
    """
    weights = initializers.initialize_network(
        init, sizes, rng, init_std, gain=gain, he_gain=he_gain
    )
    drawn = initializers.draw_biases(init, sizes, rng)
    biases: list[np.ndarray | None] = [None if batch_norm else bias for bias in drawn[:-1]]
    biases.append(drawn[-1])
    return weights, biases


def frobenius_norm(array: np.ndarray) -> float:
    """Return ||array||_F, rescaling when squares overflow although the entries are finite."""
    with np.errstate(over="ignore"):  # the overflow is handled just below
        norm = float(np.linalg.norm(array))
    if np.isinf(norm) and np.all(np.isfinite(array)):
        scale = float(np.max(np.abs(array)))
        norm = scale * float(np.linalg.norm(array / scale))
    return norm
