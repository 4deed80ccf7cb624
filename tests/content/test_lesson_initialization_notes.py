"""Lesson 18.9's statements on the forget-gate bias, batch norm and the sigmoid, recomputed.

Each test quotes the sentence in both languages with the numbers the engine gives now.
"""

import numpy as np
import pytest

from simulations.engine import mlp, recurrent
from simulations.engine.core import validate

FIGURE_SEED = 0
LSTM_FIGURE = {  # lesson 18.8's 'rnn-vs-lstm' figure
    "cell": "lstm", "steps": 50, "hidden_size": 32, "input_size": 8, "batch_size": 16,
    "spectral_radius": 0.9, "recurrent_matrix": "orthogonal", "input_scale": 1.0,
}
DEEP = {"depth": 20, "width": 256, "batch_size": 64}


def math_decimal(value: float, places: int) -> tuple[str, str]:
    """Return the number as written inside LaTeX in Portuguese ({,}) and in English."""
    text = f"{value:.{places}f}"
    return f"${text.replace('.', '{,}')}$", f"${text}$"


def hidden_grad_norms(forget_bias: float) -> np.ndarray:
    params = validate(recurrent.RecurrentParams, {**LSTM_FIGURE, "forget_bias": forget_bias})
    return recurrent.run(params, FIGURE_SEED).grad_h_norms


def factor_per_step(norms: np.ndarray, start: int, stop: int) -> float:
    """Return the geometric mean factor per step back between time indices start < stop."""
    return float((norms[start] / norms[stop]) ** (1 / (stop - start)))


def test_the_factor_per_step_back_near_the_output_and_far_from_it(lesson_says):
    norms = hidden_grad_norms(1.0)
    last = len(norms) - 1
    near = math_decimal(factor_per_step(norms, last - 10, last), 2)
    far = math_decimal(factor_per_step(norms, 0, 10), 2)
    lesson_says(
        "09",
        f"(média geométrica; {near[0]} nos $10$ passos mais próximos da saída, {far[0]} nos "
        "$10$ mais antigos)",
        f"(geometric mean; {near[1]} over the $10$ steps nearest the output, {far[1]} over the "
        "$10$ earliest)",
    )


def test_the_forget_bias_sets_the_decay_per_step(lesson_says):
    factors = {}
    for bias in (0.0, 2.0, 3.0):
        norms = hidden_grad_norms(bias)
        factors[bias] = math_decimal(factor_per_step(norms, 0, len(norms) - 1), 2)
    lesson_says(
        "09",
        f"Com viés $0$, o fator é {factors[0.0][0]}; com $2$, {factors[2.0][0]}; com $3$, "
        f"{factors[3.0][0]}.",
        f"With a bias of $0$, the factor is {factors[0.0][1]}; with $2$, {factors[2.0][1]}; "
        f"with $3$, {factors[3.0][1]}.",
    )


def run_deep(**params) -> mlp.MLPResult:
    config = validate(mlp.MLPParams, {**DEEP, "batch_norm": False, **params})
    return mlp.run(config, FIGURE_SEED)


def test_with_batch_norm_the_hidden_activations_do_not_depend_on_the_weight_scale(lesson_says):
    lesson_says(
        "09",
        "Com ela após cada camada, as ativações das camadas ocultas não dependem da escala dos "
        "pesos",
        "With it after every layer, the hidden layers' activations do not depend on the weight "
        "scale",
    )
    small, large = (
        run_deep(activation="relu", init="normal", init_std=std, batch_norm=True)
        for std in (0.01, 1.0)
    )
    # Only batch norm's epsilon (added to the variance) tells the two scales apart.
    np.testing.assert_allclose(small.activation_stds, large.activation_stds, rtol=1e-2)
    np.testing.assert_allclose(small.activation_means, large.activation_means, rtol=1e-2)


def test_a_larger_scale_keeps_the_sigmoids_gradient_only_by_saturating_it(lesson_says):
    std = 0.75
    result = run_deep(activation="sigmoid", init="normal", init_std=std)
    ratio = math_decimal(result.grad_ratio_first_to_last, 1)
    shares = result.saturated_fractions
    low, high = (f"{100 * share:.0f}\\%" for share in (shares.min(), shares.max()))
    lesson_says(
        "09",
        f"pesos de desvio padrão {math_decimal(std, 2)[0]} mantêm a norma (razão {ratio[0]} "
        f"entre as camadas $1$ e $20$), mas saturam de ${low}$ a ${high}$ das unidades",
        f"weights of standard deviation {math_decimal(std, 2)[1]} keep the norm (ratio "
        f"{ratio[1]} between layers $1$ and $20$), but saturate ${low}$ to ${high}$ of the units",
    )
    assert result.grad_ratio_first_to_last == pytest.approx(1.0, abs=0.5)
    assert np.mean(result.activation_means) == pytest.approx(0.5, abs=0.05)
