"""Lesson 18.15: every number it states about BPTT, the LSTM and the GRU, recomputed from
the engine at the figures' configuration and quoted in both languages."""

import functools
import itertools
import math

import numpy as np
import pytest
import yaml

from quizzes.expressions import evaluate_condition
from quizzes.margins import clearance
from simulations.engine import recurrent
from simulations.engine.bptt import backpropagate_through_time
from simulations.engine.core import validate
from simulations.engine.recurrent_cells import sigmoid
from simulations.engine.recurrent_weights import draw_weights

from .conftest import LESSONS, read_lesson

FOLDER = next(LESSONS.glob("15-*"))
FIGURES = {spec["name"]: spec for spec in
           yaml.safe_load((FOLDER / "lesson.yaml").read_text(encoding="utf-8"))["figures"]}


def says(pt: str, en: str) -> None:
    assert pt in read_lesson("15", "pt-br")
    assert en in read_lesson("15", "en")


def comma(text: str) -> str:
    return text.replace(".", ",")


@functools.cache
def figure_params(name: str, **series) -> recurrent.RecurrentParams:
    return validate(recurrent.RecurrentParams, {**FIGURES[name]["params"], **series})


@functools.cache
def figure_run(name: str, **series) -> recurrent.RecurrentResult:
    """Run one series of a figure exactly as lesson.yaml declares it."""
    return recurrent.run(figure_params(name, **series), FIGURES[name]["seed"])


def per_step(norms: np.ndarray) -> float:
    """Return the mean factor per step back, (norm at 0 / norm at T) ** (1/T)."""
    return float((norms[0] / norms[-1]) ** (1 / (len(norms) - 1)))


def power_of_ten(value: float) -> int:
    return round(math.log10(value))


def test_the_figures_series_are_the_cells_and_biases_the_text_discusses():
    cells = [item["params"] for item in FIGURES["rnn-gru-lstm"]["series"]]
    biases = [item["params"] for item in FIGURES["vies-do-esquecimento"]["series"]]
    assert cells == [{"cell": "rnn"}, {"cell": "gru"}, {"cell": "lstm"}]
    assert biases == [{"forget_bias": 0.0}, {"forget_bias": 1.0}, {"forget_bias": 3.0}]
    assert figure_params("rnn-gru-lstm", cell="lstm").forget_bias == 1.0
    assert figure_params("rnn-gru-lstm", cell="gru").update_bias == 0.0


def test_the_rnn_falls_faster_than_pascanus_bound():
    rnn = figure_run("rnn-gru-lstm", cell="rnn")
    sigma, factor = rnn.largest_singular_value, per_step(rnn.grad_h_norms)
    assert f"{sigma:.1f}" == "0.9" and f"{factor:.2f}" == "0.58"
    in_math = comma(f"{sigma:.1f}").replace(",", "{,}")
    says(f"$W_{{hh}}$ é ortogonal com $\\sigma_{{\\max}} = {in_math}$, então a cota superior "
         f"permite no máximo um fator {comma(f'{sigma:.1f}')} por passo. O "
         f"gradiente cai mais depressa: é multiplicado por cerca de {comma(f'{factor:.2f}')} a "
         "cada passo",
         f"$W_{{hh}}$ is orthogonal with $\\sigma_{{\\max}} = {sigma:.1f}$, so "
         f"the bound allows a factor of at most {sigma:.1f} per step. The gradient falls faster "
         f"than that: it is multiplied by about {factor:.2f} per step")
    assert np.all(rnn.grad_h_norms <= rnn.singular_value_bound() * (1 + 1e-12))
    exponent = power_of_ten(rnn.grad_ratio_first_to_last)
    assert exponent == -12
    says(f"No passo 0, a norma é cerca de $10^{{{exponent}}}$ vezes a do passo 50.",
         f"At step 0, the norm is about $10^{{{exponent}}}$ times its value at step 50.")


