"""Lesson 18.6 (backpropagation in matrix form): every number it states, recomputed."""

import itertools
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulations.engine import backprop_matrix
from simulations.engine.core import validate

LESSON = (Path(__file__).resolve().parents[2] / "content" / "redes-neurais"
          / "18-backpropagation" / "06-backpropagation-em-forma-matricial")
# The lesson's figures: a 3-4-4-2 sigmoid network on a batch of 3, seed 0.
FIGURE = {"input_size": 3, "depth": 2, "width": 4, "outputs": 2, "batch_size": 3,
          "activation": "sigmoid", "init": "glorot_normal"}


@pytest.fixture(scope="module")
def figure():
    return backprop_matrix.run(validate(backprop_matrix.BackpropMatrixParams, FIGURE), 0)


def both(value: float, decimals: int) -> tuple[str, str]:
    """Return the value as the Portuguese and the English text write it in math."""
    english = f"{value:.{decimals}f}"
    return english.replace(".", "{,}"), english


def comma(number: str) -> str:
    """Return a number as Portuguese prose writes it outside math."""
    return number.replace(".", ",")


def test_the_output_error_of_the_first_example(lesson_says, figure):
    y_pt, y_en = both(figure.activations[-1][0, 0], 3)
    t_pt, t_en = both(figure.targets[0, 0], 3)
    delta = figure.deltas[-1][0, 0]
    d_pt, d_en = both(delta, 3)
    lesson_says(
        "06",
        f"$(\\hat y - t)/B = ({y_pt} - {t_pt})/3 \\approx {d_pt}$, o valor no canto superior "
        "esquerdo do painel $\\delta^3$",
        f"$(\\hat y - t)/B = ({y_en} - {t_en})/3 \\approx {d_en}$, the value in the top-left "
        "corner of the $\\delta^3$ panel",
    )
    assert delta == pytest.approx((figure.activations[-1][0, 0] - figure.targets[0, 0]) / 3)


def test_one_weight_gradient_entry_is_a_sum_over_the_batch(lesson_says, figure):
    entry = figure.weight_grads[1][1, 0]
    by_hand = sum(figure.activations[0][n, 1] * figure.deltas[1][n, 0] for n in range(3))
    pt, en = both(entry, 4)
    lesson_says(
        "06",
        f"$\\partial L/\\partial W^2_{{21}} = \\sum_n h^1_{{n2}}\\,\\delta^2_{{n1}} \\approx {pt}$",
        f"$\\partial L/\\partial W^2_{{21}} = \\sum_n h^1_{{n2}}\\,\\delta^2_{{n1}} \\approx {en}$",
    )
    assert entry == pytest.approx(by_hand, rel=1e-12)
    # The same sum from the numbers the figure prints (four digits) lands on the same rounding.
    printed = sum(round(figure.activations[0][n, 1], 4) * round(figure.deltas[1][n, 0] * 100, 3)
                  for n in range(3)) / 100
    assert round(printed, 4) == round(entry, 4)


def test_the_delta_2_panel_is_in_units_of_a_hundredth(lesson_says, figure):
    from simulations.plots.backprop_matrix import panel_exponent

    assert panel_exponent(figure.deltas[1]) == -2
    shown = figure.deltas[1][0, 0] * 100
    lesson_says(
        "06",
        f"O painel $\\delta^2$ está em unidades de $10^{{-2}}$: o {comma(f'{shown:.3f}')} do seu "
        f"canto vale {comma(f'{figure.deltas[1][0, 0]:.5f}')}",
        f"The $\\delta^2$ panel is in units of $10^{{-2}}$: the {shown:.3f} in its corner "
        f"stands for {figure.deltas[1][0, 0]:.5f}",
    )
    assert round(figure.deltas[1][0, 0], 5) == round(shown, 3) / 100


def test_every_forward_number_follows_from_the_printed_weights_and_biases(lesson_says, figure):
    lesson_says("06", "Todos os números podem ser conferidos à mão, com os pesos e os vieses da "
                "figura seguinte.",
                "Every number can be checked by hand, with the weights and biases of the next "
                "figure.")
    # The figures print four significant digits; redoing h1 and h2 from them agrees with the
    # engine to within what that rounding allows.
    h = figure.inputs
    for layer in range(2):
        z = h @ np.round(figure.weights[layer], 3) + np.round(figure.biases[layer], 3)
        h = 1 / (1 + np.exp(-z))
        assert np.allclose(h, figure.activations[layer], atol=5e-3)
    slope = figure.activations[1] * (1 - figure.activations[1])
    assert np.allclose(
        (figure.deltas[2] @ figure.weights[2].T) * slope, figure.deltas[1], rtol=1e-12)


