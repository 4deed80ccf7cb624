"""What the MLP simulation measures beyond gradient norms: spectra and per-example sizes.

- :func:`spectral_norms`: each weight matrix's largest singular value ||W||_2;
- :func:`jacobian_singular_values`: the singular values of the Jacobian dh_L/dx of the
  deep part of the network (input to last hidden layer, the output head excluded, as
  Saxe et al. 2014 and Pennington et al. 2017 study it) at ONE example, the first of
  the batch: the network linearized at that example,
  J = diag(f'(u_L)) W_L^T ... diag(f'(u_1)) W_1^T (W in the engine's (fan_in, fan_out)
  layout). Undefined with batch norm, where one example's output depends on the batch;
- :func:`per_example_weight_grad_rms`: sqrt(mean_b ||dl_b/dW||_F^2) from the factored
  per-example gradient dl_b/dW = s h_b delta_b^T (s from :mod:`.losses`), whose norm is
  s ||h_b|| ||delta_b||, with no (B, fan_in, fan_out) array.

These cost about depth * width^3 operations (the singular values), so the simulation
computes them only when asked to.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import Activation


def spectral_norms(weights: Sequence[np.ndarray]) -> np.ndarray:
    """Return ||W||_2, the largest singular value, of every matrix, first layer first."""
    return np.array([np.linalg.norm(weight, 2) for weight in weights])


def input_jacobian(
    weights: Sequence[np.ndarray], activations: Sequence[np.ndarray], f: Activation
) -> np.ndarray:
    """Return dh_L/dx at the first example as an (n_0, n_L) matrix (the transpose of J).

    Row i holds dh_L/dx_i: each layer multiplies by W_l and scales column j by
    f'(u_l) of the first example, read from its stored output h_l.
    """
    jacobian = np.eye(weights[0].shape[0])  # (n_0, n_0)
    for weight, hidden in zip(weights[:-1], activations[1:], strict=True):
        jacobian = jacobian @ weight  # (n_0, n_l)
        jacobian *= f.slope_from_output(hidden[0])
    return jacobian


def jacobian_singular_values(
    weights: Sequence[np.ndarray], activations: Sequence[np.ndarray], f: Activation
) -> np.ndarray:
    """Return the singular values of dh_L/dx at the first example, largest first."""
    return np.linalg.svd(input_jacobian(weights, activations, f), compute_uv=False)


def row_norms(array: np.ndarray) -> np.ndarray:
    """Return ||array_b|| for each row b (inf when a square overflows)."""
    return np.sqrt(np.einsum("ij,ij->i", array, array))


def per_example_weight_grad_rms(hidden: np.ndarray, grad_z: np.ndarray, scale: float) -> float:
    """Return sqrt(mean_b (scale ||h_b|| ||dL/dz_b||)^2), the RMS of per-example ||dl_b/dW||_F."""
    norms = row_norms(hidden) * row_norms(grad_z)  # (batch,)
    return float(scale * np.sqrt(np.mean(norms**2)))
