"""Lesson 18.2 (loss functions): every number it states, recomputed from the engine."""

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulations.engine import neuron_losses
from simulations.engine.core import validate

LESSON = (Path(__file__).resolve().parents[2] / "content" / "redes-neurais"
          / "18-backpropagation" / "02-funcoes-de-perda")
# The lesson's figure and text: the start and rate of Nielsen's chapter 3 quadratic-cost
# example, used here for both losses.
NIELSEN = {"initial_weight": 2.0, "initial_bias": 2.0, "input": 1.0, "target": 0.0,
           "learning_rate": 0.15, "steps": 300}


@pytest.fixture(scope="module")
def nielsen():
    return neuron_losses.run(validate(neuron_losses.NeuronLossesParams, NIELSEN), 0).to_dict()


def decimal_comma(text: str) -> str:
    return text.replace(".", "{,}")


def test_the_starting_point_is_confidently_wrong(lesson_says, nielsen):
    a = nielsen["losses"]["squared_error"]["outputs"][0]
    slope = nielsen["initial_sigmoid_slope"]
    lesson_says(
        "02",
        f"de modo que $z = 4$ e $a \\approx {decimal_comma(f'{a:.2f}')}$. O erro é grande, perto "
        f"de 1, mas a inclinação da sigmoide em $z = 4$ é de apenas cerca de "
        f"${decimal_comma(f'{slope:.3f}')}$",
        f"so $z = 4$ and $a \\approx {a:.2f}$. The error is large, close to 1, but the "
        f"sigmoid's slope at $z = 4$ is only about ${slope:.3f}$",
    )
    assert nielsen["initial_preactivation"] == 4.0
    assert abs(a - 1) < 0.05


def test_the_cross_entropy_gradient_starts_57_times_larger(lesson_says, nielsen):
    ratio = nielsen["initial_gradient_ratio"]
    lesson_says(
        "02",
        f"o gradiente da entropia cruzada é cerca de {round(ratio)} vezes maior",
        f"the cross-entropy's gradient is about {round(ratio)} times larger",
    )
    runs = nielsen["losses"]
    assert runs["cross_entropy"]["abs_grad_z"][0] / runs["squared_error"]["abs_grad_z"][0] \
        == pytest.approx(ratio)


def test_steps_until_the_output_crosses_one_half(lesson_says, nielsen):
    crossed = nielsen["losses"]["cross_entropy"]["steps_to_cross_half"]
    squared = nielsen["losses"]["squared_error"]["steps_to_cross_half"]
    lesson_says(
        "02",
        f"Com a entropia cruzada, a saída cruza 0,5 após {crossed} passos. Com o erro "
        f"quadrático, a perda fica quase parada em um platô e a saída só cruza 0,5 após "
        f"{squared} passos.",
        f"With the cross-entropy, the output crosses 0.5 after {crossed} steps. With the "
        f"squared error, the loss sits almost still on a plateau and the output only crosses "
        f"0.5 after {squared} steps.",
    )
    # The plateau: over its first 100 steps the squared error loses under 5% of its loss.
    losses = nielsen["losses"]["squared_error"]["losses"]
    assert losses[100] > 0.95 * losses[0]


def test_the_squared_errors_gradient_grows_then_falls(lesson_says, nielsen):
    run = nielsen["losses"]["squared_error"]
    gradients = np.array(run["abs_grad_z"])
    peak = int(gradients.argmax())
    output = run["outputs"][peak]
    lesson_says(
        "02",
        f"atinge o máximo no passo {peak}, quando a saída está em torno de "
        f"${decimal_comma(f'{output:.2f}')}$, e só então começa a cair",
        f"peaks at step {peak}, when the output is around ${output:.2f}$, and only then starts "
        "to fall",
    )
    # "starts to fall": it rises at every step from the first one up to the peak.
    assert 0 < peak < len(gradients) - 1
    assert np.all(np.diff(gradients[: peak + 1]) > 0)
    assert np.all(np.diff(gradients[peak:]) < 0)


def test_with_a_linear_output_the_squared_error_has_no_saturation_factor(lesson_says):
    lesson_says(
        "02",
        "com uma saída linear, $a = z$, o erro quadrático dá $\\partial L/\\partial z = a - y$",
        "with a linear output, $a = z$, the squared error gives $\\partial L/\\partial z = a - y$",
    )
    from simulations.engine import losses

    outputs, targets = np.array([[3.0]]), np.array([[-0.5]])
    _, grad = losses.evaluate("half_squared_error", outputs, targets)
    assert grad[0, 0] == outputs[0, 0] - targets[0, 0]


def test_torch_mse_loss_doubles_the_gradient(lesson_says):
    torch = pytest.importorskip("torch")
    lesson_says("02", "O `MSELoss` do PyTorch não tem o $1/2$, o que, com uma saída, dobra o "
                "gradiente.",
                "PyTorch's `MSELoss` has no $1/2$, which, with one output, doubles the gradient.")
    from simulations.engine import losses

    outputs = np.array([[0.3], [1.2], [-0.7]])
    targets = np.array([[0.0], [1.0], [0.5]])
    _, ours = losses.evaluate("half_squared_error", outputs, targets)
    y = torch.tensor(outputs, requires_grad=True)
    torch.nn.functional.mse_loss(y, torch.tensor(targets)).backward()
    assert np.allclose(y.grad.numpy(), 2 * ours, rtol=1e-12)


