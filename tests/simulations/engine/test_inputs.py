"""Input distributions: mean 0, variance 1, and the shape each promises."""

import numpy as np
import pytest

from simulations.engine.inputs import INPUT_DISTRIBUTIONS, draw_inputs


@pytest.mark.parametrize("distribution", INPUT_DISTRIBUTIONS)
def test_every_distribution_has_mean_zero_and_unit_variance(distribution):
    x = draw_inputs(np.random.default_rng(0), distribution, (400, 500))
    assert x.shape == (400, 500)
    assert abs(x.mean()) < 0.01  # 200k draws: standard error 0.0022
    assert x.var() == pytest.approx(1.0, abs=0.01)


def test_uniform_stays_within_sqrt_three_and_sign_is_plus_or_minus_one():
    rng = np.random.default_rng(1)
    uniform = draw_inputs(rng, "uniform", (1000,))
    assert np.abs(uniform).max() <= np.sqrt(3.0)
    signs = draw_inputs(rng, "sign", (1000,))
    assert set(np.unique(signs)) == {-1.0, 1.0}
    assert np.mean(signs**2) == 1.0


def test_normal_is_the_generators_standard_normal():
    """The default keeps the draws earlier versions made (cached results stay valid)."""
    np.testing.assert_array_equal(
        draw_inputs(np.random.default_rng(3), "normal", (4, 5)),
        np.random.default_rng(3).standard_normal((4, 5)),
    )
