"""The ε-sweep plot of the gradient check: drawn in both languages, its alt text computed
from the sweep's own numbers."""

import math

import pytest

from simulations import plots, registry


def _mantissa(value: float, decimal: str) -> str:
    exponent = math.floor(math.log10(value))
    return f"{round(value / 10**exponent, 1)}".replace(".", decimal) + f" × 10^{exponent}"


@pytest.mark.parametrize(("language", "decimal", "words"), [
    ("pt-br", ",", ("o erro é mínimo, cerca de", "em ε =", "põe o mínimo em")),
    ("en", ".", ("the error is smallest, about", "at ε =", "puts the minimum at")),
])
def test_the_alt_text_states_the_minimum_and_the_models_step_in_the_language(
        language, decimal, words):
    declaration = registry.get("gradient_check")
    data = declaration.run(declaration.validate({"activation": "sigmoid"}), 0).to_dict()
    image = plots.render(declaration, [plots.Series("S", data)], kind="epsilon_sweep",
                         fmt="png", language=language)
    assert image.content.startswith(b"\x89PNG")
    sweep = data["sweep"]
    low, at, model = words
    assert f"{low} {_mantissa(sweep['min_error'], decimal)}" in image.alt
    assert f"{at} {_mantissa(sweep['best_epsilon'], decimal)}" in image.alt
    assert f"{model} {_mantissa(sweep['model_best_epsilon'], decimal)}" in image.alt
