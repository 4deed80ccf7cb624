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
from simulations.engine.residual import backpropagate, draw_problem
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


def figure_problem(figure_name: str, label: str):
    """Return (params, weights, biases, inputs, targets) of one series of a figure."""
    figure = next(f for f in spec()["figures"] if f["name"] == figure_name)
    item = next(s for s in figure["series"] if s["label"]["en"] == label)
    params = registry.get("residual_gradient_flow").validate(
        {**figure["params"], **item["params"]})
    return (params, *draw_problem(params, figure["seed"]))


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
        f"ele varia por um fator de {pt} entre as camadas 50 e 1.",
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
    # And so does the gradient on the way back: every block multiplies its norm by a
    # factor above 1, about 1.5 or more on average.
    norms = np.array(data["hidden_grad_norms"])
    assert np.mean(norms[:-1] > norms[1:]) > 0.9
    assert (norms[0] / norms[-1]) ** (1 / (len(norms) - 1)) > 1.5


def test_the_residual_relu_gradient_ratio_does_not_depend_on_the_input_scale(lesson_says):
    lesson_says(
        "16",
        "Essa razão seria a mesma com uma entrada um milhão de vezes menor, pois "
        "$\\mathrm{ReLU}(cz) = c\\,\\mathrm{ReLU}(z)$ para $c > 0$ e os vieses começam em zero.",
        "That ratio would be the same with an input a million times smaller, since "
        "$\\mathrm{ReLU}(cz) = c\\,\\mathrm{ReLU}(z)$ for $c > 0$ and the biases start at zero.",
    )
    params, weights, biases, inputs, targets = figure_problem("residual-gradient-flow",
                                                              "ReLU, residual")
    assert all(not np.any(bias) for bias in biases)
    ratios, stds = {}, {}
    for scale in (1e-6, 1.0, 1e3):
        passed = backpropagate(weights, biases, scale * inputs, targets,
                               activation=params.activation, residual=True)
        norms = [np.linalg.norm(g) for g in passed.hidden_grads]
        ratios[scale], stds[scale] = norms[1] / norms[-1], passed.activations[-1].std()
    # The forward signal at layer 50 changes by nine orders of magnitude; the ratio does not.
    assert stds[1e3] / stds[1e-6] == pytest.approx(1e9, rel=1e-6)
    assert magnitude(ratios[1.0]) == "10^10"
    for scale in (1e-6, 1e3):
        assert ratios[scale] == pytest.approx(ratios[1.0], rel=1e-3)


def test_scaling_the_branches_tames_tanh(lesson_says, figures):
    series = figures["residual-branch-scale"]
    unscaled, scaled = series["tanh, a = 1"], series["tanh, a = 1/√L"]
    before = formatted(unscaled["activation_stds"][-1])
    after = formatted(scaled["activation_stds"][-1])
    ratio = scaled["hidden_grad_ratio_first_to_last"]
    factor = formatted(max(ratio, 1 / ratio), 3)
    unscaled_ratio = unscaled["hidden_grad_ratio_first_to_last"]
    growth = formatted(unscaled_ratio)
    assert (before[1], after[1], factor[1], growth[1]) == ("6.1", "1.2", "1.12", "28")
    assert unscaled_ratio > 1  # it grew, from layer 50 back to layer 1
    lesson_says(
        "16",
        f"a rede residual com tanh passa de um desvio padrão de {before[0]} na camada 50 para "
        f"{after[0]}, e o gradiente varia por um fator de {factor[0]} entre as camadas 50 e 1 "
        f"(com $a = 1$, ele crescia cerca de {growth[0]} vezes).",
        f"the residual tanh network goes from a standard deviation of {before[1]} at layer 50 "
        f"down to {after[1]}, and its gradient changes by a factor of {factor[1]} between "
        f"layers 50 and 1 (with $a = 1$ it grew about {growth[1]}-fold).",
    )
    # Unscaled tanh blocks add a bounded variance each: growth about linear in depth.
    assert 0.3 < unscaled["activation_stds"][-1] ** 2 / 50 < 1.5


def test_scaling_the_branches_tames_relu_but_not_to_the_zero_mean_estimate(lesson_says, figures):
    # The unscaled ReLU network is the first figure's residual one.
    unscaled = figures["residual-gradient-flow"]["ReLU, residual"]
    scaled = figures["residual-branch-scale"]["ReLU, a = 1/√L"]
    assert unscaled["params"]["branch_scale"] == "one"
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
    assert scaled["branch_factor"] == pytest.approx(1 / math.sqrt(50))
    # The positive mean the text blames: with the mean of every branch taken out, the same
    # network ends near the zero-mean estimate.
    params, weights, biases, inputs, _ = figure_problem("residual-branch-scale",
                                                         "ReLU, a = 1/√L")
    h = inputs
    for weight, bias in zip(weights[:-1], biases[:-1], strict=True):
        branch = np.maximum(h @ weight + bias, 0)
        assert branch.mean() > 0
        h = h + params.branch_factor * (branch - branch.mean())
    assert abs(h.std() - estimate) < 0.3
    lesson_says(
        "16",
        "cada bloco acrescenta a $h$ uma média positiva, e os pesos do bloco seguinte, com "
        "sinais aleatórios, transformam essa média em variância.",
        "each block adds a positive mean to $h$, and the next block's weights, with their "
        "random signs, turn that mean into variance.",
    )


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
