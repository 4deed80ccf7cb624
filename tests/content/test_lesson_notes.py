"""The notes "What the simulation shows" of lesson 18.8, recomputed from the engine.

Lesson 18.8 keeps the seed's text word for word; where that text simplifies, a note
names a configuration and its numbers. Each test builds the note's sentence from the
numbers the engine gives now, in both languages, so a change of the engine or of the
text fails until the two agree again. Seed 0 is the seed of the lesson's figures.
"""

import numpy as np
import pytest

from simulations.engine import activations, mlp, training
from simulations.engine.core import validate

DEEP = {"depth": 20, "width": 256, "batch_size": 64}
FIGURE_SEED = 0


def decimal(value: float, places: int) -> tuple[str, str]:
    """Return the number as written in Portuguese (decimal comma) and in English."""
    text = f"{value:.{places}f}"
    return text.replace(".", ","), text


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def run_mlp(**params) -> mlp.MLPResult:
    return mlp.run(validate(mlp.MLPParams, {**DEEP, "batch_norm": False, **params}), FIGURE_SEED)


def per_layer(ratio: float, depth: int = DEEP["depth"]) -> float:
    """Return the geometric mean factor per layer of a first-to-last ratio."""
    return float(ratio ** (1 / (depth - 1)))


def power_of_ten(value: float) -> str:
    """Return the value as the lesson writes it in LaTeX, e.g. ``2 \\times 10^{-12}``."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def ratios_over_seeds(**params) -> list[float]:
    """Return the first-to-last ratio of the deep network for each of SEEDS."""
    config = validate(mlp.MLPParams, {**DEEP, "batch_norm": False, **params})
    return [mlp.run(config, seed).grad_ratio_first_to_last for seed in SEEDS]


SEEDS = range(10)


def test_the_figures_sigmoid_vanishes_without_saturating(lesson_says):
    result = run_mlp(activation="sigmoid", init="glorot_normal")
    ratio = result.grad_ratio_first_to_last
    pt_factor, en_factor = decimal(per_layer(ratio), 2)
    saturated = percent(result.saturated_fractions.max())
    slope = percent(activations.SATURATION_SLOPE_RATIO)
    pt_beyond, en_beyond = decimal(activations.ACTIVATIONS["sigmoid"].saturated_beyond, 1)
    lesson_says(
        "08",
        f"nenhuma unidade satura ({saturated} em todas as camadas; a simulação conta uma "
        f"unidade como saturada quando $\\sigma'(z)$ fica abaixo de {slope} do seu máximo, isto "
        f"é, quando $|z| > {pt_beyond.replace(',', '{,}')}$) e, mesmo assim, o gradiente dos "
        f"pesos da camada 1 é cerca de ${power_of_ten(ratio)}$ vezes o da camada 20, o que "
        f"corresponde a um fator de aproximadamente {pt_factor} por camada",
        f"no unit saturates ({saturated} in every layer; the simulation counts a unit as "
        f"saturated when $\\sigma'(z)$ is below {slope} of its maximum, that is, when "
        f"$|z| > {en_beyond}$), and yet the weight gradient of layer 1 is about "
        f"${power_of_ten(ratio)}$ times that of layer 20, a factor of about {en_factor} per "
        "layer",
    )
    assert result.saturated_fractions.max() == 0.0
    # The factor per layer sits just below sigma'(0) = 1/4, the largest the derivative gets.
    assert 0.2 < per_layer(ratio) < 0.25


def test_the_sigmoids_vanishing_over_seeds(lesson_says):
    ratios = ratios_over_seeds(activation="sigmoid", init="glorot_normal")
    low, high = min(ratios), max(ratios)
    (pt_low, en_low), (pt_high, en_high) = decimal(per_layer(low), 2), decimal(per_layer(high), 2)
    lesson_says(
        "08",
        f"em {len(SEEDS)} sementes, a razão vai de ${power_of_ten(low)}$ a "
        f"${power_of_ten(high)}$, e o fator por camada, de {pt_low} a {pt_high}",
        f"over {len(SEEDS)} seeds, the ratio ranges from ${power_of_ten(low)}$ to "
        f"${power_of_ten(high)}$, and the factor per layer from {en_low} to {en_high}",
    )


def test_saturated_sigmoids_make_the_gradient_grow_toward_the_input(lesson_says):
    result = run_mlp(activation="sigmoid", init="normal", init_std=1.0)
    shares = result.saturated_fractions
    growth = f"{result.grad_ratio_first_to_last:.0f}"
    ratios = ratios_over_seeds(activation="sigmoid", init="normal", init_std=1.0)
    low, high = f"{min(ratios):.0f}", f"{max(ratios):.0f}"
    lesson_says(
        "08",
        f"a maioria das unidades satura (de {percent(shares.min())} a {percent(shares.max())} "
        f"por camada) e o gradiente *cresce* em direção à entrada: na camada 1 ele é cerca de "
        f"{growth} vezes o da camada 20 (de {low} a {high} vezes em {len(SEEDS)} sementes)",
        f"most units saturate ({percent(shares.min())} to {percent(shares.max())} per layer) "
        f"and the gradient *grows* toward the input: at layer 1 it is about {growth} times "
        f"that of layer 20 ({low} to {high} times over {len(SEEDS)} seeds)",
    )
    assert shares.min() > 0.5
    assert min(ratios) > 1


def test_relu_he_per_example_gradients_do_not_shrink(lesson_says):
    result = run_mlp(activation="relu", init="he_normal")
    last = DEEP["depth"] - 1  # W_20; the per-example norms also hold the output layer's
    per_example = result.weight_grad_rms_per_example
    pt_batch, en_batch = decimal(result.grad_ratio_first_to_last, 2)
    pt_own, en_own = decimal(per_example[0] / per_example[last], 1)
    lesson_says(
        "08",
        f"a curva cai um pouco em direção à entrada (razão de {pt_batch}) porque os gradientes "
        "dos exemplos se cancelam em parte na média do lote; o gradiente de cada exemplo, "
        f"medido sozinho, não encolhe: na camada 1 ele é cerca de {pt_own} vez o da camada 20",
        f"the curve falls slightly toward the input (a ratio of {en_batch}) because the "
        "examples' gradients partly cancel in the batch mean; each example's own gradient "
        f"does not shrink: at layer 1 it is about {en_own} times that of layer 20",
    )
    assert result.grad_ratio_first_to_last < 1 <= per_example[0] / per_example[last]


def test_bounded_tanh_explodes_with_unit_std_weights(lesson_says):
    result = run_mlp(activation="tanh", init="normal", init_std=1.0)
    factor = per_layer(result.grad_ratio_first_to_last)
    pt_factor, en_factor = decimal(factor, 1)
    pt_squared, en_squared = decimal(factor**2, 1)
    saturated = percent(result.saturated_fractions.max())
    lesson_says(
        "08",
        f"a norma do gradiente dos pesos cresce cerca de {pt_factor} vezes por camada em "
        f"direção à entrada, mesmo com até {saturated} das unidades saturadas",
        f"the gradient norm of the weights grows by a factor of about {en_factor} per layer "
        f"toward the input, even with up to {saturated} of the units saturated",
    )
    lesson_says(
        "08",
        f"(aqui, cerca de {pt_squared}; a norma, pela raiz disso)",
        f"(here about {en_squared}; the norm, by its square root)",
    )
    assert factor > 1


def test_batch_norm_makes_deep_relu_gradients_grow_with_depth(lesson_says):
    result = run_mlp(activation="relu", init="he_normal", batch_norm=True)
    ratio = result.grad_ratio_first_to_last
    pt_factor, en_factor = decimal(per_layer(ratio) ** 2, 2)
    pt_theory, en_theory = decimal(np.pi / (np.pi - 1), 2)
    ratios = ratios_over_seeds(activation="relu", init="he_normal", batch_norm=True)
    low, high = f"{min(ratios):.0f}", f"{max(ratios):.0f}"
    lesson_says(
        "08",
        f"o gradiente dos pesos da camada 1 é, na inicialização, cerca de {ratio:.0f} vezes o "
        f"da camada 20 (de {low} a {high} vezes em {len(SEEDS)} sementes): o quadrado da norma "
        f"cresce cerca de {pt_factor} vez por camada à medida que volta em direção à entrada, "
        f"perto do $\\pi/(\\pi - 1) \\approx {pt_theory.replace(',', '{,}')}$",
        f"the weight gradient of layer 1 is, at initialization, about {ratio:.0f} times that "
        f"of layer 20 ({low} to {high} times over {len(SEEDS)} seeds): its squared norm grows "
        f"by a factor of about {en_factor} per layer toward the input layers, close to the "
        f"$\\pi/(\\pi - 1) \\approx {en_theory}$",
    )
    # Without batch norm the same network's gradient does not grow toward the input.
    assert run_mlp(activation="relu", init="he_normal").grad_ratio_first_to_last < 1 < ratio


def test_batch_norms_growth_depends_on_the_batch_not_the_weight_scale(lesson_says):
    by_batch = {}
    for size in (8, 16, 256):
        result = run_mlp(activation="relu", init="he_normal", batch_norm=True, batch_size=size)
        by_batch[size] = f"{result.grad_ratio_first_to_last:.0f}"
    lesson_says(
        "08",
        f"a razão é cerca de {by_batch[8]} com lotes de 8 exemplos, {by_batch[16]} com 16 e "
        f"{by_batch[256]} com 256; a escala dos pesos praticamente não a altera",
        f"the ratio is about {by_batch[8]} with batches of 8 examples, {by_batch[16]} with 16 "
        f"and {by_batch[256]} with 256; the weight scale barely changes it",
    )
    he = run_mlp(activation="relu", init="he_normal", batch_norm=True).grad_ratio_first_to_last
    for std in (0.01, 1.0):
        scaled = run_mlp(activation="relu", init="normal", init_std=std, batch_norm=True)
        assert scaled.grad_ratio_first_to_last == pytest.approx(he, rel=0.1)


def test_batch_norm_rescues_the_deep_sigmoid(lesson_says):
    plain = run_mlp(activation="sigmoid", init="glorot_normal").grad_ratio_first_to_last
    normalized = run_mlp(activation="sigmoid", init="glorot_normal", batch_norm=True)
    pt_ratio, en_ratio = decimal(normalized.grad_ratio_first_to_last, 1)
    lesson_says(
        "08",
        f"com ela, a razão passa de ${power_of_ten(plain)}$ para cerca de {pt_ratio}",
        f"with it, the ratio goes from ${power_of_ten(plain)}$ to about {en_ratio}",
    )


def clipping_figure_run(clipping: str) -> training.TrainingResult:
    """Run the lesson's clipping figure (lesson.yaml's 'clipping' spec) with one rule."""
    params = {
        "depth": 8, "width": 32, "activation": "relu", "init": "normal", "init_std": 0.3,
        "batch_norm": False, "samples": 256, "batch_size": 32, "steps": 100,
        "learning_rate": 0.02, "clip_threshold": 1.0, "clipping": clipping,
    }
    return training.run(validate(training.TrainingParams, params), FIGURE_SEED)


def test_clipping_rescales_the_finished_gradient_before_the_update(lesson_says):
    plain, clipped = clipping_figure_run("none"), clipping_figure_run("norm")
    first_norm = f"{clipped.grad_norms[0]:.0f}"
    share = percent(clipped.clipped_fraction)
    lesson_says(
        "08",
        f"na primeira iteração, o backpropagation calcula o mesmo gradiente com e sem "
        f"clipping, cuja norma global é {first_norm}; só então o clipping por norma reduz esse "
        f"gradiente à norma 1, e os pesos são atualizados (a norma passou do limiar em {share} "
        f"das iterações). Sem clipping, a perda diverge na {plain.divergence_step + 1}ª "
        "iteração.",
        f"at the first iteration, backpropagation computes the same gradient with and without "
        f"clipping, and its global norm is {first_norm}; only then does norm clipping rescale "
        f"it to norm 1 before the weights are updated (the norm exceeded the threshold in "
        f"{share} of the iterations). Without clipping, the loss diverges at the "
        f"{plain.divergence_step + 1}th iteration.",
    )
    assert plain.grad_norms[0] == clipped.grad_norms[0]
    assert plain.diverged and not clipped.diverged
    np.testing.assert_allclose(clipped.clipped_grad_norms[0], 1.0, rtol=1e-5)
