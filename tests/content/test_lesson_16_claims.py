"""The numbers lesson 18.16 states about its figures (residual vs plain networks, branch
scaling), recomputed from the engine at the figures' configurations, quoting both languages."""

import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from django.utils import translation

from quizzes.expressions import evaluate_condition
from quizzes.grading import is_close
from quizzes.margins import clearance
from simulations import registry
from simulations.plots.common import magnitude, number

LESSON = next((Path(__file__).resolve().parents[2] / "content" / "redes-neurais"
               / "18-backpropagation").glob("16-*"))


def spec() -> dict:
    return yaml.safe_load((LESSON / "lesson.yaml").read_text(encoding="utf-8"))


def question(key: str) -> dict:
    text = (LESSON / "questions.yaml").read_text(encoding="utf-8")
    return next(q for q in yaml.safe_load(text)["questions"] if q["key"] == key)


def run(seed: int = 0, **raw) -> dict:
    declaration = registry.get("residual_gradient_flow")
    return declaration.run(declaration.validate(raw), seed).to_dict()


@pytest.fixture(scope="module")
def figures() -> dict[str, dict[str, dict]]:
    """Every series of both figures, run exactly as lesson.yaml declares them, by English label."""
    runs = {}
    for figure in spec()["figures"]:
        assert figure["simulation"] == "residual_gradient_flow"
        runs[figure["name"]] = {
            item["label"]["en"]: run(figure["seed"], **figure["params"], **item["params"])
            for item in figure["series"]
        }
    return runs


def formatted(value: float, digits: int = 2) -> tuple[str, str]:
    """Return ``value`` as the lesson writes it in Portuguese and in English."""
    texts = []
    for language in ("pt-br", "en"):
        with translation.override(language):
            texts.append(number(value, digits))
    return texts[0], texts[1]


def test_without_shortcuts_the_sigmoid_gradient_falls_by_order_1e31(lesson_says, figures):
    lesson_says(
        "16",
        "a norma do gradiente cai por um fator da ordem de $10^{31}$",
        "the gradient norm falls by a factor of order $10^{31}$",
    )
    ratio = figures["residual-gradient-flow"]["sigmoid, plain"]["hidden_grad_ratio_first_to_last"]
    assert magnitude(1 / ratio) == "10^31"


def test_with_shortcuts_the_sigmoid_gradient_changes_by_1_2(lesson_says, figures):
    ratio = figures["residual-gradient-flow"]["sigmoid, residual"][
        "hidden_grad_ratio_first_to_last"]
    pt, en = formatted(max(ratio, 1 / ratio))
    lesson_says(
        "16",
        f"difere do da camada 50 por um fator de apenas {pt}.",
        f"differs from the one at layer 50 by a factor of only {en}.",
    )
    assert en == "1.2"


def test_plain_relu_with_he_keeps_its_gradient_within_2_1(lesson_says, figures):
    ratio = figures["residual-gradient-flow"]["ReLU, plain"]["hidden_grad_ratio_first_to_last"]
    pt, en = formatted(max(ratio, 1 / ratio))
    lesson_says(
        "16",
        f"ele varia por um fator {pt} entre as camadas 50 e 1.",
        f"it changes by a factor of {en} between layers 50 and 1.",
    )
    assert en == "2.1"


def test_residual_relu_without_normalization_explodes(lesson_says, figures):
    data = figures["residual-gradient-flow"]["ReLU, residual"]
    std, grad = magnitude(data["activation_stds"][-1]), magnitude(
        data["hidden_grad_ratio_first_to_last"])
    assert (std, grad) == ("10^11", "10^10")
    lesson_says(
        "16",
        "o desvio padrão da saída chega a cerca de $10^{11}$ na camada 50, e o gradiente na "
        "camada 1 é cerca de $10^{10}$ vezes maior que na camada 50.",
        "the standard deviation of the output reaches about $10^{11}$ at layer 50, and the "
        "gradient at layer 1 is about $10^{10}$ times larger than at layer 50.",
    )
    # Geometric, not linear: the scale grows by a steady factor above 1.5 per block.
    stds = np.array(data["activation_stds"])
    assert np.all(stds[1:] > stds[:-1])
    assert (stds[-1] / stds[0]) ** (1 / (len(stds) - 1)) > 1.5


