"""The notes "What the simulation shows" of lesson 18.8, recomputed from the engine.

Lesson 18.8 keeps the seed's text word for word; where that text simplifies, a note
names a configuration and its numbers. Each test builds the note's sentence from the
numbers the engine gives now, in both languages, so a change of the engine or of the
text fails until the two agree again. Seed 0 is the seed of the lesson's figures.
"""

import numpy as np

from simulations.engine import mlp, training
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


def test_the_figures_sigmoid_vanishes_without_saturating(lesson_says):
    result = run_mlp(activation="sigmoid", init="glorot_normal")
    ratio = result.grad_ratio_first_to_last
    mantissa, exponent = f"{ratio:.0e}".split("e")
    pt_factor, en_factor = decimal(per_layer(ratio), 2)
    saturated = percent(result.saturated_fractions.max())
    lesson_says(
        "08",
        f"nenhuma unidade satura ({saturated} em todas as camadas) e, mesmo assim, o gradiente "
        f"dos pesos da camada 1 é cerca de ${mantissa} \\times 10^{{{int(exponent)}}}$ vezes o "
        f"da camada 20, um fator de cerca de {pt_factor} por camada",
        f"no unit saturates ({saturated} in every layer), and yet the gradient of the weights "
        f"of layer 1 is about ${mantissa} \\times 10^{{{int(exponent)}}}$ times that of layer "
        f"20, a factor of about {en_factor} per layer",
    )
    assert result.saturated_fractions.max() == 0.0
    # The factor per layer sits just below sigma'(0) = 1/4, the largest the derivative gets.
    assert 0.2 < per_layer(ratio) < 0.25


def test_saturated_sigmoids_make_the_gradient_grow_toward_the_input(lesson_says):
    result = run_mlp(activation="sigmoid", init="normal", init_std=1.0)
    shares = result.saturated_fractions
    growth = f"{result.grad_ratio_first_to_last:.0f}"
    lesson_says(
        "08",
        f"a maioria das unidades satura (de {percent(shares.min())} a {percent(shares.max())} "
        f"por camada) e o gradiente *cresce* em direção à entrada: na camada 1 ele é cerca de "
        f"{growth} vezes o da camada 20",
        f"most units saturate ({percent(shares.min())} to {percent(shares.max())} per layer) "
        f"and the gradient *grows* toward the input: at layer 1 it is about {growth} times "
        f"that of layer 20",
    )
    assert shares.min() > 0.5
    assert result.grad_ratio_first_to_last > 1


def test_bounded_tanh_explodes_with_unit_std_weights(lesson_says):
    result = run_mlp(activation="tanh", init="normal", init_std=1.0)
    pt_factor, en_factor = decimal(per_layer(result.grad_ratio_first_to_last), 1)
    saturated = percent(result.saturated_fractions.max())
    lesson_says(
        "08",
        f"a norma do gradiente dos pesos cresce cerca de {pt_factor} vezes por camada em "
        f"direção à entrada, mesmo com até {saturated} das unidades saturadas",
        f"the gradient norm of the weights grows about {en_factor} times per layer toward the "
        f"input, even with up to {saturated} of the units saturated",
    )
    assert per_layer(result.grad_ratio_first_to_last) > 1


def test_batch_norm_makes_deep_relu_gradients_grow_with_depth(lesson_says):
    result = run_mlp(activation="relu", init="he_normal", batch_norm=True)
    ratio = result.grad_ratio_first_to_last
    pt_factor, en_factor = decimal(per_layer(ratio) ** 2, 2)
    lesson_says(
        "08",
        f"o gradiente dos pesos da camada 1 é cerca de {ratio:.0f} vezes o da camada 20: a "
        f"norma ao quadrado cresce cerca de {pt_factor} vezes por camada em direção à entrada",
        f"the gradient of the weights of layer 1 is about {ratio:.0f} times that of layer 20: "
        f"its squared norm grows about {en_factor} times per layer toward the input",
    )
    # Without batch norm the same network's gradient does not grow toward the input.
    assert run_mlp(activation="relu", init="he_normal").grad_ratio_first_to_last < 1 < ratio


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
        f"o backpropagation calcula no primeiro passo o mesmo gradiente com e sem clipping, de "
        f"norma global {first_norm}; só então o clipping pela norma o reescala para a norma 1, "
        f"e os pesos são atualizados (o limite foi atingido em {share} dos passos)",
        f"backpropagation computes the same gradient at the first step with and without "
        f"clipping, with a global norm of {first_norm}; only then does norm clipping rescale "
        f"it to norm 1, and the weights are updated (the threshold was reached at {share} of "
        f"the steps)",
    )
    assert plain.grad_norms[0] == clipped.grad_norms[0]
    np.testing.assert_allclose(clipped.clipped_grad_norms[0], 1.0, rtol=1e-5)