def test_the_lstm_reaches_further_but_still_decays_exponentially():
    rnn, lstm = (figure_run("rnn-gru-lstm", cell=cell) for cell in ("rnn", "lstm"))
    factor = f"{per_step(lstm.grad_h_norms):.2f}"
    rnn_factor = f"{per_step(rnn.grad_h_norms):.2f}"
    exponents = [power_of_ten(r.grad_ratio_first_to_last) for r in (lstm, rnn)]
    assert factor == "0.79" and exponents == [-5, -12]
    says(f"o gradiente em relação a $h_t$ é multiplicado por cerca de {comma(factor)} a cada "
         f"passo, e não por {comma(rnn_factor)}; no passo 0, ele é cerca de "
         f"$10^{{{exponents[0]}}}$ vezes o do passo 50, e não $10^{{{exponents[1]}}}$",
         f"the gradient with respect to $h_t$ is multiplied by about {factor} per step rather "
         f"than {rnn_factor}; at step 0 it is about $10^{{{exponents[0]}}}$ times its value at "
         f"step 50, not $10^{{{exponents[1]}}}$")
    norms, half = lstm.grad_h_norms, lstm.params.steps // 2
    early = (norms[half] / norms[-1]) ** (1 / half)
    late = (norms[0] / norms[half]) ** (1 / half)
    assert early == pytest.approx(late, rel=0.1)  # "still decays exponentially"


def forget_gates(params: recurrent.RecurrentParams, seed: int):
    """Return the forget gates f_t (T, B, H) of the LSTM ``recurrent.run`` draws, and its
    backward pass (rebuilt here in the engine's documented draw order; checked against the
    engine's norms so the two cannot drift apart)."""
    rng = np.random.default_rng(seed)
    weights = draw_weights(rng, params)
    inputs = params.input_scale * rng.standard_normal(
        (params.steps, params.batch_size, params.input_size))
    target = rng.uniform(-1.0, 1.0, (params.batch_size, params.hidden_size))
    bptt = backpropagate_through_time("lstm", weights, inputs,
                                      np.zeros_like(target), target)
    engine = recurrent.run(params, seed)
    np.testing.assert_allclose(recurrent.rms_norms(bptt.grad_c), engine.grad_c_norms,
                               rtol=1e-12)
    width = params.hidden_size
    block = slice(width, 2 * width)  # torch's gate order: i, f, g, o
    preactivation = (inputs @ weights.weight_ih[block].T + weights.bias_ih[block]
                     + bptt.hidden[:-1] @ weights.weight_hh[block].T + weights.bias_hh[block])
    return sigmoid(preactivation), bptt


def significant(value: float, separator: str) -> str:
    """Format ``value`` to two significant figures, with ``separator`` between thousands."""
    return f"{round(value, 1 - math.floor(math.log10(value))):,.0f}".replace(",", separator)


def test_the_product_of_forget_gates_sets_the_pace_of_the_cell_gradient():
    gates, totals, directs, gains = [], [], [], []
    for bias in (0.0, 1.0, 3.0):
        params = figure_params("vies-do-esquecimento", forget_bias=bias)
        f, bptt = forget_gates(params, FIGURES["vies-do-esquecimento"]["seed"])
        total = per_step(figure_run("vies-do-esquecimento", forget_bias=bias).grad_c_norms)
        # The direct path alone: dL/dc_T carried back through f_T .. f_1, nothing else.
        direct_only = bptt.grad_c[-1] * np.prod(f, axis=0)
        direct = float((recurrent.rms_norms(np.stack([direct_only, bptt.grad_c[-1]]))[0]
                        / recurrent.rms_norms(bptt.grad_c[-1:])[0]) ** (1 / params.steps))
        assert 0 < total - direct < 0.15  # what re-enters through h_t: "a little at each step"
        gates.append(f"{f.mean():.2f}")
        totals.append(f"{total:.2f}")
        directs.append(f"{direct:.2f}")
        gains.append((total / direct) ** params.steps)
    assert gates == ["0.50", "0.70", "0.93"] and totals == ["0.63", "0.81", "1.00"]
    assert directs == ["0.53", "0.72", "0.94"]
    assert gains == sorted(gains, reverse=True) and gains[-1] > 10
    says(f"os portões de esquecimento valem em média {comma(gates[0])}; {comma(gates[1])} e "
         f"{comma(gates[2])}, e o gradiente em relação a $c_t$ é "
         f"multiplicado, em média, por {comma(totals[0])}; {comma(totals[1])} e "
         f"{comma(totals[2])} a cada passo",
         f"the forget gates average {gates[0]}, {gates[1]} and {gates[2]}, and the gradient "
         f"with respect to $c_t$ is multiplied on average by {totals[0]}, "
         f"{totals[1]} and {totals[2]} per step")
    pt_gains = [significant(gain, ".") for gain in gains]
    en_gains = [significant(gain, ",") for gain in gains]
    says(f"Sozinho, o produto dos portões daria {comma(directs[0])}; {comma(directs[1])} e "
         f"{comma(directs[2])} por passo; o gradiente que volta a entrar na célula por $h_t$, "
         "pouco a cada passo, multiplica o resultado em 50 passos por cerca de "
         f"{pt_gains[0]}, {pt_gains[1]} e {pt_gains[2]}.",
         f"On its own, the product of the gates would give {directs[0]}, {directs[1]} and "
         f"{directs[2]} per step; the gradient that re-enters the cell through $h_t$, a little "
         "at each step, multiplies the result over 50 steps by about "
         f"{en_gains[0]}, {en_gains[1]} and {en_gains[2]}.")


