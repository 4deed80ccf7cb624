"""Loss conventions: values and gradients against central differences and closed forms."""

import numpy as np
import pytest

from simulations.engine import losses
from simulations.engine.network import measure_loss


def central_gradient(loss, outputs, targets, h=1e-6):
    grad = np.zeros_like(outputs)
    for index in np.ndindex(outputs.shape):
        plus, minus = outputs.copy(), outputs.copy()
        plus[index] += h
        minus[index] -= h
        grad[index] = (
            losses.evaluate(loss, plus, targets)[0] - losses.evaluate(loss, minus, targets)[0]
        ) / (2 * h)
    return grad


@pytest.mark.parametrize("loss", losses.LOSSES)
def test_gradient_matches_central_differences(loss):
    rng = np.random.default_rng(0)
    outputs, targets = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    _, grad = losses.evaluate(loss, outputs, targets)
    expected = central_gradient(loss, outputs, targets)
    assert np.linalg.norm(grad - expected) <= 1e-8 * np.linalg.norm(expected)


def test_values_follow_their_written_definitions():
    rng = np.random.default_rng(1)
    y, t = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    half = losses.evaluate("half_squared_error", y, t)[0]
    assert half == pytest.approx(np.sum((y - t) ** 2) / (2 * 5), rel=1e-14)
    assert half == measure_loss(y, t)  # the engine's historical loss, bit for bit
    mse = losses.evaluate("mean_squared_error", y, t)[0]
    assert mse == pytest.approx(np.mean((y - t) ** 2), rel=1e-14)
    assert losses.evaluate("probe", y, t)[0] == pytest.approx(np.sum(y * t), rel=1e-14)


def test_per_example_scale_and_probe_variance():
    assert losses.per_example_scale("half_squared_error", 32) == 32
    assert losses.per_example_scale("mean_squared_error", 32) == 32
    assert losses.per_example_scale("probe", 32) == 1
    g = losses.probe_vectors(np.random.default_rng(2).standard_normal((20000, 8)))
    assert np.mean(np.sum(g**2, axis=1)) == pytest.approx(1.0, rel=0.01)
    assert set(losses.DEFINITIONS) == set(losses.LOSSES)
