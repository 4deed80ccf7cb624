"""The numbers lesson 18.7 states about its figure (the ε sweep of the gradient check),
recomputed from the engine at the figure's configuration, quoting both languages."""

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulations import registry
from simulations.plots.common import number

LESSON = next((Path(__file__).resolve().parents[2] / "content" / "redes-neurais"
               / "18-backpropagation").glob("07-*"))


@pytest.fixture(scope="module")
def sweep() -> dict:
    """The sweep of the lesson's figure, run exactly as lesson.yaml declares it."""
    spec = yaml.safe_load((LESSON / "lesson.yaml").read_text(encoding="utf-8"))["figures"][0]
    assert spec["name"] == "gradcheck-epsilon-sweep" and spec["plot"] == "epsilon_sweep"
    declaration = registry.get(spec["simulation"])
    params = declaration.validate({**spec["params"], **spec["series"][0].get("params", {})})
    return declaration.run(params, spec["seed"]).to_dict()["sweep"]


def _mantissa_and_exponent(value: float) -> tuple[float, int]:
    exponent = math.floor(math.log10(value))
    return round(value / 10**exponent, 1), exponent


# The left branch and the bottom of the V are rounding errors: their exact values depend on
# the BLAS kernel and the CPU (OpenBLAS's Haswell, SkylakeX, Sandybridge and Prescott kernels
# and 55 orders of the batch, which leave the loss mathematically unchanged, gave a minimum
# of 5.3e-12 to 2.8e-11 at steps 5.6e-6 to 3.2e-5, and rounding slopes of -0.87 to -1.11;
# review 2026-12). The text states them as orders and the tests check bands around those
# ranges. The right branch and the model come from truncation and backpropagated
# derivatives, far above rounding, so they are checked to the digit the text gives.


def test_the_v_has_slopes_2_and_close_to_minus_1(lesson_says, sweep):
    lesson_says(
        "07",
        "o erro relativo sobe com inclinação 2,0 no gráfico log-log, como $\\varepsilon^2$; "
        "à esquerda, sobe com inclinação próxima de −1, como $1/\\varepsilon$, num traçado "
        "irregular",
        "the relative error rises with a slope of 2.0 on the log-log plot, like "
        "$\\varepsilon^2$; to the left of it, it rises with a slope close to −1, like "
        "$1/\\varepsilon$, along a jagged line",
    )
    assert round(sweep["truncation_slope"], 1) == 2.0  # truncation: the same on any machine
    assert abs(sweep["rounding_slope"] + 1) <= 0.25  # rounding: -0.87..-1.11 observed


def test_the_lowest_point_is_of_order_1e_minus_11_near_1e_minus_5(lesson_says, sweep):
    lesson_says(
        "07",
        "o ponto mais baixo, com erro da ordem de $10^{-11}$, cai num passo perto de "
        "$10^{-5}$ que depende de como a máquina arredonda.",
        "the lowest point, with an error of order $10^{-11}$, falls on a step near $10^{-5}$ "
        "that depends on how the machine rounds.",
    )
    assert 1e-12 <= sweep["min_error"] <= 1e-10
    assert abs(math.log10(sweep["best_epsilon"]) + 5) <= 0.55


def test_the_models_minimum_and_why_it_moves(lesson_says, sweep):
    lesson_says(
        "07",
        "tem mínimo em $(3u|\\varphi|/|\\varphi'''|)^{1/3} \\approx 2{,}4 \\times 10^{-5}$, "
        "quatro vezes $u^{1/3}$, porque aqui $|\\varphi'''|$ é cerca de 20 vezes menor que "
        "$|\\varphi|$.",
        "is smallest at $(3u|\\varphi|/|\\varphi'''|)^{1/3} \\approx 2.4 \\times 10^{-5}$, four "
        "times $u^{1/3}$, because here $|\\varphi'''|$ is about 20 times smaller than "
        "$|\\varphi|$.",
    )
    # f''' comes from backpropagated derivatives at a step of 1e-3: no rounding dependence.
    assert _mantissa_and_exponent(sweep["model_best_epsilon"]) == (2.4, -5)
    expected = (3 * sweep["machine_epsilon"] * abs(sweep["loss"])
                / abs(sweep["third_derivative"])) ** (1 / 3)
    assert sweep["model_best_epsilon"] == pytest.approx(expected)
    assert round(sweep["model_best_epsilon"] / sweep["machine_epsilon"] ** (1 / 3)) == 4
    assert 15 <= abs(sweep["loss"]) / abs(sweep["third_derivative"]) <= 30  # "about 20"


