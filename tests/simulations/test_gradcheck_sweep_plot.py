"""The ε-sweep plot of the gradient check: drawn in both languages, its alt text computed
from the sweep's own numbers."""

import pytest

from simulations import plots, registry


def _mantissa(value: float, decimal: str) -> str:
    """Two significant digits, the power in superscripts: 9.99e-6 gives "1 × 10⁻⁵"."""
    mantissa, exponent = f"{value:.1e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{float(mantissa):g}".replace(".", decimal) + f" × 10{power}"


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
    assert "^" not in image.alt  # powers in superscripts, read as powers
    cube_root = sweep["machine_epsilon"] ** (1 / 3)
    assert _mantissa(cube_root, decimal) in image.alt  # the vertical line


@pytest.mark.parametrize(("language", "words"), [
    ("pt-br", ("pontilhada", "tracejada", "fica acima dos erros medidos")),
    ("en", ("dotted", "dashed", "lies above the measured errors")),
])
def test_the_alt_text_names_the_model_lines_and_where_the_rounding_line_lies(language, words):
    declaration = registry.get("gradient_check")
    data = declaration.run(declaration.validate({"activation": "sigmoid"}), 0).to_dict()
    image = plots.render(declaration, [plots.Series("S", data)], kind="epsilon_sweep",
                         fmt="png", language=language)
    assert all(word in image.alt for word in words)
    sweep = data["sweep"]
    epsilons = [e for e in sweep["epsilons"] if e <= 1e-7 * (1 + 1e-9)]
    ratios = [sweep["errors"][i] / sweep["model_rounding"][i] for i in range(len(epsilons))]
    assert sorted(ratios)[len(ratios) // 2] < 1  # the dashed line is above, as the alt says