def test_a_forget_bias_of_0_barely_beats_the_rnn_and_3_keeps_the_gradient():
    zero = figure_run("vies-do-esquecimento", forget_bias=0.0)
    three = figure_run("vies-do-esquecimento", forget_bias=3.0).grad_h_norms
    rnn = figure_run("rnn-gru-lstm", cell="rnn")
    factor = f"{per_step(zero.grad_h_norms):.2f}"
    assert factor == "0.61" and per_step(zero.grad_h_norms) > per_step(rnn.grad_h_norms)
    says(f"com $b_f = 0$, o fator é {comma(factor)} por passo",
         f"with $b_f = 0$ the factor is {factor} per step")
    first_step, left = three[-2] / three[-1], three[0] / three[-1]
    assert f"{first_step:.2f}" == "0.17" and round(100 * left) == 12
    says(f"a curva cai no primeiro passo para trás para {comma(f'{first_step:.2f}')} do valor "
         "em $T$, como nas outras,", f"the curve drops at the first step back to "
         f"{first_step:.2f} of its value at $T$, as the others do,")
    # "as the others do": every bias loses about the same at the first step back.
    for bias in (0.0, 1.0):
        norms = figure_run("vies-do-esquecimento", forget_bias=bias).grad_h_norms
        assert norms[-2] / norms[-1] == pytest.approx(first_step, abs=0.02)
    # "because ... enters the cell multiplied by o_T tanh'(c_T) and leaves it ... only through
    # the gates": entering the cell alone keeps more than the first step does.
    params = figure_params("vies-do-esquecimento", forget_bias=3.0)
    _, bptt = forget_gates(params, FIGURES["vies-do-esquecimento"]["seed"])
    entering = recurrent.rms_norms(bptt.grad_c[-1:])[0] / recurrent.rms_norms(bptt.grad_h[-1:])[0]
    assert first_step < entering < 0.5
    says(f"no passo 0 ainda resta cerca de {round(100 * left)}% do valor em $T$",
         f"at step 0 about {round(100 * left)}% of its value at $T$ is left")
    # "then hardly falls": within a factor of 2 from step T-1 back to step 0.
    assert 0.5 < three[0] / three[-2] < 2


def test_the_gru_depends_on_its_update_bias():
    gru = figure_run("rnn-gru-lstm", cell="gru")
    rnn = figure_run("rnn-gru-lstm", cell="rnn")
    opened = figure_run("rnn-gru-lstm", cell="gru", update_bias=2.0)
    factor, opened_factor = per_step(gru.grad_h_norms), per_step(opened.grad_h_norms)
    gate = float(sigmoid(np.array(2.0)))
    assert (f"{factor:.2f}", f"{gate:.2f}", f"{opened_factor:.2f}") == ("0.64", "0.88", "0.89")
    assert per_step(rnn.grad_h_norms) < factor
    says(f"na GRU da primeira figura, o gradiente é multiplicado por cerca de "
         f"{comma(f'{factor:.2f}')} a cada passo, pouco melhor que na RNN simples",
         f"in the GRU of the first figure the gradient is multiplied by about {factor:.2f} per "
         "step, barely better than in the vanilla RNN")
    says(f"$z_t$ começa perto de $\\sigma(2) \\approx {comma(f'{gate:.2f}').replace(',', '{,}')}$"
         f", e o fator sobe para {comma(f'{opened_factor:.2f}')} por passo",
         f"$z_t$ starts near $\\sigma(2) \\approx {gate:.2f}$, and the factor rises to "
         f"{opened_factor:.2f} per step")


