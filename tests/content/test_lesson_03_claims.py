"""Lesson 18.3: every number and verdict the text states, recomputed from the engine."""

import functools
import math

import numpy as np
import pytest
import yaml

from quizzes.expressions import evaluate_number
from quizzes.grading import is_close
from simulations import registry
from simulations.engine import descent
from simulations.engine.core import validate

from .conftest import LESSONS, read_lesson

# The figures' configuration (lesson.yaml): kappa = 10, start (-4, 2), 100 steps.
PATHS = {"condition_number": 10, "steps": 100, "start_x": -4, "start_y": 2, "tolerance": 1e-6}


@functools.cache
def run(**raw) -> descent.DescentResult:
    return descent.run(validate(descent.DescentParams, raw), 0)


def says(pt: str, en: str) -> None:
    assert pt in read_lesson("03", "pt-br")
    assert en in read_lesson("03", "en")


def percent_one_digit(value: float) -> str:
    """Round a share to one significant digit of percent, as the text does ("0,2%")."""
    percent = 100 * value
    return f"{round(percent, -math.floor(math.log10(percent))):g}"


def test_at_09_of_the_limit_the_path_zigzags_and_reaches_a_millionth_in_70_steps():
    result = run(lr_fraction=0.9, **PATHS)
    says("Com $0{,}9 \\times 2/\\lambda_{\\max}$, o caminho ziguezagueia, mas chega a um "
         f"milionésimo da distância inicial ao mínimo em {result.steps_to_tolerance} passos",
         "With $0.9 \\times 2/\\lambda_{\\max}$, the path zigzags but cuts its distance from "
         "the minimum to a millionth of the initial value in "
         f"{result.steps_to_tolerance} steps")
    assert result.steps_to_tolerance == 70
    assert result.steep_sign_changes == 1.0


def test_at_03_of_the_limit_the_path_does_not_oscillate_and_is_slower():
    slow, fast = run(lr_fraction=0.3, **PATHS), run(lr_fraction=0.9, **PATHS)
    share = slow.distances[-1] / slow.distances[0]
    assert percent_one_digit(share) == "0.2"
    says("ele desce sem oscilar e, mesmo assim, é mais lento: depois de 100 passos, a "
         "distância ao mínimo ainda é cerca de 0,2% da inicial",
         "it slides down without oscillating and yet is slower: after 100 steps it is still "
         "about 0.2% of the initial distance away")
    assert slow.steep_sign_changes == 0.0
    assert slow.distances[-1] > fast.distances[-1]


def test_the_shallow_direction_sets_the_pace():
    slow, fast = run(lr_fraction=0.3, **PATHS), run(lr_fraction=0.9, **PATHS)
    # Near the minimum the slower direction decides: here it is the shallow one for both.
    factors = [round(r.predicted_rate, 2) for r in (slow, fast)]
    assert factors == [0.94, 0.82]
    assert slow.predicted_rate == pytest.approx(1 - 2 * 0.3 / 10)
    assert fast.predicted_rate == pytest.approx(1 - 2 * 0.9 / 10)
    says("o fator por passo é 0,94 com a taxa menor e 0,82 com a maior",
         "the factor per step is 0.94 with the smaller rate and 0.82 with the larger one")
    measured = [(r.distances[-1] / r.distances[-11]) ** (1 / 10) for r in (slow, fast)]
    np.testing.assert_allclose(measured, [0.94, 0.82], rtol=1e-3)


def test_at_105_of_the_limit_the_steep_coordinate_flips_and_grows_by_11():
    result = run(lr_fraction=1.05, **PATHS)
    steep = result.path[:, 1]
    np.testing.assert_allclose(steep[1:] / steep[:-1], -1.1, rtol=1e-12)
    growth = result.distances[-1] / result.distances[0]
    assert 6000 < growth < 7000 and len(result.path) == 101
    says("a coordenada íngreme é multiplicada por $-1{,}1$ a cada passo, e em 100 passos a "
         "distância ao mínimo fica mais de 6 mil vezes maior que no início",
         "the steep coordinate is multiplied by $-1.1$ at every step, and in 100 steps the "
         "distance to the minimum grows to more than 6,000 times its initial value")
    assert result.outcome == "diverged"


def test_the_three_regimes_are_split_at_half_the_limit_and_at_the_limit():
    says("Com $\\eta < 1/\\lambda_{\\max}$, o fator $1 - \\eta\\lambda_{\\max}$ é positivo",
         "With $\\eta < 1/\\lambda_{\\max}$, the factor $1 - \\eta\\lambda_{\\max}$ is positive")
    verdicts = {fraction: (run(lr_fraction=fraction, condition_number=10, steps=1000).outcome,
                           run(lr_fraction=fraction, condition_number=10,
                               steps=1000).steep_sign_changes)
                for fraction in (0.45, 0.55, 0.95, 1.02)}
    assert verdicts == {0.45: ("converged", 0.0), 0.55: ("converged", 1.0),
                        0.95: ("converged", 1.0), 1.02: ("diverged", 1.0)}


def test_the_rate_one_over_lambda_max_takes_the_steep_coordinate_to_the_bottom_in_one_step():
    says("em que a taxa $1/\\lambda_{\\max}$ leva a coordenada íngreme ao fundo em um único passo",
         "in which the rate $1/\\lambda_{\\max}$ takes the steep coordinate to the bottom in a "
         "single step")
    assert run(lr_fraction=0.5, **PATHS).path[1, 1] == 0.0