def test_the_first_layers_delta_is_about_35_times_smaller(lesson_says, figure):
    first, last = np.linalg.norm(figure.deltas[0]), np.linalg.norm(figure.deltas[-1])
    lesson_says(
        "06",
        f"a norma (de Frobenius) de $\\Delta^1$, {comma(f'{first:.3f}')}, é cerca de "
        f"{round(last / first)} vezes menor que a de $\\Delta^3$, {comma(f'{last:.2f}')}.",
        f"the (Frobenius) norm of $\\Delta^1$, {first:.3f}, is about {round(last / first)} times "
        f"smaller than that of $\\Delta^3$, {last:.2f}.",
    )


def test_the_shapes_table_matches_the_engine(lesson_says):
    lesson_says("06", "| $W^l$ e $\\partial L/\\partial W^l$ | $(n_{l-1}, n_l)$ |",
                "| $W^l$ and $\\partial L/\\partial W^l$ | $(n_{l-1}, n_l)$ |")
    for batch in (1, 4):
        result = backprop_matrix.run(
            validate(backprop_matrix.BackpropMatrixParams, {**FIGURE, "batch_size": batch}), 1)
        for layer, weight in enumerate(result.weights):
            assert result.weight_grads[layer].shape == weight.shape
            assert result.deltas[layer].shape == (batch, weight.shape[1])
            assert result.bias_grads[layer].shape == (weight.shape[1],)


def test_pytorch_linear_stores_the_transpose_of_the_lessons_weights(lesson_says, figure):
    torch = pytest.importorskip("torch")
    lesson_says(
        "06",
        "o `nn.Linear` do PyTorch guarda a transposta, (saídas, entradas), como Nielsen, e "
        "calcula $H W^{\\mathsf{T}} + b$",
        "PyTorch's `nn.Linear` stores the transpose, (outputs, inputs), as Nielsen does, and "
        "computes $H W^{\\mathsf{T}} + b$",
    )
    weight, bias = figure.weights[0], figure.biases[0]
    linear = torch.nn.Linear(*weight.shape, dtype=torch.float64)
    assert tuple(linear.weight.shape) == weight.T.shape
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(weight.T))
        linear.bias.copy_(torch.from_numpy(bias))
    inputs = torch.from_numpy(figure.inputs)
    linear(inputs).pow(2).sum().backward()
    z = figure.inputs @ weight + bias
    assert np.allclose(linear(inputs).detach().numpy(), z, rtol=1e-12)
    # Its weight gradient is the transpose of the lesson's dL/dW = H^T Delta, here Delta = 2 Z.
    assert np.allclose(linear.weight.grad.numpy(), (figure.inputs.T @ (2 * z)).T, rtol=1e-12)


# What a learner who slips might answer for the entries of dL/dW^1 in a
# n0-n1-n1-k network trained on batches of B: none may equal n0 n1.
SLIPS = {
    "the shape of Delta^1, B n1": lambda n0, n1, k, b: b * n1,
    "the shape of X, B n0": lambda n0, n1, k, b: b * n0,
    "W^2, n1 n1": lambda n0, n1, k, b: n1 * n1,
    "W^3, n1 k": lambda n0, n1, k, b: n1 * k,
    "input to output, n0 k": lambda n0, n1, k, b: n0 * k,
    "one gradient per example, B n0 n1": lambda n0, n1, k, b: b * n0 * n1,
    "the bias included, (n0 + 1) n1": lambda n0, n1, k, b: (n0 + 1) * n1,
    "a sum of sizes, n0 + n1": lambda n0, n1, k, b: n0 + n1,
    "the units only, n1": lambda n0, n1, k, b: n1,
}


def test_no_slip_gives_the_right_count_in_any_variant_of_the_entries_question(lesson_says):
    questions = yaml.safe_load((LESSON / "questions.yaml").read_text(encoding="utf-8"))
    question = next(q for q in questions["questions"] if q["key"] == "numeros-no-gradiente")
    fixed, vary = question["fixed"], question["vary"]
    names = sorted(vary)
    answers = set()
    for values in itertools.product(*(vary[name] for name in names)):
        params = {**fixed, **dict(zip(names, values, strict=True))}
        result = backprop_matrix.run(validate(backprop_matrix.BackpropMatrixParams, params), 0)
        right = result.weight_grads[0].size
        n0, n1, k, b = (params["input_size"], params["width"], params["outputs"],
                        params["batch_size"])
        assert right == n0 * n1 == result.to_dict()["weight_grad_shapes"][0][0] * n1
        assert [name for name, slip in SLIPS.items() if slip(n0, n1, k, b) == right] == []
        answers.add(right)
    assert len(answers) > 1  # not one answer for every learner
