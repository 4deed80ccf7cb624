"""Every number of lesson 18.1 ("What training a network means"), recomputed from the engine.

Each test quotes the sentence in both languages and runs the configuration of the
lesson's figure (seed 0, x = (1, -0.5), t = 1), so the text cannot drift from the engine.
"""

import numpy as np
import pytest

from simulations.engine import training_step
from simulations.engine.core import validate

FIGURE = {"x1": 1.0, "x2": -0.5, "target": 1.0}
FIGURE_SEED = 0


def step(learning_rate: float = 0.5, seed: int = FIGURE_SEED,
         **raw) -> training_step.TrainingStepResult:
    params = validate(training_step.TrainingStepParams,
                      {**FIGURE, **raw, "learning_rate": learning_rate})
    return training_step.run(params, seed)


def written(value: float, digits: int, *, latex: bool = False) -> tuple[str, str]:
    """Return the value with ``digits`` significant digits, as pt-br (comma) and en write it."""
    en = f"{value:.{digits}g}" if abs(value) < 1 else f"{value:.{digits - 1}f}"
    pt = en.replace(".", "{,}" if latex else ",")
    return pt, en


def test_the_forward_pass_of_the_figure(lesson_says):
    result = step()
    y_pt, y_en = written(result.forward.output, 3, latex=True)
    l_pt, l_en = written(result.forward.loss, 3, latex=True)
    g_pt, g_en = written(result.output_grad, 3, latex=True)
    lesson_says(
        "01",
        f"a rede da figura produz $y = {y_pt}$ para um alvo $t = 1$, e a perda é $L = {l_pt}$. "
        "O passo para trás começa pela derivada da perda em relação à saída, "
        f"$\\partial L / \\partial y = y - t = {g_pt}$",
        f"the network in the figure produces $y = {y_en}$ for a target $t = 1$, and the loss is "
        f"$L = {l_en}$. The backward pass starts from the derivative of the loss with respect to "
        f"the output, $\\partial L / \\partial y = y - t = {g_en}$",
    )
    assert result.forward.output < FIGURE["target"] and result.grads.output_bias < 0


def test_the_worked_gradients_of_the_first_hidden_unit(lesson_says):
    result = step()
    v1 = result.before.output_weights[0]
    v_pt, v_en = written(v1, 2, latex=True)
    h_pt, h_en = written(result.forward.hidden[0], 3, latex=True)
    dh_pt, dh_en = written(result.hidden_grads[0], 3, latex=True)
    dv_pt, dv_en = written(result.grads.output_weights[0], 3, latex=True)
    lesson_says(
        "01",
        f"com $v_1 = {v_pt}$ e $h_1 = {h_pt}$, obtemos $\\partial L / \\partial h_1 = {dh_pt}$ e "
        f"$\\partial L / \\partial v_1 = {dv_pt}$ (calculados sem arredondar os valores "
        "intermediários)",
        f"with $v_1 = {v_en}$ and $h_1 = {h_en}$, we get $\\partial L / \\partial h_1 = {dh_en}$ "
        f"and $\\partial L / \\partial v_1 = {dv_en}$ (computed without rounding the "
        "intermediate values)",
    )
    # Why the remark: the rounded numbers shown give another third digit.
    rounded_output_grad = float(written(result.output_grad, 3)[1])
    assert written(rounded_output_grad * v1, 3)[1] != dh_en
    # The chain rule the lesson spells out, on the engine's numbers.
    assert result.hidden_grads[0] == pytest.approx(result.output_grad * v1)
    assert result.grads.output_weights[0] == pytest.approx(
        result.output_grad * result.forward.hidden[0])


def test_the_step_with_rate_05_and_its_first_order_prediction(lesson_says):
    result = step(0.5)
    before_pt, before_en = written(result.forward.loss, 3)
    after_pt, after_en = written(result.loss_after, 3)
    predicted_pt, predicted_en = written(-result.first_order_change, 3)
    lesson_says(
        "01",
        f"Com taxa de aprendizado 0,5, a atualização leva a perda desse exemplo de {before_pt} "
        f"para {after_pt}. A aproximação de primeira ordem, "
        "$-\\eta \\, \\|\\nabla_\\theta L\\|^2$, "
        f"previa uma queda de {predicted_pt}, maior que a própria perda",
        f"With a learning rate of 0.5, the update takes this example's loss from {before_en} to "
        f"{after_en}. The first-order approximation, $-\\eta \\, \\|\\nabla_\\theta L\\|^2$, "
        f"predicted a drop of {predicted_en}, larger than the loss itself",
    )
    assert -result.first_order_change > result.forward.loss


