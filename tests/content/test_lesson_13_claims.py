"""Lesson 18.13: every number and verdict the text states, recomputed from the engine."""

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
from simulations.engine.optimizers import Momentum

from .conftest import LESSONS, read_lesson

START = {"start_x": -4, "start_y": 2}
BOWL = {"condition_number": 100, "steps": 100, **START}  # the first figure's configuration
VALLEY = {"objective": "rosenbrock", "lr_rule": "absolute", "steps": 1000, "start_x": -1.5,
          "start_y": 2, "tolerance": 1e-3}


@functools.cache
def run(**raw) -> descent.DescentResult:
    return descent.run(validate(descent.DescentParams, raw), 0)


def says(pt: str, en: str) -> None:
    assert pt in read_lesson("13", "pt-br")
    assert en in read_lesson("13", "en")


def decimals(value: float, places: int) -> tuple[str, str]:
    """Return the value with ``places`` decimals in Portuguese and in English."""
    text = f"{value:.{places}f}"
    return text.replace(".", ","), text


def share(result: descent.DescentResult) -> float:
    return result.distances[-1] / result.distances[0]


def percent(result: descent.DescentResult) -> tuple[str, str]:
    """Return the final share of the initial distance, in percent with two significant
    digits, in Portuguese and in English."""
    text = f"{100 * share(result):.2g}"
    return text.replace(".", ","), text


def test_at_the_same_rate_momentum_ends_far_closer_than_gradient_descent():
    plain = run(optimizer="gradient_descent", lr_rule="absolute", learning_rate=1, **BOWL)
    heavy = run(optimizer="momentum", lr_rule="absolute", learning_rate=1, momentum=0.9, **BOWL)
    far, factor = percent(plain), decimals(plain.predicted_rate, 2)
    near, rate = decimals(100 * share(heavy), 2), decimals(heavy.predicted_rate, 3)
    says(f"o gradiente descendente ainda está a {far[0]}% da distância inicial depois de 100 "
         f"passos, porque a coordenada rasa só é multiplicada por {factor[0]} a cada passo",
         f"gradient descent is still {far[1]}% of the initial distance away after 100 steps, "
         f"because the shallow coordinate is only multiplied by {factor[1]} at each step")
    says(f"mas chega a {near[0]}% da distância inicial: perto do mínimo, a distância passa "
         f"a ser multiplicada por cerca de {rate[0]} a cada passo",
         f"yet it gets to {near[1]}% of the initial distance: near the minimum, the "
         f"distance is now multiplied by about {rate[1]} per step")
    assert heavy.predicted_rate == pytest.approx(math.sqrt(0.9), rel=1e-9)
    assert heavy.steep_sign_changes > 0.2  # it oscillates along the steep direction
    assert share(heavy) < share(plain) / 100


def test_the_effective_rate_of_momentum_is_ten_times_eta_for_beta_09():
    says("a taxa efetiva chega a $\\eta/(1-\\beta)$, dez vezes $\\eta$ com $\\beta = 0{,}9$",
         "the effective rate approaches $\\eta/(1-\\beta)$, ten times $\\eta$ for "
         "$\\beta = 0.9$")
    # On a flat slope (constant gradient) the velocity tends to g / (1 - beta).
    flat = descent.Objective("slope", lambda t: t[..., 0], lambda t: t * 0 + [1.0, 0.0],
                             np.zeros(2), np.array([1.0, 1.0]),
                             np.array([0.0, 1.0]))
    path = descent.descend(flat, Momentum(0.01, 0.9), np.array([5.0, 0.0]),
                           200)
    assert path[-2, 0] - path[-1, 0] == pytest.approx(10 * 0.01, rel=1e-6)


