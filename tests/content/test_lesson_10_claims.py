"""Lesson 18.10: every number the text states, recomputed from the engine."""

import functools

import numpy as np
import pytest
import yaml

from quizzes.expressions import evaluate_condition
from quizzes.margins import clearance
from quizzes.variants import variant_seed
from simulations.engine import dead_relu, gelu
from simulations.engine.activations import ACTIVATIONS
from simulations.engine.core import validate

from .conftest import LESSONS, read_lesson

FOLDER = next(LESSONS.glob("10-*"))
FIGURE = {"activation": "relu", "hidden_layers": 1, "width": 32, "learning_rate": 10,
          "sweep_min": 0.01, "sweep_max": 10}


def says(pt: str, en: str) -> None:
    assert pt in read_lesson("10", "pt-br")
    assert en in read_lesson("10", "en")


def pt_number(text: str) -> str:
    return text.replace(".", "{,}")


@functools.cache
def run(**raw) -> dead_relu.DeadReluResult:
    return dead_relu.run(validate(dead_relu.DeadReluParams, {**FIGURE, **raw}), 0)


def test_sigmoid_and_tanh_peaks_and_ten_layer_bound():
    sigmoid, tanh = ACTIVATIONS["sigmoid"], ACTIVATIONS["tanh"]
    assert sigmoid.max_slope == 0.25 and tanh.max_slope == 1.0
    bound = sigmoid.max_slope**10
    mantissa = f"{bound / 10**-7:.1f}"
    assert mantissa == "9.5" and bound == 2.0**-20
    says(f"$(1/4)^{{10}} \\approx {pt_number(mantissa)} \\times 10^{{-7}}$",
         f"$(1/4)^{{10}} \\approx {mantissa} \\times 10^{{-7}}$")


def test_gelu_slope_extremes_and_ten_layer_growth():
    peak, dip, at = f"{gelu.MAX_SLOPE:.2f}", f"{gelu.MIN_SLOPE:.2f}", f"{gelu.ARGMAX_SLOPE:.2f}"
    growth = f"{gelu.MAX_SLOPE**10:.1f}"
    says(f"derivada máxima de {peak.replace('.', ',')} em $z = \\sqrt{{2}} \\approx "
         f"{pt_number(at)}$ e mínima de {dip.replace('.', ',').replace('-', '−')} em "
         f"$z = -{pt_number(at)}$",
         f"maximum derivative of {peak} at $z = \\sqrt{{2}} \\approx {at}$ and a minimum of "
         f"{dip.replace('-', '−')} at $z = -{at}$")
    says(f"o fator pode chegar a {peak.replace('.', ',')} por camada; "
         f"${pt_number(peak)}^{{10}}$ é cerca de {growth.replace('.', ',')}",
         f"the factor can reach {peak} per layer; ${peak}^{{10}}$ is about {growth}")
    assert gelu.MAX_SLOPE > 1 > 0 > gelu.MIN_SLOPE


def test_no_unit_dies_at_rates_up_to_one_on_any_curve():
    says("Com taxas de até 1, nenhuma unidade morre nos 3 passos de SGD, em nenhuma das três "
         "curvas", "With rates up to 1, no unit dies during the 3 SGD steps, on any of the "
         "three curves")
    for raw in ({"bias_init": 0}, {"bias_init": 0.5}, {"activation": "leaky_relu"}):
        result = run(**raw)
        assert not result.sweep_dead_after_steps[result.sweep_rates <= 1].any()
        assert (result.sweep_dead_after_steps[result.sweep_rates >= 5] >= 0.2).all()


def test_at_rate_ten_relu_units_die_and_the_recovery_revives_none():
    result = run(bias_init=0).to_dict()
    died, after = result["dead_count"], result["dead_count_after_recovery"]
    says(f"Com $\\eta = 10$ e vieses inicializados em zero, {died} das 32 unidades morrem nos 3 "
         f"passos", f"With $\\eta = 10$ and biases initialized at zero, {died} of the 32 units "
         "die during the 3 steps")
    says(f"terminam {after} unidades mortas, pois os próprios passos de recuperação mataram "
         f"mais {after - died}", f"{after} units end up dead, because the recovery steps "
         f"themselves killed {after - died} more")
    trained = run(bias_init=0).trained
    assert np.all(trained.dead_after_recovery[0][trained.dead_after_steps[0]])  # none revived
    assert result["losses"][-1] < result["losses"][3]  # the recovery brings the loss down
    positive = run(bias_init=0.5).to_dict()["dead_count"]
    says(f"com $b_0 = 0{{,}}5$ e $\\eta = 10$, morreram {positive}",
         f"with $b_0 = 0.5$ and $\\eta = 10$, {positive} died")


def test_leaky_units_go_negative_about_as_often_but_keep_a_gradient():
    leaky, relu = run(activation="leaky_relu").to_dict(), run(bias_init=0).to_dict()
    says(f"({leaky['dead_count']} das 32, contra {relu['dead_count']})",
         f"({leaky['dead_count']} of the 32, versus {relu['dead_count']})")
    assert abs(leaky["dead_count"] - relu["dead_count"]) <= 2
    assert ACTIVATIONS["leaky_relu"].derivative(np.array([-1.0]))[0] == 0.01


