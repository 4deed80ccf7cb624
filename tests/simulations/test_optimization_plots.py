"""Plots of gradient descent and mini-batch SGD: alt texts quote the engine's numbers."""

import numpy as np
import pytest
from django.utils import translation
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulations import plots, registry
from simulations.plots import descent as descent_plots
from simulations.plots import minibatch as minibatch_plots
from simulations.plots.common import Series, scientific


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
    assert (f"0.9: the method reaches 10⁻⁶ of the initial distance to the minimum in {steps} "
            "steps, the steep coordinate changing sign at every step.") in alt
    assert "1.05: the method diverges" in alt
    assert "0.3: the method has not converged within 100 steps" in alt
    assert alt.count("changing sign") == 2  # 0.9 and 1.05 zigzag, 0.3 does not
    assert "^" not in alt  # one notation for powers of ten: superscripts
    assert alt.count("The path leaves the frame") == 1  # only the diverging one


def test_a_diverging_path_is_drawn_within_the_contour_grid():
    data = result_data("gradient_descent", lr_fraction=1.3)
    image = draw("gradient_descent", [Series("", data)], kind="paths")
    assert image.content.startswith(b"\x89PNG")
    assert "diverges" in image.alt


def drawn_path(data) -> np.ndarray:
    figure, _alt = descent_plots.draw_paths([Series("", data)])
    lines = [line for line in figure.axes[0].lines if line.get_marker() == "o"]
    assert len(lines) == 1
    return np.column_stack(lines[0].get_data())


def test_a_diverging_path_stops_at_the_first_point_outside_the_frame():
    data = result_data("gradient_descent", lr_fraction=1.05, condition_number=10)
    x, y = data["contour"]["x"], data["contour"]["y"]
    path = np.array(data["path"], dtype=np.float64)
    inside = ((x[0] <= path[:, 0]) & (path[:, 0] <= x[-1])
              & (y[0] <= path[:, 1]) & (path[:, 1] <= y[-1]))
    first_out = int(np.argmin(inside))
    assert 0 < first_out < len(path) - 1  # it does leave, well before the end
    drawn = drawn_path(data)
    np.testing.assert_array_equal(drawn, path[:first_out + 1])


def test_a_converging_path_is_drawn_whole():
    data = result_data("gradient_descent", lr_fraction=0.9, condition_number=10)
    np.testing.assert_array_equal(drawn_path(data), np.array(data["path"], dtype=np.float64))


@pytest.mark.parametrize(("language", "expected"), [("pt-br", "−2,5"), ("en", "−2.5")])
def test_path_ticks_use_the_readers_decimal_separator(language, expected):
    series = [Series(str(f), result_data("gradient_descent", lr_fraction=f, condition_number=10))
              for f in (0.3, 0.9, 1.05)]  # the lesson's three panels: ticks every 2.5
    with translation.override(language):
        figure, _alt = descent_plots.draw_paths(series)
        FigureCanvasAgg(figure).draw()
        labels = [tick.get_text() for tick in figure.axes[0].get_xticklabels()]
    assert expected in labels, labels


def test_the_definitions_give_the_rate_rule_the_run_used():
    declaration = registry.get("gradient_descent")
    best = result_data("gradient_descent", lr_rule="best", condition_number=30)
    fraction = result_data("gradient_descent", lr_fraction=0.5, condition_number=30)
    with translation.override("en"):
        (_, best_text), (_, fraction_text) = (declaration.loss_definitions(best),
                                              declaration.loss_definitions(fraction))
    assert "η = 2/(λ_max + λ_min)" in best_text and "fraction" not in best_text
    assert best["learning_rate"] == pytest.approx(2 / (1 + 1 / 30))
    assert "η = fraction × 2/λ_max" in fraction_text
    assert fraction["learning_rate"] == pytest.approx(0.5 * 2)


def test_loss_alt_text_quotes_the_factor_per_step_in_portuguese():
    data = result_data("gradient_descent", lr_rule="best", condition_number=100)
    alt = draw("gradient_descent", [Series("κ = 100", data)], kind="loss",
               language="pt-br").alt
    assert "0,98" in alt and str(round(data["predicted_rate"], 2)) == "0.98"


def test_spread_alt_text_quotes_the_fitted_slope_and_the_ratio_to_the_closed_form():
    data = result_data("minibatch_sgd")
    alt = draw("minibatch_sgd", [Series("", data)], kind="spread").alt
    assert data["spread_slope"] < 0
    assert f"The fitted slope is −{abs(data['spread_slope']):.3g} (fitted up to B = N/8" in alt
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


def test_loss_alt_text_quotes_the_mean_over_the_last_epoch_not_the_last_point():
    data = result_data("minibatch_sgd", batch_size=1, epochs=5)
    seen = np.array(data["epochs_seen"])
    excess = np.array(data["losses"]) - data["optimal_loss"]
    mean = excess[seen > 4].mean()
    assert len(excess[seen > 4]) == 16  # one recorded point per 1/16 of an epoch
    alt = draw("minibatch_sgd", [Series("", data)], kind="loss").alt
    with translation.override("en"):
        quoted, last_point = scientific(mean), scientific(excess[-1])
    assert f"to about {quoted} (its mean over the last epoch)" in alt
    assert quoted != last_point


def test_the_loss_axis_leaves_about_a_decade_under_the_lowest_curve():
    series = [Series(f"B = {b}", result_data("minibatch_sgd", batch_size=b, epochs=5))
              for b in (1, 16, 1024)]
    figure, _alt = minibatch_plots.draw_loss(series)
    lowest = min(float(v - item.data["optimal_loss"]) for item in series
                 for v in item.data["losses"] if v - item.data["optimal_loss"] > 0)
    bottom = figure.axes[0].get_ylim()[0]
    assert lowest / 20 < bottom < lowest


def test_a_diverging_sgd_run_is_said_to_diverge():
    data = result_data("minibatch_sgd", samples=16, features=50, batch_size=16,
                       learning_rate=1.0, epochs=50, draws=10)
    assert data["diverged"]
    alt = draw("minibatch_sgd", [Series("", data)], kind="loss").alt
    assert "diverges" in alt