@pytest.mark.parametrize("kappa", [100, 1000])
def test_momentum_against_gradient_descent_at_their_best(kappa):
    plain = run(optimizer="gradient_descent", lr_rule="best", condition_number=kappa,
                steps=1000, **START)
    heavy = run(optimizer="momentum", lr_rule="best", condition_number=kappa, steps=1000,
                **START)
    root = math.sqrt(kappa)
    assert heavy.predicted_rate == pytest.approx((root - 1) / (root + 1), rel=1e-6)
    assert plain.predicted_rate == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-12)
    if kappa == 100:
        slow, fast = decimals(plain.predicted_rate, 3), decimals(heavy.predicted_rate, 3)
        says(f"Com $\\kappa = 100$, o fator cai de {slow[0]} para {fast[0]}, e o momentum "
             f"chega a um milionésimo da distância inicial em {heavy.steps_to_tolerance} "
             f"passos, contra {plain.steps_to_tolerance} do gradiente descendente",
             f"With $\\kappa = 100$ the factor drops from {slow[1]} to {fast[1]}, and momentum "
             f"reaches a millionth of the initial distance in {heavy.steps_to_tolerance} "
             f"steps, against {plain.steps_to_tolerance} for gradient descent")
    else:
        assert plain.steps_to_tolerance is None
        says(f"com $\\kappa = 1000$, o momentum precisa de {heavy.steps_to_tolerance} passos, e "
             "o gradiente descendente não chega lá em 1000",
             f"with $\\kappa = 1000$ momentum needs {heavy.steps_to_tolerance} steps, and "
             "gradient descent does not get there within 1000")


def test_momentum_steps_grow_like_the_square_root_of_kappa():
    sweep = run(optimizer="momentum", lr_rule="best", steps=1000, sweep=True, **START)
    steps = dict(zip(descent.SWEEP_CONDITION_NUMBERS, sweep.sweep_steps, strict=True))
    # Ten times kappa, about sqrt(10) ~ 3.2 times the steps (not 10).
    assert 2.5 < steps[100.0] / steps[10.0] < 4 and 2.5 < steps[1000.0] / steps[100.0] < 4


def test_polyaks_parameters_from_the_minimum_diverge_in_rosenbrocks_valley():
    says("os valores calculados com as curvaturas do mínimo fazem o método divergir a partir "
         "de $(-1{,}5;\\ 2)$",
         "the values computed from the curvatures at the minimum make the method diverge "
         "from $(-1.5, 2)$")
    result = run(**{**VALLEY, "lr_rule": "best"}, optimizer="momentum")
    assert result.outcome == "diverged"


def test_rmsprops_first_step_is_ten_times_eta_and_adams_is_eta():
    says("O RMSProp, que não tem essa correção, dá um primeiro passo de "
         "$\\eta/\\sqrt{1-\\alpha}$, 10 vezes $\\eta$; com ela, o primeiro passo do Adam tem "
         "tamanho $\\eta$ em cada coordenada",
         "RMSProp, which has no such correction, takes a first step of "
         "$\\eta/\\sqrt{1-\\alpha}$, 10 times $\\eta$; with it, Adam's first step has size "
         "$\\eta$ in every coordinate")
    for name, times in (("rmsprop", 10), ("adam", 1)):
        result = run(optimizer=name, lr_rule="absolute", learning_rate=0.01, **START)
        steps = abs(result.path[1] - result.path[0]) / 0.01
        assert steps == pytest.approx([times, times], rel=1e-6)
    assert 1 / math.sqrt(1 - 0.99) == pytest.approx(10)


def test_rmsprop_and_adam_in_the_first_figure():
    rms = run(optimizer="rmsprop", lr_rule="absolute", learning_rate=0.03, **BOWL)
    adam = run(optimizer="adam", lr_rule="absolute", learning_rate=0.1, **BOWL)
    heavy = run(optimizer="momentum", lr_rule="absolute", learning_rate=1, momentum=0.9, **BOWL)
    slow, fast = percent(rms), percent(adam)
    says(f"o RMSProp ($\\eta = 0{{,}}03$) está a {slow[0]}% da distância inicial e o Adam "
         f"($\\eta = 0{{,}}1$), a {fast[0]}%; os dois vão para o mínimo sem as grandes "
         "oscilações do momentum",
         f"RMSProp ($\\eta = 0.03$) is {slow[1]}% of the initial distance away and Adam "
         f"($\\eta = 0.1$) {fast[1]}%; both head for the minimum without momentum's wide swings")
    # "Without the wide swings": past the minimum (the start's steep coordinate is +2),
    # their steep coordinate overshoots less than a quarter as far as momentum's.
    def overshoot(result):
        return max(0.0, -np.min(result.path[:, 1]))
    assert START["start_y"] > 0
    assert max(overshoot(rms), overshoot(adam)) < overshoot(heavy) / 4


