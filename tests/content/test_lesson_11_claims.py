"""The numbers lesson 18.11 states about batch normalization, recomputed from the engine at
the configurations of its figures, quoting both languages."""

import math
import statistics
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


def run(name: str, seed_: int | None = None, **overrides):
    """Run figure ``name`` (its seed, or ``seed_``) with some parameters overridden."""
    spec = figure_spec(name)
    declaration = registry.get(spec["simulation"])
    seed = spec["seed"] if seed_ is None else seed_
    return declaration.run(declaration.validate({**spec["params"], **overrides}), seed)


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
    setting = trained.params
    running, batch = trained.held_out_loss_running, trained.held_out_loss_batch
    sizes = setting.eval_batch_sizes
    assert (sizes[0], sizes[-1]) == (2, setting.held_out)
    (pt_run, en_run), (pt_two, en_two), (pt_all, en_all) = (
        in_both(running), in_both(batch[0]), in_both(batch[-1]))
    lesson_says(
        "11",
        f"Na simulação, uma rede sigmoide com {setting.depth} camadas ocultas treinada com batch "
        f"normalization por {setting.steps} passos de SGD (a da figura de perda, mais adiante) "
        f"tem perda {pt_run} em {setting.held_out} exemplos separados do treinamento, com as "
        f"estatísticas acumuladas. Quando cada lote de 2 exemplos é normalizado com a própria "
        f"média e variância, a perda sobe para {pt_two}, cerca de dez vezes mais, e fica pior "
        f"até que prever sempre a média dos alvos; com lotes de {sizes[-1]} exemplos, fica em "
        f"{pt_all}, quase igual.",
        f"In the simulation, a sigmoid network with {setting.depth} hidden layers trained with "
        f"batch normalization for {setting.steps} SGD steps (the one in the loss figure further "
        f"down) has a loss of {en_run} on {setting.held_out} examples kept out of training, "
        f"with the running statistics. When "
        f"each batch of 2 examples is normalized with its own mean and variance, the loss "
        f"climbs to {en_two}, about ten times as much and worse even than always predicting "
        f"the mean target; with batches of {sizes[-1]} examples it is {en_all}, nearly the "
        f"same.",
    )
    assert setting.activation == "sigmoid" and figure_spec("batch-norm-inference")["params"] \
        == figure_spec("batch-norm-loss")["params"]
    assert 8 <= batch[0] / running <= 12
    assert batch[0] > trained.held_out_loss_constant
    assert abs(batch[-1] / running - 1) < 0.1


def test_the_plain_sigmoid_network_learns_no_more_than_the_mean(lesson_says, trained):
    (pt_plain, en_plain), (pt_mean, en_mean), (pt_bn, en_bn) = (
        in_both(trained.held_out_loss_plain), in_both(trained.held_out_loss_constant),
        in_both(trained.held_out_loss_running))
    lesson_says(
        "11",
        f"a perda nos exemplos separados termina em {pt_plain}, igual à de prever sempre a "
        f"média dos alvos ({pt_mean}). Com batch normalization, ela cai para {pt_bn}.",
        f"its held-out loss ends at {en_plain}, no better than always predicting the mean "
        f"target ({en_mean}). With batch normalization it drops to {en_bn}.",
    )
    # The inference figure's caption: the plain line and the mean target's nearly coincide.
    assert abs(trained.held_out_loss_plain / trained.held_out_loss_constant - 1) < 0.05
    assert trained.held_out_loss_running < trained.held_out_loss_constant / 5
    assert trained.divergence_step_plain is None and trained.divergence_step_bn is None


def test_the_plain_sigmoid_network_is_not_saturated_but_its_gradient_vanishes(lesson_says,
                                                                             trained):
    """'no hidden output saturates at the start', 'about a millionth', 'of
    the same order'."""
    lesson_says(
        "11",
        "(com Glorot, nenhuma saída oculta satura no início)",
        "(with Glorot initialization no hidden output saturates at the start)",
    )
    assert trained.params.init == "glorot_normal"
    assert trained.saturated_plain.max() == 0
    assert 3e-7 < trained.grad_ratio_first_to_last_plain < 3e-6
    assert 0.1 < trained.grad_ratio_first_to_last_bn < 10


