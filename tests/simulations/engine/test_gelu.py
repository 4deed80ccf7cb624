"""GELU against torch in float64, its derivative against autograd, its slope's extremes."""

import json

import numpy as np
import pytest

from simulations.engine import activations, gelu
from simulations.engine.core import validate

torch = pytest.importorskip("torch")


def test_gelu_and_its_derivative_match_torch_exact_gelu():
    x = np.linspace(-12, 12, 4801)
    leaf = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    values = torch.nn.functional.gelu(leaf)  # approximate="none": x Phi(x)
    values.sum().backward()
    np.testing.assert_allclose(gelu.gelu(x), values.detach().numpy(), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(gelu.gelu_derivative(x), leaf.grad.numpy(), rtol=0, atol=1e-15)


def test_phi_keeps_relative_accuracy_far_below_zero():
    # 1 + erf would cancel to 0 here; Phi(-30) = 4.906713927148187e-198.
    assert gelu.normal_cdf(np.array(-30.0)) == pytest.approx(4.906713927148187e-198, rel=1e-13)


def test_slope_peaks_above_one_at_root_two_and_dips_below_zero_at_minus_root_two():
    x = np.linspace(-6, 6, 120001)
    slopes = gelu.gelu_derivative(x)
    assert slopes.max() <= gelu.MAX_SLOPE + 1e-15
    assert x[np.argmax(slopes)] == pytest.approx(np.sqrt(2), abs=1e-4)
    assert x[np.argmin(slopes)] == pytest.approx(-np.sqrt(2), abs=1e-4)
    assert gelu.MAX_SLOPE + gelu.MIN_SLOPE == pytest.approx(1.0, abs=1e-15)  # f'(-x) = 1 - f'(x)
    assert 1.128 < gelu.MAX_SLOPE < 1.13


def test_derivative_matches_central_differences():
    x = np.linspace(-6, 6, 1201)
    h = 1e-6
    numerical = (gelu.gelu(x + h) - gelu.gelu(x - h)) / (2 * h)
    np.testing.assert_allclose(gelu.gelu_derivative(x), numerical, rtol=0, atol=1e-9)


def test_activations_simulation_draws_gelu_beside_the_others():
    data = activations.run(validate(activations.ActivationsParams, {}), 0).to_dict()
    json.dumps(data, allow_nan=False)
    curves = data["activations"]["gelu"]
    assert list(data["activations"]) == [*activations.NAMES, "gelu"]
    assert curves["inactive_kind"] == "smooth" and curves["max_derivative"] == gelu.MAX_SLOPE
    assert "gelu" not in activations.ACTIVATIONS  # networks keep only outputs for backward