def test_adam_takes_the_same_steps_for_every_kappa_unless_the_bowl_is_turned():
    figure = {"optimizer": "adam", "lr_rule": "absolute", "learning_rate": 0.1, "steps": 1000,
              "sweep": True, **START}
    aligned = dict(zip(descent.SWEEP_CONDITION_NUMBERS, run(**figure).sweep_steps, strict=True))
    turned = dict(zip(descent.SWEEP_CONDITION_NUMBERS, run(**figure, rotation=45).sweep_steps,
                      strict=True))
    assert len(set(aligned.values())) == 1 and aligned[1.0] is not None
    says(f"o Adam precisa de {aligned[1.0]} passos para todo $\\kappa$ de 1 a 1000",
         f"Adam needs {aligned[1.0]} steps for every $\\kappa$ from 1 to 1000")
    assert all(turned[k] is None for k in descent.SWEEP_CONDITION_NUMBERS if k >= 30)
    assert turned[10.0] is not None
    says(f"O Adam então precisa de {turned[10.0]} passos com $\\kappa = 10$ e não chega lá em "
         "1000 passos com $\\kappa$ a partir de 30",
         f"Adam then needs {turned[10.0]} steps with $\\kappa = 10$ and does not get there "
         "within 1000 steps once $\\kappa$ reaches 30")


def test_not_depending_on_kappa_is_not_being_fast():
    sweep = {"steps": 1000, "sweep": True, **START}
    adam = run(optimizer="adam", lr_rule="absolute", learning_rate=0.1, **sweep).sweep_steps
    plain = run(optimizer="gradient_descent", lr_rule="best", **sweep).sweep_steps
    heavy = dict(zip(descent.SWEEP_CONDITION_NUMBERS,
                     run(optimizer="momentum", lr_rule="best", **sweep).sweep_steps,
                     strict=True))
    kappas = descent.SWEEP_CONDITION_NUMBERS
    assert kappas[0] == 1.0 and plain[0] == 1
    faster = [k for k, steps in heavy.items() if steps < adam[0]]
    assert faster == [k for k in kappas if k <= 300]  # momentum wins up to 300, not at 1000
    says("com $\\kappa = 1$, em que o gradiente descendente com a melhor taxa precisa de um só "
         f"passo, o Adam com esse $\\eta$ ainda precisa de {adam[0]}, e o momentum com os "
         f"melhores parâmetros é mais rápido que ele até $\\kappa = 300$ ({heavy[300.0]} passos)",
         "with $\\kappa = 1$, where gradient descent at its best rate needs a single step, Adam "
         f"with this $\\eta$ still needs {adam[0]}, and momentum with its best parameters beats "
         f"it up to $\\kappa = 300$ ({heavy[300.0]} steps)")


def test_rosenbrocks_curvatures_differ_by_about_2500():
    curvatures = run(**VALLEY).curvatures
    assert round(curvatures[1] / curvatures[0], -2) == 2500
    says("no ponto de mínimo, a curvatura numa direção é cerca de 2500 vezes a da outra",
         "at the minimum the curvature in one direction is about 2500 times that in the other")