def test_the_caption_calls_the_rounding_line_an_upper_estimate(sweep):
    spec = yaml.safe_load((LESSON / "lesson.yaml").read_text(encoding="utf-8"))["figures"][0]
    caption = {language: " ".join(text.split()) for language, text in spec["caption"].items()}
    assert ("A linha tracejada é uma estimativa por cima: o erro de arredondamento medido fica "
            "abaixo dela.") in caption["pt-br"]
    assert ("The dashed line is an upper estimate: the measured rounding error stays below "
            "it.") in caption["en"]
    epsilons, errors = np.array(sweep["epsilons"]), np.array(sweep["errors"])
    rounding = np.array(sweep["model_rounding"])
    left = epsilons <= min(sweep["best_epsilon"], sweep["model_best_epsilon"]) / 10
    # Each point, not only the median (0.074..0.495 over the rounding variants of the review).
    assert np.all(errors[left] < rounding[left])


def test_the_bottom_of_the_v_is_wide(lesson_says, sweep):
    lesson_says(
        "07",
        "qualquer $\\varepsilon$ entre $10^{-7}$ e $10^{-4}$ dá erro abaixo de $10^{-8}$",
        "any $\\varepsilon$ between $10^{-7}$ and $10^{-4}$ gives an error below $10^{-8}$",
    )
    epsilons, errors = np.array(sweep["epsilons"]), np.array(sweep["errors"])
    bottom = (epsilons >= 1e-7 * (1 - 1e-9)) & (epsilons <= 1e-4 * (1 + 1e-9))
    assert bottom.sum() == 13  # four steps per decade, both ends included
    assert errors[bottom].max() < 1e-8  # 3.6e-9 at most over the variants above


def test_the_cube_root_of_float64_precision_is_about_6e_minus_6(lesson_says, sweep):
    lesson_says(
        "07",
        "sua raiz cúbica é cerca de $6 \\times 10^{-6}$",
        "its cube root is about $6 \\times 10^{-6}$",
    )
    assert number(sweep["machine_epsilon"] ** (1 / 3) * 1e6, 1) == "6"


def test_u_is_the_machine_epsilon_of_float64(lesson_says, sweep):
    lesson_says(
        "07",
        "em que $u = 2^{-52} \\approx 2{,}2 \\times 10^{-16}$ é o épsilon de máquina do float64",
        "where $u = 2^{-52} \\approx 2.2 \\times 10^{-16}$ is the machine epsilon of float64",
    )
    assert sweep["machine_epsilon"] == 2.0**-52 == np.finfo(np.float64).eps
    assert _mantissa_and_exponent(sweep["machine_epsilon"]) == (2.2, -16)


def test_float32_cannot_reach_the_tolerance(lesson_says):
    lesson_says(
        "07",
        "em float32, $u = 2^{-23}$, e o menor erro alcançável, da ordem de "
        "$u^{2/3} \\approx 2 \\times 10^{-5}$, passa da tolerância",
        "in float32, $u = 2^{-23}$, and the smallest error reachable, of order "
        "$u^{2/3} \\approx 2 \\times 10^{-5}$, lies above the tolerance",
    )
    u = float(np.finfo(np.float32).eps)
    assert u == 2.0**-23
    assert round(u ** (2 / 3) * 1e5) == 2
    # The model's two terms at their balance point are both of order u^(2/3).
    assert u ** (2 / 3) > 10 * 1e-6
