"""Plots of gradient descent and mini-batch SGD: alt texts quote the engine's numbers."""

import pytest

from simulations import plots, registry
from simulations.plots.common import Series


def result_data(slug, seed=0, **params):
    simulation = registry.get(slug)
    return simulation.run(simulation.validate(params), seed).to_dict()


def draw(slug, series, *, kind, language="en"):
    return plots.render(registry.get(slug), series, kind=kind, fmt="png", language=language)


def test_paths_alt_text_gives_each_runs_verdict():
    runs = {fraction: result_data("gradient_descent", lr_fraction=fraction, condition_number=10)
            for fraction in (0.3, 0.9, 1.05)}
    alt = draw("gradient_descent", [Series(str(f), data) for f, data in runs.items()],
               kind="paths").alt
    steps = runs[0.9]["steps_to_tolerance"]
    assert f"0.9: it reaches 10^-6 of the initial distance to the minimum in {steps} steps" in alt
    assert "1.05: it diverges" in alt
    assert "0.3: it has not converged after 100 steps" in alt
    assert alt.count("changing sign") == 2  # 0.9 and 1.05 zigzag, 0.3 does not


def test_a_diverging_path_is_drawn_within_the_contour_grid():
    data = result_data("gradient_descent", lr_fraction=1.3)
    image = draw("gradient_descent", [Series("", data)], kind="paths")
    assert image.content.startswith(b"\x89PNG")
    assert "diverges" in image.alt


def test_loss_alt_text_quotes_the_factor_per_step_in_portuguese():
    data = result_data("gradient_descent", lr_rule="best", condition_number=100)
    alt = draw("gradient_descent", [Series("κ = 100", data)], kind="loss",
               language="pt-br").alt
    assert "0,98" in alt and str(round(data["predicted_rate"], 2)) == "0.98"


def test_spread_alt_text_quotes_the_fitted_slope_and_the_ratio_to_the_closed_form():
    data = result_data("minibatch_sgd")
    alt = draw("minibatch_sgd", [Series("", data)], kind="spread").alt
    assert f"The fitted slope is {data['spread_slope']:.3g}" in alt
    ratios = [m / p for m, p in zip(data["spreads"], data["predicted_spreads"], strict=True)]
    assert f"between {min(ratios):.3g} and {max(ratios):.3g} times the closed form" in alt


def test_spread_plot_skips_the_zero_spread_of_the_whole_data_set():
    data = result_data("minibatch_sgd", samples=64, batch_size=64, epochs=1)
    assert data["spreads"][-1] == pytest.approx(0, abs=1e-20)
    image = draw("minibatch_sgd", [Series("", data)], kind="spread")
    assert image.alt.endswith("at B = 32.")  # the last size with a spread to measure


def test_loss_alt_text_counts_the_updates_of_each_batch_size():
    series = [Series(f"B = {b}", result_data("minibatch_sgd", batch_size=b, epochs=2))
              for b in (1, 64)]
    alt = draw("minibatch_sgd", series, kind="loss").alt
    assert "B = 1: the excess loss goes from" in alt and "(2048 updates)" in alt
    assert "B = 64: the excess loss goes from" in alt and "(32 updates)" in alt


def test_a_diverging_sgd_run_is_said_to_diverge():
    data = result_data("minibatch_sgd", samples=16, features=50, batch_size=16,
                       learning_rate=1.0, epochs=50, draws=10)
    assert data["diverged"]
    alt = draw("minibatch_sgd", [Series("", data)], kind="loss").alt
    assert "diverges" in alt
