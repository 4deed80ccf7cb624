"""The numbers lesson 18.11 states about batch normalization, recomputed from the engine at
the configurations of its figures, quoting both languages."""

import math
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from simulations import registry
from simulations.plots.common import number

LESSON = next((Path(__file__).resolve().parents[2] / "content" / "redes-neurais"
               / "18-backpropagation").glob("11-*"))


def figure_spec(name: str) -> dict:
    figures = yaml.safe_load((LESSON / "lesson.yaml").read_text(encoding="utf-8"))["figures"]
    return next(spec for spec in figures if spec["name"] == name)


def run(name: str, **overrides):
    spec = figure_spec(name)
    declaration = registry.get(spec["simulation"])
    return declaration.run(declaration.validate({**spec["params"], **overrides}), spec["seed"])


def in_both(value: float, digits: int = 2) -> tuple[str, str]:
    """Return ``value`` as the lesson writes it in pt-BR and in English."""
    with translation.override("pt-br"):
        pt = number(value, digits)
    with translation.override("en"):
        en = number(value, digits)
    return pt, en


@pytest.fixture(scope="module")
def trained():
    return run("batch-norm-loss")


def test_small_batches_at_evaluation_cost_about_ten_times_the_loss(lesson_says, trained):
    running, batch = trained.held_out_loss_running, trained.held_out_loss_batch
    sizes = trained.params.eval_batch_sizes
    assert (sizes[0], sizes[-1]) == (2, 512)
    (pt_run, en_run), (pt_two, en_two), (pt_all, en_all) = (
        in_both(running), in_both(batch[0]), in_both(batch[-1]))
    lesson_says(
        "11",
        f"a perda nos exemplos separados é {pt_run} com as estatísticas acumuladas. "
        f"Normalizando cada lote de 2 exemplos com a própria média e variância, ela sobe "
        f"para {pt_two}, cerca de dez vezes mais; com lotes de 512 exemplos, fica em "
        f"{pt_all}, quase igual.",
        f"the held-out loss is {en_run} with the running statistics. When each batch of 2 "
        f"examples is normalized with its own mean and variance, it climbs to {en_two}, "
        f"about ten times as much; with batches of 512 examples it is {en_all}, nearly the "
        f"same.",
    )
    assert 8 <= batch[0] / running <= 12
    assert abs(batch[-1] / running - 1) < 0.1


def test_the_plain_sigmoid_network_learns_no_more_than_the_mean(lesson_says, trained):
    (pt_plain, en_plain), (pt_mean, en_mean), (pt_bn, en_bn) = (
        in_both(trained.held_out_loss_plain), in_both(trained.held_out_loss_constant),
        in_both(trained.held_out_loss_running))
    lesson_says(
        "11",
        f"a perda nos exemplos separados fica em {pt_plain}, a mesma de prever sempre a média "
        f"dos alvos ({pt_mean}). Com batch normalization, ela cai para {pt_bn}.",
        f"its held-out loss stays at {en_plain}, the same as always predicting the mean "
        f"target ({en_mean}). With batch normalization it drops to {en_bn}.",
    )
    assert trained.held_out_loss_plain >= 0.95 * trained.held_out_loss_constant
    assert trained.held_out_loss_running < trained.held_out_loss_constant / 5
    assert trained.divergence_step_plain is None and trained.divergence_step_bn is None


def test_relu_with_he_trains_without_normalization():
    """'with ReLU and He initialization, the same network trains well without it'."""
    result = run("batch-norm-loss", activation="relu", init="he_normal")
    assert result.held_out_loss_plain < result.held_out_loss_constant / 2


def test_batch_norm_keeps_tanh_units_out_of_saturation(lesson_says):
    result = run("batch-norm-loss", activation="tanh", init="normal", init_std=1.0, steps=1)
    assert result.params.depth == 10
    pt, en = in_both(100 * result.saturated_plain.mean())
    lesson_says(
        "11",
        f"em uma rede tanh de 10 camadas inicializada com desvio padrão 1, cerca de {pt}% das "
        "saídas das camadas ocultas estão saturadas ($|\\tanh| > 0{,}99$) sem batch "
        "normalization; com ela, menos de 1%.",
        f"in a 10-layer tanh network initialized with standard deviation 1, about {en}% of the "
        "hidden outputs are saturated ($|\\tanh| > 0.99$) without batch normalization; with "
        "it, less than 1%.",
    )
    assert result.saturated_bn.mean() < 0.01


def test_batch_norm_makes_the_gradient_grow_about_1_2_per_layer(lesson_says):
    result = run("batch-norm-gradient-flow")
    layers = result.params.depth
    assert layers == 20
    ratio = result.grad_ratio_first_to_last_bn
    pt, en = in_both(ratio)
    per_layer = ratio ** (1 / (layers - 1))
    lesson_says(
        "11",
        f"com batch normalization, o gradiente em relação aos pesos da primeira camada oculta "
        f"é {pt} vezes o da última, um fator de cerca de 1,2 por camada. Esse é o valor que a "
        "teoria prevê para camadas ReLU largas, $\\sqrt{\\pi/(\\pi - 1)} \\approx 1{,}21$. Sem "
        "batch normalization, a norma do gradiente da primeira camada é menor que a da última.",
        f"with batch normalization, the gradient with respect to the first hidden layer's "
        f"weights is {en} times that of the last one, a factor of about 1.2 per layer. That is "
        "what the theory predicts for wide ReLU layers, $\\sqrt{\\pi/(\\pi - 1)} \\approx "
        "1.21$. Without batch normalization, the first layer's gradient norm is smaller than "
        "the last one's.",
    )
    assert round(per_layer, 1) == 1.2
    assert round(math.sqrt(math.pi / (math.pi - 1)), 2) == 1.21
    assert result.grad_ratio_first_to_last_plain < 1


def test_the_gradient_question_has_the_same_answer_for_every_variant():
    """Every variant's ratio lies above 3 by more than the margin (0.15 decades)."""
    text = (LESSON / "questions.yaml").read_text(encoding="utf-8")
    asked = next(q for q in yaml.safe_load(text)["questions"] if q["key"] == "gradiente-com-bn")
    declaration = registry.get(asked["simulation"])
    for depth in (asked["vary"]["depth"]["min"], asked["vary"]["depth"]["max"]):
        for batch in asked["vary"]["batch_size"]:
            for seed in range(4):
                params = declaration.validate({**asked["fixed"], "depth": depth,
                                               "batch_size": batch})
                ratio = declaration.run(params, seed).grad_ratio_first_to_last_bn
                assert math.log10(ratio / 3) > asked["margin"], (depth, batch, seed, ratio)


def test_the_running_variance_question_is_not_met_by_the_usual_slips():
    text = (LESSON / "questions.yaml").read_text(encoding="utf-8")
    asked = next(q for q in yaml.safe_load(text)["questions"] if q["key"] == "variancia-movel")
    batch, biased, momentum = 4, 3.0, 0.1
    key = (1 - momentum) * 1.0 + momentum * biased * batch / (batch - 1)
    assert asked["answer"] == pytest.approx(key, rel=1e-12)
    slips = {
        "biased variance": (1 - momentum) + momentum * biased,
        "momentum on the old value": momentum + (1 - momentum) * biased * batch / (batch - 1),
        "unbiased variance alone": biased * batch / (batch - 1),
        "no update": 1.0,
    }
    for slip, value in slips.items():
        assert abs(value - key) > asked["rtol"] * abs(key), slip
