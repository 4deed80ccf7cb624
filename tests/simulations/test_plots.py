"""Plots: valid PNG and SVG, the same bytes for the same input, words from the numbers."""

import math
import threading
import warnings
import xml.etree.ElementTree as ET

import pytest

from simulations import plots, registry
from simulations.plots.common import Series, magnitude

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def result_data(slug, seed=0, **params):
    simulation = registry.get(slug)
    return simulation.run(simulation.validate(params), seed).to_dict()


def draw(slug, series, *, kind=None, fmt="png", language="en"):
    return plots.render(registry.get(slug), series, kind=kind, fmt=fmt, language=language)


@pytest.mark.parametrize(
    ("slug", "kind"),
    [(slug, kind.name) for slug, simulation in registry.SIMULATIONS.items()
     for kind in simulation.plot_kinds],
)
def test_every_kind_of_plot_draws_a_valid_png_and_svg_without_warnings(slug, kind):
    series = [Series("", result_data(slug))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = draw(slug, series, kind=kind, fmt="png")
        svg = draw(slug, series, kind=kind, fmt="svg")
    assert png.content.startswith(PNG_SIGNATURE) and len(png.content) > 10_000
    assert png.content_type == "image/png"
    root = ET.fromstring(svg.content)  # noqa: S314 - our own output
    assert root.tag.endswith("svg") and len(root) > 0
    assert svg.content_type == "image/svg+xml"
    assert len(png.alt) > 40 and png.alt == svg.alt


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_same_input_gives_the_same_bytes(fmt):
    series = [Series("", result_data("recurrent_gradient_flow", steps=20))]
    first = draw("recurrent_gradient_flow", series, fmt=fmt)
    second = draw("recurrent_gradient_flow", series, fmt=fmt)
    assert first.content == second.content


def test_alt_text_quotes_the_factor_by_which_the_sigmoid_gradient_vanishes():
    sigmoid = result_data("mlp_gradient_flow", depth=20, activation="sigmoid",
                          init="glorot_normal")
    relu = result_data("mlp_gradient_flow", depth=20, activation="relu", init="he_normal")
    alt = draw("mlp_gradient_flow", [Series("Sigmoid", sigmoid), Series("ReLU", relu)]).alt
    norms = sigmoid["weight_grad_norms"]
    factor = norms[-1] / norms[0]
    assert factor > 1e6  # the phenomenon, before its words
    expected = f"10^{round(math.log10(factor))}"
    assert f"Sigmoid: the gradient norm falls by a factor of about {expected} from layer 20 " \
           "to layer 1." in alt
    assert "ReLU: the gradient norm" in alt
    assert "network of 20 layers" in alt and "logarithmic" in alt


def test_alt_text_of_a_diverging_run_names_the_step_it_diverged_at():
    data = result_data("training_dynamics", activation="relu", init_std=0.3,
                       learning_rate=0.02, steps=60)
    assert data["diverged"]
    alt = draw("training_dynamics", [Series("SGD", data)]).alt
    assert f"diverges (the numbers overflow) at step {data['divergence_step']}" in alt


def test_alt_text_of_the_recurrent_plot_follows_its_numbers():
    data = result_data("recurrent_gradient_flow", cell="rnn", spectral_radius=0.5, steps=30)
    alt = draw("recurrent_gradient_flow", [Series("RNN", data)]).alt
    ratio = data["grad_h_norms"][0] / data["grad_h_norms"][-1]
    assert ratio < 1e-3
    assert f"falls by a factor of about {magnitude(1 / ratio)} from step 30 back to step 0" in alt


def test_a_lone_result_is_named_by_its_configuration():
    alt = draw("recurrent_gradient_flow",
               [Series("", result_data("recurrent_gradient_flow", cell="lstm"))]).alt
    assert "LSTM, spectral radius 0.9:" in alt


def test_numbers_in_portuguese_alt_text_use_a_decimal_comma():
    data = result_data("recurrent_gradient_flow", cell="rnn", spectral_radius=0.9)
    english = draw("recurrent_gradient_flow", [Series("", data)], language="en").alt
    portuguese = draw("recurrent_gradient_flow", [Series("", data)], language="pt-br").alt
    assert "0.9" in english and "0,9" in portuguese and "0.9" not in portuguese


def test_portuguese_plot_and_alt_text_are_translated():
    """Needs the compiled pt-BR catalogue (locale/pt_BR/LC_MESSAGES/django.mo)."""
    data = result_data("mlp_gradient_flow", depth=5)
    english = draw("mlp_gradient_flow", [Series("", data)], language="en")
    portuguese = draw("mlp_gradient_flow", [Series("", data)], language="pt-br")
    assert "Gradient norm of each layer's weights" in english.alt
    assert "Gradient norm" not in portuguese.alt and "camada" in portuguese.alt
    english_svg = draw("mlp_gradient_flow", [Series("", data)], fmt="svg", language="en")
    portuguese_svg = draw("mlp_gradient_flow", [Series("", data)], fmt="svg", language="pt-br")
    assert english_svg.content != portuguese_svg.content


def test_gradient_norms_spanning_decades_get_a_log_axis_and_a_flat_series_does_not():
    vanishing = draw("mlp_gradient_flow",
                     [Series("", result_data("mlp_gradient_flow", depth=20))], fmt="svg")
    flat = draw("activations", [Series("", result_data("activations"))], fmt="svg")
    assert "logarithmic" in vanishing.alt and "logarithmic" not in flat.alt


def test_plots_drawn_in_threads_match_plots_drawn_one_after_the_other():
    jobs = [
        ("mlp_gradient_flow", [Series("", result_data("mlp_gradient_flow", depth=12))]),
        ("recurrent_gradient_flow", [Series("", result_data("recurrent_gradient_flow"))]),
    ] * 2
    expected = [draw(slug, series).content for slug, series in jobs]
    drawn: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(index, slug, series):
        try:
            drawn[index] = draw(slug, series, language="en").content
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(index, *job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [drawn[index] for index in range(len(jobs))] == expected


def test_plot_modules_never_import_pyplot():
    import pathlib
    import re

    import simulations.plots as package

    imports_pyplot = re.compile(r"matplotlib\.pyplot|from matplotlib import [^\n]*pyplot")
    for path in pathlib.Path(package.__file__).parent.glob("*.py"):
        assert not imports_pyplot.search(path.read_text()), path.name


@pytest.mark.parametrize("cell", ["rnn", "sigmoid_rnn"])
def test_rnn_plot_labels_name_the_per_example_rms_norm_it_draws(cell):
    """grad_h_norms is the RMS over the batch of each sequence's own gradient, not ‖∂L/∂h_t‖."""
    from simulations.plots import recurrent

    data = result_data("recurrent_gradient_flow", cell=cell, steps=10)
    figure, _alt = recurrent.draw_gradients([Series("", data)])
    (ax,) = figure.axes
    assert r"\mathrm{RMS}_b\,\|\partial \ell_b / \partial h_t^b\|" in ax.get_ylabel()
    bound = [line.get_label() for line in ax.get_lines() if "T-t" in line.get_label()]
    assert len(bound) == 1 and r"\partial \ell_b / \partial h_T^b" in bound[0]
    assert ("/4)^{T-t}" in bound[0]) == (cell == "sigmoid_rnn")
    # The bound starts from the plotted norm at T, so it is the same quantity.
    assert data["singular_value_bound"][-1] == pytest.approx(data["grad_h_norms"][-1])


def test_mlp_plot_label_names_the_frobenius_norm_of_the_batch_loss_gradient():
    from simulations.plots import mlp

    figure, _alt = mlp.draw_gradients([Series("", result_data("mlp_gradient_flow", depth=3))])
    assert r"\|\partial L / \partial W_l\|_F" in figure.axes[0].get_ylabel()
