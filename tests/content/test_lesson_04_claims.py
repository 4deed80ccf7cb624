"""Lesson 18.4: every number and comparison the text states, recomputed from the engine."""

import functools
import math

import numpy as np
import pytest

from simulations.engine import minibatch
from simulations.engine.core import validate

from .conftest import read_lesson

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
    says(f"inclinação ajustada {slope.replace('-', '−').replace('.', ',')}",
         f"fitted slope of {slope.replace('-', '−')}")


def test_the_measured_spreads_are_between_096_and_106_times_the_formula():
    data = run(**SPREAD)
    ratios = np.array(data["spreads"]) / np.array(data["predicted_spreads"])
    assert (f"{ratios.min():.2f}", f"{ratios.max():.2f}") == ("0.96", "1.06")
    says("as medidas ficam entre 0,96 e 1,06 vezes a fórmula",
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
    says("com $B = 512$, metade dos dados, ela reduz o espalhamento à metade de $\\sigma^2/B$",
         "at $B = 512$, half the data, it cuts the spread to half of $\\sigma^2/B$")


def test_one_example_misses_by_about_eleven_times_the_squared_gradient():
    data = run(**SPREAD)
    closed = data["per_example_variance"] / data["full_gradient_norm"] ** 2
    measured = data["spreads"][0] / data["full_gradient_norm"] ** 2
    assert round(closed) == round(measured) == 11
    says("com $B = 1$, o erro quadrático médio é cerca de 11 vezes o quadrado da norma do "
         "próprio gradiente completo",
         "at $B = 1$, the mean squared error is about 11 times the squared norm of the full "
         "gradient itself")


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
    says("Os lotes de 1 e de 16 exemplos descem muito mais depressa por exemplo visto que os "
         "de 256 e de 1024",
         "The batches of 1 and 16 examples fall much faster per example seen than those of "
         "256 and 1024")
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
    says("Nas duas últimas épocas, esse patamar fica dezenas de vezes acima do de $B = 16$",
         "Over the last two epochs that plateau is tens of times above the one of $B = 16$")
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