def test_the_leak_brings_few_units_back_and_ends_with_as_many_as_relu():
    trained = run(activation="leaky_relu").trained
    steps, recovery = trained.dead_after_steps[0], trained.dead_after_recovery[0]
    back, new, before = (steps & ~recovery).sum(), (recovery & ~steps).sum(), steps.sum()
    after = run(activation="leaky_relu").to_dict()["dead_count_after_recovery"]
    says(f"só {back} das {before} voltou e outras {new} passaram a ter $z \\le 0$ em todos "
         f"os exemplos: a leaky ReLU termina com {after} unidades nessa situação, tantas "
         "quanto a ReLU",
         f"only {back} of the {before} came back and {new} more went to $z \\le 0$ on every "
         f"example, so leaky ReLU ends with {after} such units, as many as ReLU")
    assert back == 1 and after == run(bias_init=0).to_dict()["dead_count_after_recovery"]


def test_a_positive_initial_bias_kills_more_at_an_intermediate_rate():
    positive, zero = run(bias_init=0.5), run(bias_init=0)
    index = int(np.argmin(np.abs(np.log(positive.sweep_rates / 3))))  # the point nearest 3
    rate = f"{positive.sweep_rates[index]:.1f}"
    died, against = (round(32 * r.sweep_dead_after_steps[index]) for r in (positive, zero))
    says(f"Com $\\eta \\approx {pt_number(rate)}$, ele até piorou as coisas: morreram {died} "
         f"unidades com $b_0 = 0{{,}}5$, contra {against} com $b_0 = 0$",
         f"At $\\eta \\approx {rate}$ it even made things worse: {died} units died with "
         f"$b_0 = 0.5$, against {against} with $b_0 = 0$")
    assert died > 5 * against


def bisect(f, low: float, high: float) -> float:
    """Return where the increasing ``f`` crosses zero in [low, high]."""
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if f(middle) < 0 else (low, middle)
    return (low + high) / 2


def test_the_gelu_caption_quotes_where_its_derivative_crosses_zero_and_one():
    slope = lambda z: float(gelu.gelu_derivative(np.array(z)))  # noqa: E731
    above_one = bisect(lambda z: slope(z) - 1, 0.1, gelu.ARGMAX_SLOPE)
    negative_below = bisect(slope, -gelu.ARGMAX_SLOPE, -0.1)
    assert above_one == pytest.approx(-negative_below, abs=1e-12)  # f'(-z) = 1 - f'(z)
    crossing, peak, at = f"{above_one:.2f}", f"{gelu.MAX_SLOPE:.2f}", f"{gelu.ARGMAX_SLOPE:.2f}"
    assert crossing == "0.75"
    caption = figure_caption("activations-derivatives")
    assert (f"acima de 1 para z maior que cerca de {crossing.replace('.', ',')}, com máximo de "
            f"{peak.replace('.', ',')} em z = √2 ≈ {at.replace('.', ',')}, e fica negativa para "
            f"z menor que cerca de −{crossing.replace('.', ',')}") in caption["pt-br"]
    assert (f"above 1 for z greater than about {crossing}, peaking at {peak} at z = √2 ≈ {at}, "
            f"and negative for z below about −{crossing}") in caption["en"]


def figure_caption(name: str) -> dict:
    lesson = yaml.safe_load((FOLDER / "lesson.yaml").read_text(encoding="utf-8"))
    return next(f for f in lesson["figures"] if f["name"] == name)["caption"]


def question(key: str) -> dict:
    questions = yaml.safe_load((FOLDER / "questions.yaml").read_text(encoding="utf-8"))
    return next(q for q in questions["questions"] if q["key"] == key)


def test_fixed_answers_come_from_the_engine():
    assert question("limite-em-dez-camadas")["answer"] == ACTIVATIONS["sigmoid"].max_slope**10


DEAD_UNITS = question("unidades-mortas-depois-dos-passos")
# Learners' seeds are 32-bit hashes: hundreds drawn the way theirs are, for every rate.
LEARNER_SEEDS = [variant_seed(DEAD_UNITS["key"], f"learner {n}") for n in range(1500)]


@pytest.mark.parametrize("rate", DEAD_UNITS["vary"]["learning_rate"])
def test_every_dead_unit_variant_keys_the_choice_the_explanation_teaches(rate):
    """The usual slip (the intermediate rates, where the seed decides) is left out: at
    every served rate and seed, small rates leave at most one unit dead and 15 or 20 kill
    at least three, so the grader keys the choice the explanation argues for, clearly."""
    few, several = (choice["predicate"] for choice in DEAD_UNITS["choices"])
    taught, other = (few, several) if rate < 1 else (several, few)
    params = validate(dead_relu.DeadReluParams,
                      {**DEAD_UNITS["fixed"], "learning_rate": rate})
    for seed in LEARNER_SEEDS:
        result = dead_relu.run(params, seed).to_dict()
        assert result["dead_count"] <= 1 if rate < 1 else result["dead_count"] >= 3, seed
        assert evaluate_condition(taught, result) and not evaluate_condition(other, result)
        assert clearance(taught, result) >= DEAD_UNITS["margin"], seed
