"""Every quantitative statement a lesson makes is checked against the simulation.

Each claim quotes the lesson (in both languages, so an edit of the text that drops or
changes the statement makes the test fail until it is checked again) and runs the
configuration the statement names.
"""

from pathlib import Path

import numpy as np
import pytest

from simulations.engine import activations, gradcheck, init_variance, recurrent
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


GRADCHECK_SEEDS = range(200)


def gradcheck_runs(activation: str, epsilon: float = 1e-5) -> list[gradcheck.GradcheckResult]:
    """Run the lesson's default gradient-check network over 200 seeds."""
    params = validate(gradcheck.GradcheckParams, {"activation": activation, "epsilon": epsilon})
    return [gradcheck.run(params, seed) for seed in GRADCHECK_SEEDS]


def failures(activation: str, epsilon: float) -> int:
    return sum(not result.passed for result in gradcheck_runs(activation, epsilon))


def largest_entry_error(result: gradcheck.GradcheckResult) -> float:
    """Return the largest per-entry relative error, the criterion the lesson warns against."""
    largest = 0.0
    for check in result.checks:
        scale = np.maximum(np.abs(check.backprop), np.abs(check.numerical))
        gap = np.abs(check.backprop - check.numerical)
        errors = np.divide(gap, scale, out=np.zeros_like(gap), where=scale > 0)
        largest = max(largest, float(errors.max()))
    return largest


def test_the_lesson_teaches_the_simulations_norm_wise_criterion():
    assert_lesson_says(
        "07",
        "A verificação passa quando o erro de todos os tensores fica abaixo de $10^{-6}$",
        "The check passes when the error of every tensor is below $10^{-6}$",
    )
    assert gradcheck.TOLERANCE == 1e-6


def test_per_entry_errors_flag_correct_sigmoid_gradients():
    runs = gradcheck_runs("sigmoid")
    flagged = sum(largest_entry_error(result) > 1e-7 for result in runs)
    assert_lesson_says(
        "07",
        "com a sigmoide e $\\varepsilon = 10^{-5}$, em "
        f"{flagged} de 200 sementes alguma entrada tem erro relativo acima de $10^{{-7}}$, "
        "embora o backpropagation esteja correto e o erro por tensor fique abaixo de "
        "$10^{-6}$ em todas elas",
        "with the sigmoid and $\\varepsilon = 10^{-5}$, in "
        f"{flagged} of 200 seeds some entry has a relative error above $10^{{-7}}$, although "
        "backpropagation is correct and the error per tensor stays below $10^{-6}$ in all of "
        "them",
    )
    assert flagged > 0
    assert all(result.passed for result in runs)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_epsilon_1e_5_passes_every_seed(activation):
    assert_lesson_says(
        "07",
        "$\\varepsilon = 10^{-5}$ passou em todas as 200 sementes com cada uma das quatro "
        "ativações",
        "$\\varepsilon = 10^{-5}$ passed in all 200 seeds with each of the four activations",
    )
    assert failures(activation, 1e-5) == 0


def test_epsilon_outside_the_range_fails_correct_gradients():
    sigmoid_tiny = failures("sigmoid", 1e-8)
    tanh_large, relu_large = failures("tanh", 1e-3), failures("relu", 1e-3)
    assert_lesson_says(
        "07",
        f"Com $\\varepsilon = 10^{{-8}}$, a sigmoide falhou em {sigmoid_tiny} das 200 "
        f"sementes, pelo arredondamento. Com $\\varepsilon = 10^{{-3}}$, a tanh falhou em "
        f"{tanh_large} das 200, pelo truncamento, e a ReLU em {relu_large},",
        f"With $\\varepsilon = 10^{{-8}}$, the sigmoid failed in {sigmoid_tiny} of the 200 "
        f"seeds, because of rounding. With $\\varepsilon = 10^{{-3}}$, tanh failed in "
        f"{tanh_large} of the 200, because of truncation, and ReLU in {relu_large},",
    )
    assert_lesson_says(
        "07",
        "Com $\\varepsilon = 10^{-2}$, a sigmoide e a tanh falharam em todas.",
        "With $\\varepsilon = 10^{-2}$, the sigmoid and tanh failed in all of them.",
    )
    assert failures("sigmoid", 1e-2) == failures("tanh", 1e-2) == len(GRADCHECK_SEEDS)


def test_a_forget_bias_of_1_leaves_the_gate_mostly_open():
    gate = f"{float(activations.sigmoid(np.array([1.0]))[0]):.2f}"
    assert_lesson_says(
        "09",
        f"ela vale $\\sigma(1) \\approx {gate.replace('.', '{,}')}$, e a célula guarda cerca "
        f"de {gate[2:]}% do seu conteúdo a cada passo",
        f"it equals $\\sigma(1) \\approx {gate}$, and the cell keeps about {gate[2:]}% of its "
        "content at every step",
    )


def test_the_lstm_gradient_still_decays_exponentially_with_a_forget_bias_of_1():
    params = validate(recurrent.RecurrentParams, {
        "cell": "lstm", "steps": 50, "hidden_size": 32, "input_size": 8, "batch_size": 16,
        "spectral_radius": 0.9, "recurrent_matrix": "orthogonal", "input_scale": 1.0,
        "forget_bias": 1.0,
    })  # lesson 18.8's 'rnn-vs-lstm' figure, seed 0
    norms = recurrent.run(params, 0).grad_h_norms
    per_step = float((norms[0] / norms[-1]) ** (1 / params.steps))
    factor = f"{per_step:.2f}"
    assert_lesson_says(
        "09",
        "a norma do gradiente em relação ao estado oculto é multiplicada por cerca de "
        f"{factor.replace('.', ',')} a cada passo para trás",
        "the norm of the gradient with respect to the hidden state is multiplied by about "
        f"{factor} at every step back",
    )
    # Exponential: the factor per step is about the same over the first and last halves.
    half = params.steps // 2
    early = (norms[half] / norms[-1]) ** (1 / half)
    late = (norms[0] / norms[half]) ** (1 / half)
    assert per_step < 1
    assert early == pytest.approx(late, rel=0.1)


def test_the_rule_of_thumb_keeps_glorot_for_tanh_not_for_the_sigmoid():
    assert_lesson_says(
        "09",
        "Glorot para a tanh, He para a ReLU e suas variantes",
        "Glorot for tanh, He for ReLU and its variants",
    )
    assert_lesson_says(
        "09",
        "com Glorot, sua derivada, que nunca passa de $1/4$, encolhe o gradiente a cada camada",
        "with Glorot, its derivative, never above $1/4$, shrinks the gradient at every layer",
    )
    z = np.linspace(-10.0, 10.0, 2001)
    assert activations.sigmoid_slope(activations.sigmoid(z)).max() == pytest.approx(0.25)