def test_a_small_rate_matches_the_prediction_and_a_large_one_overshoots(lesson_says):
    small, large = step(0.05), step(2.0)
    predicted_pt, predicted_en = written(-small.first_order_change, 3)
    actual_pt, actual_en = written(-small.loss_change, 3)
    rises_pt, rises_en = f"{large.loss_after:.2f}".replace(".", ","), f"{large.loss_after:.2f}"
    lesson_says(
        "01",
        f"Com taxa 0,05, a previsão é de uma queda de {predicted_pt}, e a queda real é de "
        f"{actual_pt}: valores bem próximos. Com taxa 2, o passo passa do ponto e a perda sobe "
        f"para {rises_pt}.",
        f"With a rate of 0.05, the prediction is a drop of {predicted_en} and the actual drop is "
        f"{actual_en}, very close to it. With a rate of 2, the step overshoots and the loss "
        f"rises to {rises_en}.",
    )
    assert small.loss_change == pytest.approx(small.first_order_change, rel=0.05)
    assert large.loss_after > large.forward.loss


@pytest.mark.parametrize("seed", range(50))
def test_a_small_step_lowers_the_loss_by_about_eta_times_the_squared_gradient(seed, lesson_says):
    lesson_says(
        "01",
        "Para um passo pequeno, a variação da perda é de aproximadamente "
        "$-\\eta \\, \\|\\nabla_\\theta L\\|^2$, "
        "um valor negativo: a perda cai.",
        "For a small step, the loss changes by about $-\\eta \\, \\|\\nabla_\\theta L\\|^2$, a "
        "negative amount: the loss falls.",
    )
    result = step(1e-3, seed=seed, x1=0.5, x2=2.0, target=-1.0)
    assert result.loss_change < 0
    assert result.loss_change == pytest.approx(result.first_order_change, rel=0.05)


def test_the_exercises_claim_that_rates_up_to_03_never_overshoot():
    """The explanation of 'a-perda-cai-apos-um-passo': every served variant's loss falls."""
    worst = np.inf
    for rate in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
        for x1 in (-1.0, -0.5, 0.5, 1.0):
            for x2 in (-1.0, -0.5, 0.5, 1.0):
                for seed in range(40):
                    result = step(rate, seed=seed, x1=x1, x2=x2)
                    worst = min(worst, -result.loss_change / result.forward.loss)
    assert worst > 0.05  # falls, and by more than the question's margin


def test_the_input_gradients_of_the_figure_are_the_weighted_sum(lesson_says):
    lesson_says(
        "01",
        "A figura mostra ainda $\\partial L / \\partial x_i = \\sum_j w_{ij} \\, "
        "\\partial L / \\partial z_j$, a derivada em relação a cada entrada. O treinamento não "
        "precisa dela, porque ninguém atualiza os dados",
        "The figure also shows $\\partial L / \\partial x_i = \\sum_j w_{ij} \\, "
        "\\partial L / \\partial z_j$, the derivative with respect to each input. Training does "
        "not need it, since nothing updates the data",
    )
    result = step()
    weights, dz = result.before.hidden_weights, result.pre_activation_grads
    expected = [sum(weights[i, j] * dz[j] for j in range(2)) for i in range(2)]
    assert result.input_grads == pytest.approx(expected, rel=1e-12)
    # And it is the derivative: central differences of the loss in each input.
    h = 1e-6
    for i, name in enumerate(("x1", "x2")):
        up = step(**{name: FIGURE[name] + h}).forward.loss
        down = step(**{name: FIGURE[name] - h}).forward.loss
        assert result.input_grads[i] == pytest.approx((up - down) / (2 * h), rel=1e-6)
    # Training does not use it: the update depends on the parameters' gradient only.
    assert result.after.flat() == pytest.approx(
        result.before.flat() - 0.5 * result.grads.flat(), rel=1e-15)