def test_relu_with_he_learns_without_normalization_and_gains_nothing_with_it(lesson_says):
    result = run("batch-norm-loss", activation="relu", init="he_normal")
    (pt_plain, en_plain), (pt_bn, en_bn) = (
        in_both(result.held_out_loss_plain), in_both(result.held_out_loss_running))
    lesson_says(
        "11",
        f"a rede sem normalização aprende (perda de {pt_plain} nos exemplos separados), e a "
        f"batch normalization não traz ganho ({pt_bn}).",
        f"the network without normalization does learn (held-out loss {en_plain}), and batch "
        f"normalization brings no gain there ({en_bn}).",
    )
    assert result.held_out_loss_plain < result.held_out_loss_constant / 2
    assert result.held_out_loss_running >= result.held_out_loss_plain


def test_batch_norm_keeps_tanh_units_out_of_saturation(lesson_says):
    result = run("batch-norm-loss", activation="tanh", init="normal", init_std=1.0, steps=1)
    assert result.params.depth == 10
    pt, en = in_both(100 * result.saturated_plain.mean())
    lesson_says(
        "11",
        f"Na simulação, na inicialização, em uma rede tanh com 10 camadas ocultas e pesos "
        f"sorteados com desvio padrão 1, cerca de {pt}% das saídas ocultas estão saturadas "
        "($|\\tanh| > 0{,}99$) sem batch normalization; com ela, menos de 1%.",
        f"In the simulation, at initialization, a tanh network with 10 hidden layers whose "
        f"weights are drawn with standard deviation 1 has about {en}% of its hidden outputs "
        "saturated ($|\\tanh| > 0.99$) without batch normalization; with it, less than 1%.",
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
        f"é {pt} vezes o da última, um fator de cerca de 1,2 por camada. Esse valor é próximo "
        "do que a teoria prevê para camadas ReLU largas e lotes grandes, "
        "$\\sqrt{\\pi/(\\pi - 1)} \\approx 1{,}21$; com lotes menores, o gradiente cresce "
        "mais rápido. Sem batch normalization, a norma do gradiente da primeira camada é menor "
        "que a da última, mas por outro motivo, ligado ao lote (veja a legenda): com lotes de 2 "
        "exemplos, essa diferença desaparece na mediana entre inicializações.",
        f"with batch normalization, the gradient with respect to the first hidden layer's "
        f"weights is {en} times that of the last one, a factor of about 1.2 per layer. That is "
        "close to what the theory predicts for wide ReLU layers and large batches, "
        "$\\sqrt{\\pi/(\\pi - 1)} \\approx 1.21$; with smaller batches the gradient grows "
        "faster. Without batch normalization, the first layer's gradient norm is smaller than "
        "the last one's, but for another reason, tied to the batch (see the caption): with "
        "batches of 2 examples the gap disappears in the median over initializations.",
    )
    assert round(per_layer, 1) == 1.2
    assert round(math.sqrt(math.pi / (math.pi - 1)), 2) == 1.21
    assert result.grad_ratio_first_to_last_plain < 1


def median_ratio(field: str, batch_size: int, seeds: int = 10) -> float:
    """Median over seeds of the gradient figure's first-to-last ratio at ``batch_size``."""
    return statistics.median(
        getattr(run("batch-norm-gradient-flow", batch_size=batch_size, seed_=seed), field)
        for seed in range(seeds))


def test_smaller_batches_make_batch_norm_grow_the_gradient_faster():
    """'with smaller batches the gradient grows faster' (than about 1.2 per layer)."""
    field = "grad_ratio_first_to_last_bn"
    assert median_ratio(field, 8) > median_ratio(field, 32)


def test_without_batch_norm_the_gap_is_a_batch_effect():
    """The plain network's first layer gets a smaller gradient with batches of 32 examples,
    but not in the median with batches of 2."""
    caption = figure_spec("batch-norm-gradient-flow")["caption"]
    batch = figure_spec("batch-norm-gradient-flow")["params"]["batch_size"]
    assert f"os {batch} exemplos ficam cada vez mais parecidos" in " ".join(
        caption["pt-br"].split())
    assert f"the {batch} examples look more and more alike" in " ".join(caption["en"].split())
    field = "grad_ratio_first_to_last_plain"
    assert median_ratio(field, 32) < 0.5
    assert 0.7 < median_ratio(field, 2) < 1.4


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
    # The explanation's bound for the shallowest variant: 11 factors of 1.2.
    assert asked["vary"]["depth"]["min"] == 12 and round(1.2**11, 1) == 7.4


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
