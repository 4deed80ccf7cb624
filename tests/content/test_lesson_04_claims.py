"""Lesson 18.4: every number and comparison the text states, recomputed from the engine."""

import functools
import math

import numpy as np
import pytest
import yaml

from quizzes.expressions import evaluate_number
from quizzes.grading import is_close
from simulations import registry
from simulations.engine import minibatch
from simulations.engine.core import validate

from .conftest import LESSONS, read_lesson

# The figures' configuration (lesson.yaml).
DATA = {"samples": 1024, "features": 10, "noise": 0.5, "learning_rate": 0.05}
SPREAD = {**DATA, "batch_size": 32, "epochs": 1, "draws": 400,
          "sampling": "without_replacement"}
CURVES = {**DATA, "epochs": 5, "draws": 10, "sampling": "without_replacement"}
BATCHES = (1, 16, 256, 1024)
SEEDS = range(5)


@functools.cache
def run(seed=0, **raw) -> dict:
    return minibatch.run(validate(minibatch.MinibatchParams, raw), seed).to_dict()


def says(pt: str, en: str) -> None:
    assert pt in read_lesson("04", "pt-br")
    assert en in read_lesson("04", "en")


def excess(data) -> np.ndarray:
    return np.array(data["losses"]) - data["optimal_loss"]


def test_the_fitted_slope_of_the_spread_figure():
    data = run(**SPREAD)
    slope = f"{data['spread_slope']:.2f}"
    assert slope == "-1.02"
    says(f"inclinação ajustada {slope.replace('-', '−').replace('.', ',')} (ajustada até "
         "$B = 128$, onde a correção ainda é próxima de 1)",
         f"fitted slope of {slope.replace('-', '−')} (fitted up to $B = 128$, where the "
         "correction is still close to 1)")
    # An independent least-squares fit over B <= 128 = N/8 gives the engine's slope.
    sizes = np.array(data["batch_sizes"])
    fitted = sizes <= 128
    assert sizes[fitted].max() == 128
    refit = np.polyfit(np.log(sizes[fitted]), np.log(np.array(data["spreads"])[fitted]), 1)[0]
    assert refit == pytest.approx(data["spread_slope"], rel=1e-9)
    assert (1024 - 128) / (1024 - 1) > 0.87  # the correction there is still close to 1


def test_the_measured_spreads_are_between_096_and_106_times_the_formula():
    data = run(**SPREAD)
    ratios = np.array(data["spreads"]) / np.array(data["predicted_spreads"])
    assert (f"{ratios.min():.2f}", f"{ratios.max():.2f}") == ("0.96", "1.06")
    says("as medidas ficam entre 0,96 e 1,06 vezes o valor da fórmula",
         "the measurements are between 0.96 and 1.06 times the formula")


@pytest.mark.parametrize("seed", SEEDS)
def test_the_slope_is_close_to_minus_one_for_other_seeds_too(seed):
    assert run(seed, **SPREAD)["spread_slope"] == pytest.approx(-1.0, abs=0.07)


def test_at_half_the_data_the_correction_halves_the_spread():
    data = run(**SPREAD)
    position = data["batch_sizes"].index(512)
    naive = data["per_example_variance"] / 512
    assert round(data["predicted_spreads"][position] / naive, 2) == 0.5
    assert data["spreads"][position] / naive == pytest.approx(0.5, rel=0.1)
    says("com $B = 512$, metade dos dados, ela reduz a dispersão à metade de $\\sigma^2/B$",
         "at $B = 512$, half the data, it cuts the spread to half of $\\sigma^2/B$")


def test_one_example_misses_by_about_eleven_times_the_squared_gradient():
    data = run(**SPREAD)
    closed = data["per_example_variance"] / data["full_gradient_norm"] ** 2
    measured = data["spreads"][0] / data["full_gradient_norm"] ** 2
    assert round(closed) == round(measured) == 11
    says("nos pesos iniciais $\\theta = 0$ e com $B = 1$, o erro quadrático médio é cerca de "
         "11 vezes o quadrado da norma do próprio gradiente completo",
         "at the initial weights $\\theta = 0$ and with $B = 1$, the mean squared error is "
         "about 11 times the squared norm of the full gradient itself")


def test_closer_to_the_minimum_the_ratio_to_the_squared_gradient_is_larger():
    says("Mais perto do mínimo, onde o gradiente completo encolhe, a razão é ainda maior.",
         "Closer to the minimum, where the full gradient shrinks, the ratio is larger still.")
    # The figure's data set, drawn as the engine draws it (the first of three streams).
    data_rng = np.random.default_rng(np.random.SeedSequence(0).spawn(3)[0])
    regression = minibatch.make_regression(data_rng, 1024, 10, 0.5)
    best = np.linalg.lstsq(regression.inputs, regression.targets, rcond=None)[0]

    def ratio(weights):
        gradients = regression.per_example_gradients(weights)
        full = gradients.mean(axis=0)
        return np.mean(np.sum((gradients - full) ** 2, axis=1)) / np.sum(full**2)

    assert round(ratio(np.zeros(10))) == round(run(**SPREAD)["per_example_variance"]
                                               / run(**SPREAD)["full_gradient_norm"] ** 2)
    ratios = [ratio(t * best) for t in (0.0, 0.5, 0.9, 0.99)]
    assert ratios == sorted(ratios) and ratios[-1] > 100 * ratios[0]


def test_halving_the_typical_error_takes_four_times_the_batch():
    data = run(**SPREAD)
    sizes, spreads = data["batch_sizes"], data["spreads"]
    typical = {b: math.sqrt(s) for b, s in zip(sizes, spreads, strict=True)}
    assert typical[4] / typical[16] == pytest.approx(2, rel=0.1)
    says("Para reduzi-lo à metade, é preciso um lote quatro vezes maior",
         "Halving it takes a batch four times larger")