def test_the_four_optimizers_in_rosenbrocks_valley():
    plain = run(**VALLEY, optimizer="gradient_descent", learning_rate=0.001)
    heavy = run(**VALLEY, optimizer="momentum", learning_rate=0.001, momentum=0.9)
    rms = run(**VALLEY, optimizer="rmsprop", learning_rate=0.01)
    adam = run(**VALLEY, optimizer="adam", learning_rate=0.1)
    far, near = percent(plain), decimals(100 * share(heavy), 2)
    still = percent(rms)
    says(f"o gradiente descendente ainda está a {far[0]}% da distância inicial; com "
         f"$\\beta = 0{{,}}9$ e a mesma taxa, o momentum chega a {near[0]}%",
         f"gradient descent is still {far[1]}% of the initial distance away; with "
         f"$\\beta = 0.9$ and the same rate, momentum gets to {near[1]}%")
    says(f"O RMSProp com $\\eta = 0{{,}}01$ ainda está a {still[0]}%, ziguezagueando de um lado "
         "a outro do fundo do vale e avançando devagar ao longo dele, e o Adam com "
         "$\\eta = 0{,}1$ chega a um milésimo da distância inicial em "
         f"{adam.steps_to_tolerance} passos",
         f"RMSProp with $\\eta = 0.01$ is still at {still[1]}%, zigzagging across the valley "
         "floor and creeping along it, and Adam with $\\eta = 0.1$ reaches a thousandth of the "
         f"initial distance in {adam.steps_to_tolerance} steps")
    assert [r.outcome for r in (plain, heavy, rms)] == ["unfinished"] * 3
    assert adam.outcome == "converged"
    # RMSProp has not stalled: still closer every hundred steps ...
    assert rms.distances[-1] < rms.distances[-101] < rms.distances[-201]
    # ... while it crosses the floor y = x² from one side to the other, step after step.
    floor_offset = rms.path[-20:, 1] - rms.path[-20:, 0] ** 2
    assert np.all(np.sign(floor_offset[1:]) != np.sign(floor_offset[:-1]))


def question(key: str) -> dict:
    text = (next(LESSONS.glob("13-*")) / "questions.yaml").read_text(encoding="utf-8")
    return next(q for q in yaml.safe_load(text)["questions"] if q["key"] == key)


SLIPS = {
    "(kappa - 1)/(kappa + 1), gradient descent's factor": lambda k: (k - 1) / (k + 1),
    "beta itself, ((sqrt k - 1)/(sqrt k + 1))^2": lambda k: ((k**0.5 - 1) / (k**0.5 + 1)) ** 2,
    "1 - 2/sqrt(kappa)": lambda k: 1 - 2 / k**0.5,
    "1 - 1/sqrt(kappa)": lambda k: 1 - 1 / k**0.5,
    "sqrt(kappa)/(sqrt(kappa) + 1)": lambda k: k**0.5 / (k**0.5 + 1),
}


def test_the_momentum_factor_question_accepts_the_factor_and_no_slip_for_every_variant():
    asked = question("fator-do-momentum")
    quantities = dict(registry.get("gradient_descent").quantities)
    tolerance = {"rtol": asked["rtol"], "atol": asked["atol"], "log_scale": False}
    for kappa in asked["vary"]["condition_number"]:
        assert math.isqrt(kappa) ** 2 == kappa
        data = run(**asked["fixed"], condition_number=kappa).to_dict()
        key = evaluate_number(asked["quantity"], data, quantities)
        assert key == pytest.approx((kappa**0.5 - 1) / (kappa**0.5 + 1), rel=1e-6)
        for slip, value in SLIPS.items():
            assert not is_close(value(kappa), key, **tolerance), (kappa, slip)


def test_the_turned_bowl_question_is_decided_by_the_rotation_alone():
    asked = question("adam-na-tigela-girada")
    for rotation in asked["vary"]["rotation"]:
        for kappa in asked["vary"]["condition_number"]:
            ratio = share(run(**asked["fixed"], rotation=rotation, condition_number=kappa))
            clearance = abs(math.log10(ratio / 1e-6))
            assert clearance > asked["margin"] and ratio < 1, (rotation, kappa)
            assert (ratio < 1e-6) == (rotation == 0), (rotation, kappa)


def test_the_rmsprop_question_stores_the_engines_first_step():
    asked = question("primeiro-passo-do-rmsprop")
    result = run(optimizer="rmsprop", lr_rule="absolute", learning_rate=0.001, eps=1e-12,
                 **START)
    measured = abs(result.path[1, 0] - result.path[0, 0]) / 0.001
    assert is_close(measured, asked["answer"], rtol=asked["rtol"], atol=0, log_scale=False)
    # The slips: 1/(1 - alpha) = 100, sqrt(1 - alpha) = 0.1, 1 (Adam's first step).
    for slip in (100, 0.1, 1):
        assert not is_close(slip, asked["answer"], rtol=asked["rtol"], atol=0, log_scale=False)