def test_what_truncation_at_20_steps_throws_away():
    rnn = figure_run("rnn-gru-lstm", cell="rnn").grad_h_norms
    lstm = figure_run("vies-do-esquecimento", forget_bias=3.0).grad_h_norms
    mantissa, exponent = f"{rnn[-21] / rnn[-1]:.0e}".split("e")
    assert (mantissa, int(exponent)) == ("2", -5)
    says(f"o gradiente a 20 passos da perda já é cerca de $2 \\times 10^{{{int(exponent)}}}$ "
         "do seu valor em $T$",
         f"the gradient 20 steps from the loss is already about $2 \\times "
         f"10^{{{int(exponent)}}}$ of its value at $T$")
    kept = round(100 * lstm[-21] / lstm[-1])
    assert kept == 6
    # "from that point back, hardly weakens any further": from step 30 back to step 0.
    assert lstm[:-20].min() > 0.8 * lstm[-21]
    says(f"ele ainda é cerca de {kept}% do valor em $T$",
         f"it is still about {kept}% of its value at $T$")


def test_the_caption_gives_the_forget_gate_at_each_bias():
    values = [float(sigmoid(np.array(b))) for b in (0.0, 1.0, 3.0)]
    assert [f"{v:.2g}" for v in values] == ["0.5", "0.73", "0.95"]
    caption = {language: " ".join(text.split())
               for language, text in FIGURES["vies-do-esquecimento"]["caption"].items()}
    assert "isto é, cerca de 0,5; 0,73 e 0,95" in caption["pt-br"]
    assert "that is, about 0.5, 0.73 and 0.95" in caption["en"]
    says("ele começa perto de $\\sigma(0) = 0{,}5$", "it starts near $\\sigma(0) = 0.5$")


def question(key: str) -> dict:
    text = (FOLDER / "questions.yaml").read_text(encoding="utf-8")
    return next(q for q in yaml.safe_load(text)["questions"] if q["key"] == key)


def test_every_variant_of_the_forget_bias_question_has_one_clear_band():
    asked = question("alcance-com-vies-do-esquecimento")
    predicates = [choice["predicate"] for choice in asked["choices"]]
    vary = asked["vary"]
    bands = set()
    for bias, width in itertools.product(vary["forget_bias"], vary["hidden_size"]):
        params = validate(recurrent.RecurrentParams,
                          {**asked["fixed"], "forget_bias": bias, "hidden_size": width})
        # The gate's value at its bias, compounded over the steps: the lesson's reasoning.
        estimate = float(sigmoid(np.array(bias))) ** params.steps
        for seed in range(10):
            data = recurrent.run(params, seed).to_dict()
            holds = [evaluate_condition(p, data, {}) for p in predicates]
            assert sum(holds) == 1, (bias, width, seed)
            assert min(clearance(p, data, {}) for p in predicates) >= asked["margin"]
            right = holds.index(True)
            assert evaluate_condition(predicates[right],
                                      {"grad_ratio_first_to_last": estimate}, {})
            bands.add(right)
    assert bands == {0, 1, 2}  # the answer depends on the bias: no single guess works


def test_the_forget_bias_explanation_gives_the_estimate_at_each_bias():
    asked = question("alcance-com-vies-do-esquecimento")
    steps = asked["fixed"]["steps"]
    estimate = {bias: float(sigmoid(np.array(bias))) ** steps
                for bias in asked["vary"]["forget_bias"]}
    below = math.ceil(math.log10(max(estimate[b] for b in estimate if b <= 0)))
    near = power_of_ten(estimate[1.0])
    assert all(estimate[b] < 10.0 ** below for b in estimate if b <= 0)
    # "around a tenth or more": the estimate and every variant the engine runs.
    assert all(estimate[b] > 10 ** -1.1 for b in estimate if b >= 3)
    opened = [bias for bias in estimate if bias >= 3]
    for bias, width in itertools.product(opened, asked["vary"]["hidden_size"]):
        params = validate(recurrent.RecurrentParams,
                          {**asked["fixed"], "forget_bias": bias, "hidden_size": width})
        for seed in range(10):
            assert recurrent.run(params, seed).grad_ratio_first_to_last > 10 ** -1.6
    assert (below, near) == (-15, -7)
    explanation = {language: " ".join(text.split())
                   for language, text in asked["explanation"].items()}
    assert (f"abaixo de $10^{{{below}}}$ com viés 0 ou negativo, perto de $10^{{{near}}}$ com "
            "viés 1 e em torno de um décimo ou mais com viés 3 ou maior") in explanation["pt-br"]
    assert (f"below $10^{{{below}}}$ with a bias of 0 or below, around $10^{{{near}}}$ with a "
            "bias of 1, and around a tenth or more with a bias of 3 or more") in explanation["en"]
