"""Every quantitative statement a lesson makes is checked against the simulation.

Each claim quotes the lesson (in both languages, so an edit of the text that drops or
changes the statement makes the test fail until it is checked again) and runs the
configuration the statement names.
"""

from pathlib import Path

import numpy as np
import pytest

from simulations.engine import gradcheck, init_variance
from simulations.engine.core import validate

LESSONS = Path(__file__).resolve().parents[2] / "content" / "redes-neurais" / "18-backpropagation"
SEEDS = range(5)


def lesson_text(folder_prefix: str, language: str) -> str:
    folder = next(LESSONS.glob(f"{folder_prefix}-*"))
    return " ".join((folder / f"{language}.md").read_text(encoding="utf-8").split())


def assert_lesson_says(folder_prefix: str, pt: str, en: str) -> None:
    assert pt in lesson_text(folder_prefix, "pt-br")
    assert en in lesson_text(folder_prefix, "en")


def per_layer_factors(*, activation: str, scheme: str, width: int, init_std: float = 0.01,
                      depth: int = 8, seed: int) -> np.ndarray:
    """Return Var[z_{l+1}] / Var[z_l] for each pair of consecutive layers."""
    params = validate(init_variance.InitVarianceParams, {
        "activation": activation, "depth": depth, "width": width, "batch_size": 128,
        "init_std": init_std,
    })
    variances = init_variance.run(params, seed).preactivation_variances[scheme]
    return variances[1:] / variances[:-1]


@pytest.mark.parametrize("seed", SEEDS)
def test_std_001_with_500_inputs_shrinks_the_variance_by_005_per_layer(seed):
    assert_lesson_says(
        "09",
        "desvio padrão 0,01 significa uma variância de $10^{-4}$. Com $n_{\\mathrm{in}} = 500$, "
        "o fator por camada é 0,05",
        "standard deviation of 0.01 means a variance of $10^{-4}$. With "
        "$n_{\\mathrm{in}} = 500$, the factor per layer is 0.05",
    )
    # The statement is about the regime where tanh is close to linear (tiny activations).
    factors = per_layer_factors(activation="tanh", scheme="normal", width=500, seed=seed)
    assert np.median(factors) == pytest.approx(500 * 0.01**2, rel=0.1)


@pytest.mark.parametrize("seed", SEEDS)
def test_glorot_with_relu_halves_the_variance_at_every_layer(seed):
    assert_lesson_says(
        "09",
        "a variância cai pela metade a cada camada",
        "the variance halves at every layer",
    )
    factors = per_layer_factors(activation="relu", scheme="glorot_normal", width=256, seed=seed)
    assert np.median(factors) == pytest.approx(0.5, rel=0.1)


@pytest.mark.parametrize("seed", SEEDS)
def test_he_init_keeps_relu_variance_across_layers(seed):
    factors = per_layer_factors(activation="relu", scheme="he_normal", width=256, seed=seed)
    assert np.median(factors) == pytest.approx(1.0, rel=0.1)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_a_correct_backprop_checks_at_about_1e_7_or_less(activation):
    assert_lesson_says(
        "07",
        "**Cerca de $10^{-7}$ ou menos:** a implementação está correta.",
        "**Around $10^{-7}$ or less:** the implementation is correct.",
    )
    params = validate(gradcheck.GradcheckParams, {"activation": activation})
    result = gradcheck.run(params, 0)
    assert result.max_relative_error <= 1e-7