def test_softmax_cross_entropy_gradient_is_the_error(lesson_says):
    torch = pytest.importorskip("torch")
    lesson_says("02", "$$\\frac{\\partial L}{\\partial z_k} = a_k - y_k$$",
                "$$\\frac{\\partial L}{\\partial z_k} = a_k - y_k$$")
    z = torch.tensor([1.5, -0.3, 0.2, 2.0], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.cross_entropy(z[None], torch.tensor([2])).backward()
    one_hot = np.eye(4)[2]
    assert np.allclose(z.grad.numpy(), torch.softmax(z, 0).detach().numpy() - one_hot)


def test_the_figure_runs_both_losses_at_the_rate_of_nielsens_quadratic_cost_example(lesson_says):
    lesson_says(
        "02",
        "com a mesma taxa de aprendizado, $0{,}15$, para as duas. O ponto de partida e essa "
        "taxa são os do exemplo com erro quadrático do capítulo 3 do livro de Nielsen",
        "with the same learning rate, $0.15$, for both. The starting point and this rate are "
        "those of the quadratic-cost example in chapter 3 of Nielsen's book",
    )
    figure = yaml.safe_load((LESSON / "lesson.yaml").read_text(encoding="utf-8"))["figures"][0]
    assert figure["params"] == NIELSEN


def test_the_stable_cross_entropy_stays_finite_where_the_literal_formula_overflows(lesson_says):
    lesson_says(
        "02",
        "avaliada na forma estável $\\max(z, 0) + \\ln(1 + e^{-|z|}) - yz$",
        "evaluated in the stable form $\\max(z, 0) + \\ln(1 + e^{-|z|}) - yz$",
    )
    z, y = np.array([-800.0, -3.0, 0.5, 4.0, 800.0]), 0.0
    stable = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z
    with np.errstate(over="ignore"):
        literal = np.log(1 + np.exp(z)) - y * z
    assert np.all(np.isfinite(stable)) and not np.isfinite(literal[-1])
    assert np.allclose(stable[1:-1], literal[1:-1], rtol=1e-12)
    # The engine's form (np.logaddexp) is the same function.
    assert np.allclose(stable, np.logaddexp(0, z) - y * z, rtol=1e-12)


def grid_values(rule) -> list[float]:
    count = math.floor((rule["max"] - rule["min"]) / rule["step"] + 1e-9) + 1
    return [round(rule["min"] + k * rule["step"], 12) for k in range(count)]


def gradient_ratio_variants():
    questions = yaml.safe_load((LESSON / "questions.yaml").read_text(encoding="utf-8"))
    question = next(q for q in questions["questions"] if q["key"] == "razao-dos-gradientes")
    for w, b in itertools.product(grid_values(question["vary"]["initial_weight"]),
                                  grid_values(question["vary"]["initial_bias"])):
        params = {**question["fixed"], "initial_weight": w, "initial_bias": b}
        data = neuron_losses.run(validate(neuron_losses.NeuronLossesParams, params), 0)
        yield question, w + b, data.to_dict()["initial_gradient_ratio"]


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def rounded_a_route(z: float) -> float:
    a = round(sigmoid(z), 2)
    return 1 / (a * (1 - a))


# The routes of a learner who reasons right and rounds as the lesson does: a to two
# decimals, the slope to three, the answer with one decimal like the prompt's example.
ROUNDED_ROUTES = {
    "a rounded to two decimals": rounded_a_route,
    "the slope rounded to three decimals": lambda z: 1 / round(sigmoid(z) * (1 - sigmoid(z)), 3),
    "the ratio written with one decimal": lambda z: round(2 + math.exp(z) + math.exp(-z), 1),
}
# Shortcuts and slips that must not pass.
SLIPS = {
    "the cross-entropy's dL/da alone, 1/(1 - a)": lambda z: 1 / (1 - sigmoid(z)),
    "e^z, that is a/(1 - a)": lambda z: math.exp(z),
    "the inverse of the largest slope, 4": lambda z: 4.0,
    "the slope itself": lambda z: sigmoid(z) * (1 - sigmoid(z)),
    "1/a": lambda z: 1 / sigmoid(z),
}


def test_the_gradient_ratio_question_accepts_the_lessons_rounding_and_no_shortcut():
    variants = list(gradient_ratio_variants())
    assert len(variants) >= 9
    for question, z, right in variants:
        assert right == pytest.approx(2 + math.exp(z) + math.exp(-z), rel=1e-12)
        tolerance = question["atol"] + question["rtol"] * abs(right)
        for name, route in ROUNDED_ROUTES.items():
            assert abs(route(z) - right) <= tolerance, (z, name)
        # Twice the tolerance: a learner who rounds a slip is not pushed into the accepted band.
        for name, slip in SLIPS.items():
            assert abs(slip(z) - right) > 2 * tolerance, (z, name)
    # No variant has the answer the lesson prints (z = 4, about 57).
    assert all(z < 4 for _, z, _ in variants)


@pytest.mark.parametrize("rate", [0.05, 0.15, 0.5])
def test_the_plateau_does_not_depend_on_the_rate(lesson_says, rate):
    lesson_says("02", "As contagens de passos abaixo dependem dessa escolha; o platô do início, "
                "não.",
                "The step counts below depend on that choice; the plateau at the start does not.")
    params = {**NIELSEN, "learning_rate": rate, "steps": 2000}
    runs = neuron_losses.run(validate(neuron_losses.NeuronLossesParams, params), 0).to_dict()
    squared = np.array(runs["losses"]["squared_error"]["abs_grad_z"])
    crossed = np.array(runs["losses"]["cross_entropy"]["abs_grad_z"])
    # The squared error starts far below its own peak, the cross-entropy at its largest.
    assert squared.max() > 5 * squared[0]
    assert crossed.argmax() == 0