def test_scaling_the_branches_tames_tanh(lesson_says, figures):
    series = figures["residual-branch-scale"]
    unscaled, scaled = series["tanh, a = 1"], series["tanh, a = 1/√L"]
    before = formatted(unscaled["activation_stds"][-1])
    after = formatted(scaled["activation_stds"][-1])
    ratio = scaled["hidden_grad_ratio_first_to_last"]
    factor = formatted(max(ratio, 1 / ratio), 3)
    assert (before[1], after[1], factor[1]) == ("6.1", "1.2", "1.12")
    lesson_says(
        "16",
        f"a tanh residual passa de um desvio padrão {before[0]} na camada 50 para {after[0]}, "
        f"e o gradiente varia por um fator {factor[0]} entre as camadas 50 e 1.",
        f"the residual tanh network goes from a standard deviation of {before[1]} at layer 50 "
        f"down to {after[1]}, and its gradient changes by a factor of {factor[1]} between "
        "layers 50 and 1.",
    )
    # Unscaled tanh blocks add a bounded variance each: growth about linear in depth.
    assert 0.3 < unscaled["activation_stds"][-1] ** 2 / 50 < 1.5


def test_scaling_the_branches_tames_relu_but_not_to_the_zero_mean_estimate(lesson_says, figures):
    series = figures["residual-branch-scale"]
    unscaled, scaled = series["ReLU, a = 1"], series["ReLU, a = 1/√L"]
    assert magnitude(unscaled["activation_stds"][-1]) == "10^11"
    after = formatted(scaled["activation_stds"][-1])
    estimate = math.sqrt(math.e)
    assert after[1] == "9.5" and formatted(estimate) == ("1,6", "1.6")
    assert scaled["activation_stds"][-1] > 3 * estimate
    lesson_says(
        "16",
        f"Na ReLU, a escala cai de cerca de $10^{{11}}$ para {after[0]}, um valor ainda maior "
        "que o $\\sqrt{e} \\approx 1{,}6$",
        f"For ReLU the scale drops from about $10^{{11}}$ to {after[1]}, still above the "
        "$\\sqrt{e} \\approx 1.6$",
    )
    # The positive mean the text blames: every ReLU branch adds a positive mean.
    assert scaled["branch_factor"] == pytest.approx(1 / math.sqrt(50))


def test_the_sum_of_variances_question_accepts_4_and_no_slip():
    asked = question("variancia-somada")
    tolerance = {"rtol": asked["rtol"], "atol": asked["atol"], "log_scale": False}
    assert asked["answer"] == math.sqrt(4 + 20 * 0.6)
    slips = {
        "the variance itself": 4 + 20 * 0.6,
        "forgetting the input's variance": math.sqrt(20 * 0.6),
        "adding standard deviations": 2 + 20 * math.sqrt(0.6),
        "the branches' standard deviation only": math.sqrt(0.6) * 20,
        "the branches' total std without the input": math.sqrt(20) * math.sqrt(0.6),
    }
    for slip, value in slips.items():
        assert not is_close(value, asked["answer"], **tolerance), slip


def variants(asked: dict):
    """The ends and middle of every varied range, with every listed value, on three seeds."""
    low, high = asked["vary"]["depth"]["min"], asked["vary"]["depth"]["max"]
    for depth in (low, (low + high) // 2, high):
        for width in asked["vary"]["width"]:
            for batch in asked["vary"]["batch_size"]:
                for seed in range(3):
                    yield seed, {**asked["fixed"], "depth": depth, "width": width,
                                 "batch_size": batch}


def test_the_sigmoid_shortcut_question_has_one_clear_answer_and_rejects_the_plain_slip():
    asked = question("sigmoide-com-atalhos")
    predicates = [choice["predicate"] for choice in asked["choices"]]
    quantities = dict(registry.get("residual_gradient_flow").quantities)
    for seed, raw in variants(asked):
        data = run(seed, **raw)
        verdicts = [evaluate_condition(p, data, quantities) for p in predicates]
        assert verdicts == [False, True, False], raw
        assert min(clearance(p, data, quantities) for p in predicates) >= 2 * asked["margin"]
        # The usual slip, reasoning as for the plain network, picks the first choice.
        plain = run(seed, **{**raw, "residual": False})
        assert evaluate_condition(predicates[0], plain, quantities), raw
