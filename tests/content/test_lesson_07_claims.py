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


def test_the_v_has_slopes_2_and_minus_1(lesson_says, sweep):
    lesson_says(
        "07",
        "o erro relativo sobe com inclinação 2,0 no gráfico log-log, como $\\varepsilon^2$; "
        "à esquerda, com inclinação −1,0, como $1/\\varepsilon$.",
        "the relative error rises with a slope of 2.0 on the log-log plot, like "
        "$\\varepsilon^2$; left of it, with a slope of −1.0, like $1/\\varepsilon$.",
    )
    assert round(sweep["truncation_slope"], 1) == 2.0
    assert round(sweep["rounding_slope"], 1) == -1.0


def test_the_smallest_error_and_where_it_occurs(lesson_says, sweep):
    lesson_says(
        "07",
        "O menor erro, cerca de $5 \\times 10^{-12}$, aparece em "
        "$\\varepsilon \\approx 1{,}8 \\times 10^{-5}$, e não exatamente em $u^{1/3}$",
        "The smallest error, about $5 \\times 10^{-12}$, occurs at "
        "$\\varepsilon \\approx 1.8 \\times 10^{-5}$, not exactly at $u^{1/3}$",
    )
    mantissa, exponent = _mantissa_and_exponent(sweep["min_error"])
    assert (round(mantissa), exponent) == (5, -12)
    assert _mantissa_and_exponent(sweep["best_epsilon"]) == (1.8, -5)
    cube_root = sweep["machine_epsilon"] ** (1 / 3)
    assert abs(math.log10(sweep["best_epsilon"] / cube_root)) > 0.3  # "not exactly"


def test_the_models_minimum_and_why_it_moves(lesson_says, sweep):
    lesson_says(
        "07",
        "põe o mínimo em $(3u|f|/|f'''|)^{1/3} \\approx 2{,}4 \\times 10^{-5}$, porque aqui "
        "$|f'''|$ é bem menor que $|f|$.",
        "puts the minimum at $(3u|f|/|f'''|)^{1/3} \\approx 2.4 \\times 10^{-5}$, because here "
        "$|f'''|$ is much smaller than $|f|$.",
    )
    assert _mantissa_and_exponent(sweep["model_best_epsilon"]) == (2.4, -5)
    expected = (3 * sweep["machine_epsilon"] * abs(sweep["loss"])
                / abs(sweep["third_derivative"])) ** (1 / 3)
    assert sweep["model_best_epsilon"] == pytest.approx(expected)
    assert abs(sweep["third_derivative"]) < abs(sweep["loss"]) / 10  # "much smaller"


def test_the_bottom_of_the_v_is_wide(lesson_says, sweep):
    lesson_says(
        "07",
        "qualquer $\\varepsilon$ entre $10^{-7}$ e $10^{-4}$ dá erro abaixo de $10^{-8}$.",
        "any $\\varepsilon$ between $10^{-7}$ and $10^{-4}$ gives an error below $10^{-8}$.",
    )
    epsilons, errors = np.array(sweep["epsilons"]), np.array(sweep["errors"])
    bottom = (epsilons >= 1e-7 * (1 - 1e-9)) & (epsilons <= 1e-4 * (1 + 1e-9))
    assert bottom.sum() == 13  # four steps per decade, both ends included
    assert errors[bottom].max() < 1e-8


def test_the_cube_root_of_float64_precision_is_about_6e_minus_6(lesson_says, sweep):
    lesson_says(
        "07",
        "em float64, isso dá cerca de $6 \\times 10^{-6}$",
        "in float64 that is about $6 \\times 10^{-6}$",
    )
    assert number(sweep["machine_epsilon"] ** (1 / 3) * 1e6, 1) == "6"
