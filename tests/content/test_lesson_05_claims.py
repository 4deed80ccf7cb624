"""Every number of lesson 18.5 ("Computational graphs and reverse-mode differentiation"),
recomputed from the engine at the configuration of the lesson's figures."""

import math

import pytest

from simulations.engine import reverse_mode
from simulations.engine.core import validate

FIGURE = {"x1": 2.0, "x2": 5.0, "depth": 4, "width": 64, "batch_size": 32}


def figure_data(**raw) -> dict:
    params = validate(reverse_mode.ReverseModeParams, {**FIGURE, **raw})
    return reverse_mode.run(params, 0).to_dict()


def power_of_ten(value: float) -> tuple[str, str]:
    """Return the value as the lesson writes it in LaTeX: 1{,}8 \\times 10^{10} / 1.8 ..."""
    mantissa, exponent = f"{value:.1e}".split("e")
    en = f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return en.replace(".", "{,}"), en


def test_the_figures_point_value_and_gradient(lesson_says):
    data = figure_data()
    f_en = f"{data['f']:.3f}"
    g1, g2 = data["gradient"]
    g1_en, g2_en = f"{g1:.1f}", f"{g2:.3f}"
    pt = {name: text.replace(".", "{,}") for name, text in
          {"f": f_en, "g1": g1_en, "g2": g2_en}.items()}
    lesson_says(
        "05",
        f"No ponto $(2, 5)$ da figura, $f = {pt['f']}$, e uma única passagem reversa entrega as "
        f"duas derivadas parciais: $\\partial f / \\partial x_1 = {pt['g1']}$ e "
        f"$\\partial f / \\partial x_2 = {pt['g2']}$",
        f"At the point $(2, 5)$ of the figure, $f = {f_en}$, and a single reverse pass delivers "
        f"both partial derivatives: $\\partial f / \\partial x_1 = {g1_en}$ and "
        f"$\\partial f / \\partial x_2 = {g2_en}$",
    )
    # "That is what differentiating by hand gives, 1/x_1 + x_2 and x_1 - cos x_2."
    assert g1 == pytest.approx(1 / 2 + 5) and g2 == pytest.approx(2 - math.cos(5))
    assert round(g1, 1) == g1  # 5.5 is exact, not rounded


def test_forward_mode_needs_two_passes_where_reverse_needs_one(lesson_says):
    data = figure_data()
    lesson_says(
        "05",
        "o modo direto precisa de duas passagens, uma para $x_1$ e outra para $x_2$; o modo "
        "reverso, de uma",
        "forward mode needs two passes, one for $x_1$ and one for $x_2$; reverse mode needs one",
    )
    assert (data["forward_sweeps"], data["reverse_sweeps"]) == (2, 1)
    assert data["forward_mode_gradient"] == pytest.approx(data["gradient"], rel=1e-15)


@pytest.mark.parametrize(("depth", "width", "batch"), [(4, 64, 32), (1, 2, 1), (60, 512, 512)])
def test_the_backward_pass_does_exactly_twice_the_products_work_in_every_layer(
        depth, width, batch, lesson_says):
    lesson_says(
        "05",
        "contando os produtos de matrizes, o passo para trás faz exatamente o dobro das operações "
        "do passo para frente, em todas as camadas",
        "counting the matrix products, the backward pass does exactly twice the operations of "
        "the forward pass, in every layer",
    )
    data = figure_data(depth=depth, width=width, batch_size=batch)
    assert all(b == 2 * f for f, b in zip(data["forward_flops_per_layer"],
                                          data["backward_flops_per_layer"], strict=True))


def test_the_figures_network_counts(lesson_says):
    data = figure_data()
    forward_millions = f"{data['forward_flops'] / 1e6:.2f}"
    backward_millions = f"{data['backward_flops'] / 1e6:.2f}"
    count = data["parameter_count"]
    count_pt = f"{count:,}".replace(",", ".")  # Brazilian thousands separator
    bound_pt, bound_en = power_of_ten(data["forward_mode_flops_lower_bound"])
    both_pt, both_en = power_of_ten(data["forward_flops"] + data["backward_flops"])
    lesson_says(
        "05",
        "com 4 camadas ocultas de 64 unidades e lote de 32, o passo para frente faz "
        f"{forward_millions.replace('.', ',')} milhão de operações nos produtos de matrizes, e o "
        f"passo para trás, {backward_millions.replace('.', ',')} milhões. A rede tem "
        f"{count_pt} parâmetros; o modo direto precisaria de uma passagem "
        "por parâmetro, cada uma pelo menos tão cara quanto o passo para frente: no mínimo "
        f"${bound_pt}$ operações, contra cerca de ${both_pt}$ do passo para frente somado ao "
        "passo para trás.",
        "with 4 hidden layers of 64 units and a batch of 32, the forward pass does "
        f"{forward_millions} million operations in its matrix products, and the backward pass "
        f"{backward_millions} million. The network has {count:,} parameters; forward mode "
        "would need one pass per parameter, each at least as expensive as the forward pass: at "
        f"least ${bound_en}$ operations, against about ${both_en}$ for the forward and "
        "backward passes together.",
    )
    assert 1 <= data["forward_flops"] / 1e6 < 2  # "milhão", singular

