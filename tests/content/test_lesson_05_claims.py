"""Every number of lesson 18.5 ("Computational graphs and reverse-mode differentiation"),
recomputed from the engine at the configuration of the lesson's figures."""

import itertools
import math
from pathlib import Path

import pytest
import yaml

from simulations.engine import reverse_mode
from simulations.engine.core import validate

QUESTIONS = (Path(__file__).resolve().parents[2] / "content" / "redes-neurais"
             / "18-backpropagation" / "05-grafos-computacionais-e-modo-reverso" / "questions.yaml")

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
    f_en = f"{data['f']:.2f}"  # 4 significant digits, as the figure draws them
    g1, g2 = data["gradient"]
    g1_en, g2_en = f"{g1:.1f}", f"{g2:.3f}"
    pt = {name: text.replace(".", "{,}") for name, text in
          {"f": f_en, "g1": g1_en, "g2": g2_en}.items()}
    lesson_says(
        "05",
        f"No ponto $(2; 5)$ da figura, $f = {pt['f']}$, e uma única passagem reversa fornece as "
        f"duas derivadas parciais: $\\partial f / \\partial x_1 = {pt['g1']}$ e "
        f"$\\partial f / \\partial x_2 = {pt['g2']}$",
        f"At the point $(2, 5)$ shown in the figure, $f = {f_en}$, and a single reverse pass gives "
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
def test_the_backward_pass_does_twice_the_work_in_each_hidden_layer_and_as_much_in_the_first(
        depth, width, batch, lesson_says):
    lesson_says(
        "05",
        "contando os produtos de matrizes, o passo para trás faz exatamente o dobro das operações "
        "do passo para frente em cada camada oculta e, na primeira camada, o mesmo número.",
        "counting the matrix products, the backward pass does exactly twice as many operations "
        "as the forward pass in each hidden layer, and as many in the first layer.",
    )
    data = figure_data(depth=depth, width=width, batch_size=batch)
    forward, backward = data["forward_flops_per_layer"], data["backward_flops_per_layer"]
    assert backward[0] == forward[0]
    assert all(b == 2 * f for f, b in zip(forward[1:], backward[1:], strict=True))
    # Independently of the engine: h^T g everywhere, g W^T in every layer but the first.
    shapes = [(width, width)] * depth + [(width, 1)]
    assert sum(backward) == sum(2 * batch * i * o for i, o in shapes) + sum(
        2 * batch * i * o for i, o in shapes[1:])


def test_the_figures_network_counts(lesson_says):
    data = figure_data()
    forward, backward = data["forward_flops"], data["backward_flops"]
    forward_millions = f"{forward / 1e6:.2f}"
    backward_millions = f"{backward / 1e6:.2f}"
    ratio = f"{backward / forward:.2f}"
    count = data["parameter_count"]
    count_pt = f"{count:,}".replace(",", ".")  # Brazilian thousands separator
    bound_pt, bound_en = power_of_ten(data["forward_mode_flops_lower_bound"])
    both_pt, both_en = power_of_ten(forward + backward)
    lesson_says(
        "05",
        "com 4 camadas ocultas de 64 unidades e lote de 32, o passo para frente faz "
        f"{forward_millions.replace('.', ',')} milhão de operações nos produtos de matrizes, e o "
        f"passo para trás, {backward_millions.replace('.', ',')} milhão, "
        f"{ratio.replace('.', ',')} vez o passo para frente. A rede tem {count_pt} parâmetros; o "
        "modo direto precisaria de uma passagem por parâmetro, e cada uma avalia de novo a rede "
        "junto com a sua derivada, custando pelo menos um passo para frente: no mínimo "
        f"${bound_pt}$ operações, contra cerca de ${both_pt}$ dos passos para frente e para trás "
        "somados.",
        "with 4 hidden layers of 64 units and a batch of 32, the forward pass does "
        f"{forward_millions} million operations in its matrix products, and the backward pass "
        f"{backward_millions} million, {ratio} times the forward pass. The network has "
        f"{count:,} parameters; forward mode would need one pass per parameter, each of which "
        "evaluates the network again along with its derivative, so costs at least a forward "
        f"pass: at least ${bound_en}$ operations, compared with about ${both_en}$ for the "
        "forward and backward passes together.",
    )
    # "milhão", singular, for both counts; "vez", singular, for a ratio below 2.
    assert 1 <= forward / 1e6 < 2 and 1 <= backward / 1e6 < 2 and backward / forward < 2
    assert data["forward_mode_flops_lower_bound"] == count * forward


def test_the_cheap_gradient_in_the_figures_count(lesson_says):
    data = figure_data()
    total = f"{data['gradient_to_forward_ratio']:.2f}"
    lesson_says(
        "05",
        "Na contagem da figura, avaliar a perda e obter o gradiente custa cerca de "
        f"{total.replace('.', ',')} vezes o passo para frente.",
        f"In the figure's count, evaluating the loss and obtaining the gradient costs about "
        f"{total} times the forward pass.",
    )
    # A small constant: below 3 whatever the network's size (1 + 2 at most, per layer).
    for depth, width, batch in [(1, 2, 1), (60, 512, 512), (4, 64, 1)]:
        assert 2 < figure_data(depth=depth, width=width, batch_size=batch)[
            "gradient_to_forward_ratio"] < 3


# The slips a learner can make walking the graph of f backwards for df/dx1 = 1/x1 + x2.
WRONG_ANSWERS = {
    "the ln edge taken as 1": lambda x1, x2: 1 + x2,
    "the ln edge taken as x1": lambda x1, x2: x1 + x2,
    "the ln edge taken as ln x1": lambda x1, x2: math.log(x1) + x2,
    "the ln edge's sign flipped": lambda x1, x2: -1 / x1 + x2,
    "the ln edge taken as 1/x1^2": lambda x1, x2: 1 / x1**2 + x2,
    "the product edge forgotten": lambda x1, x2: 1 / x1,
    "the ln edge forgotten": lambda x1, x2: x2,
    "the product edge's sign flipped": lambda x1, x2: 1 / x1 - x2,
    "the whole sign flipped": lambda x1, x2: -(1 / x1 + x2),
    "the product's edges swapped (carries x1)": lambda x1, x2: 1 / x1 + x1,
    "the two contributions multiplied": lambda x1, x2: x2 / x1,
    "f itself": lambda x1, x2: math.log(x1) + x1 * x2 - math.sin(x2),
    "the other adjoint, df/dx2": lambda x1, x2: x1 - math.cos(x2),
    "both adjoints added": lambda x1, x2: 1 / x1 + x2 + x1 - math.cos(x2),
    "the sine's edge added (- cos)": lambda x1, x2: 1 / x1 + x2 - math.cos(x2),
    "the sine's edge added (+ cos)": lambda x1, x2: 1 / x1 + x2 + math.cos(x2),
    "the sine's value added": lambda x1, x2: 1 / x1 + x2 - math.sin(x2),
    "the product's value": lambda x1, x2: x1 * x2,
    "the inputs swapped": lambda x1, x2: 1 / x2 + x1,
}


def grid_values(rule) -> list[float]:
    if isinstance(rule, list):
        return rule
    count = math.floor((rule["max"] - rule["min"]) / rule["step"] + 1e-9) + 1
    return [round(rule["min"] + k * rule["step"], 12) for k in range(count)]


def test_no_usual_slip_is_accepted_at_any_point_of_the_numeric_questions_grid():
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    question = next(q for q in questions if q["key"] == "derivada-no-seu-ponto")
    rtol, atol = question["rtol"], question["atol"]
    accepted = []
    for x1, x2 in itertools.product(grid_values(question["vary"]["x1"]),
                                    grid_values(question["vary"]["x2"])):
        data = figure_data(x1=x1, x2=x2)
        right = data["gradient"][0]
        assert right == pytest.approx(1 / x1 + x2)
        tolerance = atol + rtol * abs(right)
        # Twice the tolerance: a learner who rounds a slip is not pushed into the accepted band.
        accepted += [(x1, x2, name) for name, slip in WRONG_ANSWERS.items()
                     if abs(slip(x1, x2) - right) <= 2 * tolerance]
    assert accepted == []
