"""The weights of the recurrent simulation: how each initialization draws them.

- ``scaled`` (the default): every gate's hidden-to-hidden matrix at an exact spectral
  radius (orthogonal or Gaussian, see :mod:`.recurrent`), input weights N(0, 1/I), zero
  biases;
- ``pytorch_default``: every weight and bias U(-1/sqrt(H), 1/sqrt(H)), what torch's
  nn.RNN, nn.LSTM and nn.GRU draw (the spectral radius is then whatever it comes out).

Either way the LSTM forget gate's and the GRU update gate's biases are then raised by
``forget_bias`` and ``update_bias``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .recurrent_cells import GATES, RecurrentWeights

MATRIX_KINDS = ("orthogonal", "gaussian")
RECURRENT_INITS = ("scaled", "pytorch_default")


def draw_recurrent_matrix(
    rng: np.random.Generator, size: int, spectral_radius: float, kind: str
) -> np.ndarray:
    """Draw a (size, size) matrix and scale it to the requested spectral radius."""
    gaussian = rng.standard_normal((size, size)) / np.sqrt(size)
    if kind == "orthogonal":
        q, r = np.linalg.qr(gaussian)
        # Fix the signs QR leaves arbitrary so Q is Haar-distributed (Mezzadri 2007).
        return spectral_radius * q * np.sign(np.diag(r))
    return spectral_radius * gaussian / np.max(np.abs(np.linalg.eigvals(gaussian)))


def draw_weights(rng: np.random.Generator, params: Any) -> RecurrentWeights:
    """Draw the weights and biases of ``params.init``, then add the gate biases.

    ``forget_bias`` is added to the LSTM forget gate's block of bias_ih and
    ``update_bias`` to the GRU update gate's (z) block, on top of the drawn biases.
    """
    if params.init == "pytorch_default":
        weights = draw_pytorch_default(rng, params)
    else:
        weights = draw_scaled(rng, params)
    hidden = params.hidden_size
    if params.cell == "lstm":
        weights.bias_ih[hidden : 2 * hidden] += params.forget_bias  # stacked i, f, g, o
    if params.cell == "gru":
        weights.bias_ih[hidden : 2 * hidden] += params.update_bias  # stacked r, z, n
    return weights


def draw_pytorch_default(rng: np.random.Generator, params: Any) -> RecurrentWeights:
    """Draw every weight and bias from U(-1/sqrt(H), 1/sqrt(H)), as torch.nn.RNN/LSTM/GRU.

    Drawn in torch's parameter order: weight_ih, weight_hh, bias_ih, bias_hh.
    """
    rows, hidden = len(GATES[params.cell]) * params.hidden_size, params.hidden_size
    bound = 1.0 / np.sqrt(hidden)
    shapes = [(rows, params.input_size), (rows, hidden), (rows,), (rows,)]
    return RecurrentWeights(*(rng.uniform(-bound, bound, shape) for shape in shapes))


def draw_scaled(rng: np.random.Generator, params: Any) -> RecurrentWeights:
    """Draw every gate's recurrent matrix at the requested spectral radius, input weights
    N(0, 1/input_size) (so with inputs of std ``input_scale`` each unit's input drive has
    std ``input_scale``) and zero biases.
    """
    gates = GATES[params.cell]
    hidden = params.hidden_size
    weight_hh = np.concatenate(
        [
            draw_recurrent_matrix(rng, hidden, params.spectral_radius, params.recurrent_matrix)
            for _ in gates
        ]
    )  # (G*H, H)
    weight_ih = rng.standard_normal((len(gates) * hidden, params.input_size)) / np.sqrt(
        params.input_size
    )  # (G*H, I)
    bias_ih = np.zeros(len(gates) * hidden)
    return RecurrentWeights(weight_ih, weight_hh, bias_ih, np.zeros_like(bias_ih))


def measure_matrices(weight_hh: np.ndarray, gates: int) -> tuple[np.ndarray, np.ndarray]:
    """Return each gate block's spectral radius and largest singular value, as used."""
    blocks = np.split(weight_hh, gates)
    radii = np.array([np.max(np.abs(np.linalg.eigvals(block))) for block in blocks])
    sigmas = np.array([np.linalg.norm(block, 2) for block in blocks])
    return radii, sigmas