def test_updates_per_five_epochs():
    updates = [run(batch_size=b, **CURVES)["updates"] for b in BATCHES]
    assert updates == [5 * math.ceil(1024 / b) for b in BATCHES]
    says(f"$B = 1$ faz {updates[0]} atualizações, $B = 16$ faz {updates[1]}, e o conjunto "
         f"inteiro, só {updates[3]}",
         f"$B = 1$ makes {updates[0]} updates, $B = 16$ makes {updates[1]}, and the whole "
         f"data set only {updates[3]}")


@pytest.mark.parametrize("seed", SEEDS)
def test_small_batches_fall_faster_per_example_seen_than_large_ones(seed):
    says("Com lotes de 1 e de 16 exemplos, a perda desce muito mais depressa, para o mesmo "
         "número de exemplos vistos, do que com lotes de 256 e de 1024",
         "With batches of 1 and 16 examples the loss falls much faster per example seen than "
         "with batches of 256 and 1024")
    curves = {b: run(seed, batch_size=b, **CURVES) for b in BATCHES}
    for epoch in (0.5, 1, 2, 3, 4, 5):
        at = {b: excess(c)[np.searchsorted(c["epochs_seen"], epoch)] for b, c in curves.items()}
        assert max(at[1], at[16]) < min(at[256], at[1024]) / 5, epoch


@pytest.mark.parametrize("seed", SEEDS)
def test_the_whole_data_set_does_not_even_halve_the_excess_loss(seed):
    says("Com o lote inteiro, a perda excedente não cai nem à metade",
         "With the whole data set as the batch, the excess loss does not even halve")
    loss = excess(run(seed, batch_size=1024, **CURVES))
    assert loss[-1] > loss[0] / 2


@pytest.mark.parametrize("seed", SEEDS)
def test_batch_one_hovers_tens_of_times_above_batch_sixteen(seed):
    says("Nas duas últimas épocas, esse patamar fica dezenas de vezes mais alto que o de "
         "$B = 16$",
         "Over the last two epochs that plateau is tens of times higher than that of $B = 16$")
    plateaus = {}
    for b in (1, 16):
        data = run(seed, batch_size=b, **CURVES)
        late = np.array(data["epochs_seen"]) >= 3
        plateaus[b] = excess(data)[late].mean()
    assert 10 <= plateaus[1] / plateaus[16] < 100


def test_every_example_is_used_once_per_epoch_as_the_text_says():
    says("cada exemplo é usado exatamente uma vez por época, e cada época tem "
         "$\\lceil N/B \\rceil$ atualizações",
         "every example is used exactly once per epoch, and each epoch has "
         "$\\lceil N/B \\rceil$ updates")
    batches = minibatch.epoch_batches(np.random.default_rng(0), 1000, 64)
    assert len(batches) == math.ceil(1000 / 64) == 16 and len(batches[-1]) == 40
    assert sorted(np.concatenate(batches).tolist()) == list(range(1000))


def last_two_epochs(data) -> float:
    late = np.array(data["epochs_seen"]) >= data["params"]["epochs"] - 2
    return float(excess(data)[late].mean())


@pytest.mark.parametrize("seed", SEEDS)
def test_the_plateau_rises_with_the_rate_and_falls_with_the_batch(seed):
    says("o patamar sobe com a taxa de aprendizado $\\eta$ e desce com o tamanho do lote $B$",
         "the plateau rises with the learning rate $\\eta$ and falls with the batch size $B$")
    plateau = {(rate, b): last_two_epochs(run(seed, **{**CURVES, "learning_rate": rate,
                                                       "batch_size": b}))
               for rate in (0.0125, 0.05) for b in (1, 16)}
    assert plateau[0.05, 1] > 2 * plateau[0.0125, 1]
    assert plateau[0.05, 1] > 2 * plateau[0.05, 16]


def question(key: str) -> dict:
    text = (next(LESSONS.glob("04-*")) / "questions.yaml").read_text(encoding="utf-8")
    return next(q for q in yaml.safe_load(text)["questions"] if q["key"] == key)


def test_the_spread_question_is_keyed_on_the_expected_reduction_for_every_variant():
    asked = question("reducao-do-espalhamento")
    quantities = dict(registry.get("minibatch_sgd").quantities)
    tolerance = {"rtol": asked["rtol"], "atol": asked["atol"], "log_scale": False}
    samples = asked["fixed"]["samples"]
    for batch in asked["vary"]["batch_size"]:
        exact = batch * (samples - 1) / (samples - batch)
        measured = []
        for seed in range(12):
            data = run(seed, **asked["fixed"], batch_size=batch)
            key = evaluate_number(asked["quantity"], data, quantities)
            assert key == pytest.approx(exact, rel=1e-9), (batch, seed)  # no draw noise
            measured.append(evaluate_number("spread_reduction", data, quantities))
        # The explanation: "about B" and the exact factor both count ...
        assert is_close(batch, exact, **tolerance) and is_close(exact, exact, **tolerance)
        # ... and so does the ratio the lab measures, which scatters around the key ...
        assert all(is_close(m, exact, **tolerance) for m in measured), (batch, measured)
        assert max(abs(m / exact - 1) for m in measured) > 0.01  # (it does scatter)
        # ... but not the typical error's factor, sqrt(B).
        assert not is_close(math.sqrt(batch), exact, **tolerance), batch
    # Inverting the correction is wrong, and caught where it matters (the largest batch).
    largest = max(asked["vary"]["batch_size"])
    inverted = largest * (samples - largest) / (samples - 1)
    assert not is_close(inverted, largest * (samples - 1) / (samples - largest), **tolerance)