@pytest.mark.parametrize(("kappa", "factor", "steps"), [(10, "0,818", 69), (100, "0,980", 691)])
def test_the_best_fixed_rate_factor_and_steps_to_a_millionth(kappa, factor, steps):
    result = run(lr_rule="best", condition_number=kappa, steps=1000, start_x=-4, start_y=2,
                 tolerance=1e-6)
    assert f"{(kappa - 1) / (kappa + 1):.3f}".replace(".", ",") == factor
    assert f"{result.predicted_rate:.3f}".replace(".", ",") == factor
    assert result.steps_to_tolerance == steps
    assert steps == math.ceil(math.log(1e-6) / math.log((kappa - 1) / (kappa + 1)))
    pt = {10: f"Com $\\kappa = 10$, o fator é {factor}, e o gradiente descendente chega a um "
              f"milionésimo da distância inicial em {steps} passos",
          100: f"Com $\\kappa = 100$, o fator é {factor}, e são necessários {steps} passos, "
               "cerca de dez vezes mais"}[kappa]
    en = {10: f"With $\\kappa = 10$ the factor is {factor.replace(',', '.')}, and gradient "
              f"descent cuts the distance to a millionth of the initial value in {steps} steps",
          100: f"With $\\kappa = 100$ the factor is {factor.replace(',', '.')}, and it takes "
               f"{steps} steps, about ten times as many"}[kappa]
    says(pt, en)


def test_ten_times_the_condition_number_takes_about_ten_times_the_steps():
    steps = [run(lr_rule="best", condition_number=k, steps=1000, start_x=-4, start_y=2,
                 tolerance=1e-6).steps_to_tolerance for k in (10, 100)]
    assert round(steps[1] / steps[0]) == 10


def test_the_best_rule_is_the_fraction_kappa_over_kappa_plus_one_and_no_rate_beats_it():
    says("que é a fração $\\kappa/(\\kappa+1)$ do limite",
         "the fraction $\\kappa/(\\kappa+1)$ of the limit")
    best = run(lr_rule="best", condition_number=30, steps=10)
    assert best.learning_rate == pytest.approx(30 / 31 * 2)
    rates = [run(lr_fraction=f, condition_number=30, steps=10).predicted_rate
             for f in np.linspace(0.05, 1.0, 40)]
    assert min(rates) >= best.predicted_rate - 1e-12


def test_with_more_directions_the_best_rate_multiplies_the_distance_by_at_most_the_factor():
    says("Com mais de duas direções, a distância é multiplicada por no máximo esse fator",
         "With more than two directions, the distance is multiplied by at most this factor")
    # A third curvature between the two, on the engine's descent loop.
    curvatures = np.array([0.1, 0.37, 1.0])
    bowl = descent.Objective("three-way bowl", lambda t: 0.5 * (t**2 @ curvatures),
                             lambda t: t * curvatures, np.zeros(3), curvatures,
                             np.array([0.0, 0.0, 1.0]))
    eta = 2 / (curvatures[0] + curvatures[-1])
    path = descent.descend(bowl, descent.GradientDescent(eta), np.array([-4.0, 3.0, 2.0]), 60)
    norms = np.linalg.norm(path, axis=1)
    kappa = curvatures[-1] / curvatures[0]
    factor = (kappa - 1) / (kappa + 1)
    assert np.all(norms[1:] / norms[:-1] <= factor * (1 + 1e-12))
    assert norms[-1] / norms[-2] == pytest.approx(factor, rel=1e-3)  # and it is reached


def question(key: str) -> dict:
    text = (next(LESSONS.glob("03-*")) / "questions.yaml").read_text(encoding="utf-8")
    return next(q for q in yaml.safe_load(text)["questions"] if q["key"] == key)


# Factors a learner could give by a typical slip, as functions of kappa.
SLIPS = {
    "1 - 2/kappa (the shallow factor at eta = 2/lambda_max)": lambda k: 1 - 2 / k,
    "1 - 1/kappa (the shallow factor at eta = 1/lambda_max)": lambda k: 1 - 1 / k,
    "kappa/(kappa + 1) (the best rate's fraction of the limit)": lambda k: k / (k + 1),
    "2/(kappa + 1) (eta lambda_min, the step instead of the factor)": lambda k: 2 / (k + 1),
    "((kappa - 1)/(kappa + 1))^2 (the loss's factor)": lambda k: ((k - 1) / (k + 1)) ** 2,
    "sqrt((kappa - 1)/(kappa + 1))": lambda k: math.sqrt((k - 1) / (k + 1)),
    "1/kappa": lambda k: 1 / k,
}


def test_the_best_rate_question_accepts_the_factor_and_no_slip_for_every_variant():
    asked = question("fator-com-a-melhor-taxa")
    quantities = dict(registry.get("gradient_descent").quantities)
    tolerance = {"rtol": asked["rtol"], "atol": asked["atol"], "log_scale": False}
    for kappa in asked["vary"]["condition_number"]:
        data = run(**asked["fixed"], condition_number=kappa).to_dict()
        key = evaluate_number(asked["quantity"], data, quantities)
        assert key == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-9), kappa
        assert is_close((kappa - 1) / (kappa + 1), key, **tolerance)
        for slip, value in SLIPS.items():
            assert not is_close(value(kappa), key, **tolerance), (kappa, slip)
