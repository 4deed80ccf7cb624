"""Lesson 18.6 (backpropagation in matrix form): every number it states, recomputed."""

import numpy as np
import pytest

from simulations.engine import backprop_matrix
from simulations.engine.core import validate

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


def test_the_output_error_of_the_first_example(lesson_says, figure):
    y_pt, y_en = both(figure.activations[-1][0, 0], 3)
    t_pt, t_en = both(figure.targets[0, 0], 3)
    delta = figure.deltas[-1][0, 0]
    d_pt, d_en = both(delta, 3)
    lesson_says(
        "06",
        f"$(\\hat y - t)/B = ({y_pt} - {t_pt})/3 \\approx {d_pt}$, o valor no canto do painel "
        "$\\delta^3$",
        f"$(\\hat y - t)/B = ({y_en} - {t_en})/3 \\approx {d_en}$, the value in the corner of "
        "the $\\delta^3$ panel",
    )
    assert delta == pytest.approx((figure.activations[-1][0, 0] - figure.targets[0, 0]) / 3)


def test_one_weight_gradient_entry_is_a_sum_over_the_batch(lesson_says, figure):
    entry = figure.weight_grads[1][1, 0]
    by_hand = sum(figure.activations[0][b, 1] * figure.deltas[1][b, 0] for b in range(3))
    pt, en = both(entry, 4)
    lesson_says(
        "06",
        f"$\\partial L/\\partial W^2_{{21}} = \\sum_b h^1_{{b2}}\\,\\delta^2_{{b1}} \\approx {pt}$",
        f"$\\partial L/\\partial W^2_{{21}} = \\sum_b h^1_{{b2}}\\,\\delta^2_{{b1}} \\approx {en}$",
    )
    assert entry == pytest.approx(by_hand, rel=1e-12)


def test_the_first_layers_delta_is_about_35_times_smaller(lesson_says, figure):
    ratio = np.linalg.norm(figure.deltas[-1]) / np.linalg.norm(figure.deltas[0])
    lesson_says(
        "06",
        f"a norma de $\\Delta^1$ é cerca de {round(ratio)} vezes menor que a de $\\Delta^3$",
        f"the norm of $\\Delta^1$ is about {round(ratio)} times smaller than that of $\\Delta^3$",
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
