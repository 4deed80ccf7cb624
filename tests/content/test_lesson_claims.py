"""Every quantitative statement a lesson makes is checked against the simulation.

Each claim quotes the lesson (in both languages, so an edit of the text that drops or
changes the statement makes the test fail until it is checked again) and runs the
configuration the statement names.
"""

import functools
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


@functools.cache
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
        "A implementação é considerada correta quando o erro de todos os tensores fica abaixo "
        "de $10^{-6}$",
        "The check passes when the error of every tensor is below $10^{-6}$",
    )
    assert gradcheck.TOLERANCE == 1e-6


def test_the_best_epsilon_is_near_the_cube_root_of_the_machine_precision():
    best = np.finfo(np.float64).eps ** (1 / 3)
    mantissa, exponent = f"{best:.0e}".split("e")
    power = f"{mantissa} \\times 10^{{{int(exponent)}}}"
    assert_lesson_says(
        "07",
        f"em float64, isso dá cerca de ${power}$, e é por isso que $\\varepsilon = 10^{{-5}}$ "
        "funciona bem",
        f"in float64 that is about ${power}$, which is why $\\varepsilon = 10^{{-5}}$ works "
        "well",
    )


def test_per_entry_errors_flag_correct_sigmoid_gradients():
    runs = gradcheck_runs("sigmoid")
    above_tolerance = sum(largest_entry_error(result) > 1e-6 for result in runs)
    flagged = sum(largest_entry_error(result) > 1e-7 for result in runs)
    assert_lesson_says(
        "07",
        "o erro relativo de algum elemento passa de $10^{-6}$ em "
        f"{above_tolerance} de 200 sementes aleatórias, e de $10^{{-7}}$ (a linha que muitos "
        f"guias traçam para erros por elemento) em {flagged}, embora o backpropagation esteja "
        "correto e o erro por tensor fique abaixo de $10^{-6}$ em todas as 200",
        "some entry's relative error exceeds $10^{-6}$ for "
        f"{above_tolerance} of 200 random seeds, and $10^{{-7}}$ (the line many guides draw "
        f"for per-entry errors) for {flagged}, although backpropagation is correct and the "
        "error per tensor stays below $10^{-6}$ for every seed",
    )
    assert 0 < above_tolerance < flagged
    assert all(result.passed for result in runs)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_epsilon_1e_5_passes_every_seed(activation):
    assert_lesson_says(
        "07",
        "a verificação passou com $\\varepsilon = 10^{-5}$ em todas as 200 sementes com cada "
        "uma das quatro ativações",
        "$\\varepsilon = 10^{-5}$ passed for all 200 seeds with each of the four activations",
    )
    assert failures(activation, 1e-5) == 0


def test_epsilon_outside_the_range_fails_correct_gradients():
    sigmoid_tiny, tanh_tiny = failures("sigmoid", 1e-8), failures("tanh", 1e-8)
    tanh_large, relu_large = failures("tanh", 1e-3), failures("relu", 1e-3)
    leaky_large = failures("leaky_relu", 1e-3)
    assert_lesson_says(
        "07",
        f"Com $\\varepsilon = 10^{{-8}}$, a verificação falhou com a sigmoide em {sigmoid_tiny} "
        f"das 200 sementes, por causa do erro de arredondamento, e com a tanh em {tanh_tiny}.",
        f"With $\\varepsilon = 10^{{-8}}$, the check failed with the sigmoid for {sigmoid_tiny} "
        f"of the 200 seeds, because of rounding error, and with tanh for {tanh_tiny}.",
    )
    assert_lesson_says(
        "07",
        f"Com $\\varepsilon = 10^{{-3}}$, a verificação falhou com a tanh em {tanh_large} das "
        f"200, por causa do erro de truncamento, com a ReLU em {relu_large} e com a leaky ReLU "
        f"em {leaky_large},",
        f"With $\\varepsilon = 10^{{-3}}$, the check failed with tanh for {tanh_large} of the "
        f"200, because of truncation error, with ReLU for {relu_large} and with leaky ReLU for "
        f"{leaky_large},",
    )


def test_epsilon_1e_2_fails_every_activation():
    relu, leaky = failures("relu", 1e-2), failures("leaky_relu", 1e-2)
    assert_lesson_says(
        "07",
        "Com $\\varepsilon = 10^{-2}$, falhou com a sigmoide e a tanh em todas as 200, com a "
        f"ReLU em {relu} e com a leaky ReLU em {leaky}.",
        "With $\\varepsilon = 10^{-2}$, it failed with both the sigmoid and tanh for every "
        f"seed, with ReLU for {relu} and with leaky ReLU for {leaky}.",
    )
    assert failures("sigmoid", 1e-2) == failures("tanh", 1e-2) == len(GRADCHECK_SEEDS)


def test_the_sigmoids_rounding_failures_are_in_its_small_first_layer_gradients():
    runs = gradcheck_runs("sigmoid", 1e-8)
    failed = {
        check.name
        for result in runs
        for check in result.checks
        if check.relative_error >= gradcheck.TOLERANCE
    }
    median = {
        name: np.median([
            np.linalg.norm(check.backprop)
            for result in runs
            for check in result.checks
            if check.name == name
        ])
        for name in ("b1", "W1", "W3")
    }
    b1, w1, w3 = (f"{median[name]:.2g}" for name in ("b1", "W1", "W3"))
    assert_lesson_says(
        "07",
        f"(norma mediana de {b1.replace('.', ',')} em $b^1$ e de {w1.replace('.', ',')} em "
        f"$W^1$, contra {w3.replace('.', ',')} em $W^3$)",
        f"(median norm {b1} for $b^1$ and {w1} for $W^1$, against {w3} for $W^3$)",
    )
    assert failed <= {"b1", "W1", "b2", "W2"}


def test_a_forget_bias_of_1_leaves_the_gate_mostly_open():
    gate = f"{float(activations.sigmoid(np.array([1.0]))[0]):.2f}"
    assert_lesson_says(
        "09",
        f"vale $\\sigma(1) \\approx {gate.replace('.', '{,}')}$, e a célula guarda cerca de "
        f"${gate[2:]}\\%$ do seu conteúdo a cada passo",
        f"the gate's value is $\\sigma(1) \\approx {gate}$, so the cell keeps about "
        f"${gate[2:]}\\%$ of its content at every step",
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
        f"${factor.replace('.', '{,}')}$ a cada passo de tempo que se recua",
        "the norm of the gradient with respect to the hidden state is multiplied by about "
        f"${factor}$ for each step back in time",
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
