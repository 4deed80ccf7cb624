"""Alt texts of the sigmoid-neuron and matrix-backprop plots follow their numbers."""

from django.utils import translation

from simulations import plots, registry
from simulations.plots.common import Series, number


def render(slug, kind=None, language="en", **params):
    simulation = registry.get(slug)
    data = simulation.run(simulation.validate(params), 0).to_dict()
    return data, plots.render(simulation, [Series("", data)], kind=kind, fmt="png",
                              language=language)


def test_neuron_alt_text_quotes_the_steps_each_loss_needs():
    data, image = render("sigmoid_neuron_losses")
    for loss in ("squared_error", "cross_entropy"):
        steps = data["losses"][loss]["steps_to_cross_half"]
        assert f"crosses 0.5 after {steps} steps" in image.alt
    assert f"{round(data['initial_gradient_ratio'])} times" in image.alt


def test_neuron_alt_text_says_when_the_output_never_crosses():
    _, image = render("sigmoid_neuron_losses", initial_weight=10, initial_bias=10, input=2,
                      steps=5)
    assert "does not cross 0.5 within 5 steps" in image.alt


def test_delta_alt_text_in_portuguese_gives_every_shape_with_a_decimal_comma():
    data, image = render("backprop_matrix", kind="deltas", language="pt-br")
    assert "rede 3-4-4-2 em um lote de 3 exemplos" in image.alt
    assert "camada 1 (3×4)" in image.alt and "camada 3 (3×2)" in image.alt
    with translation.override("pt-br"):
        norm = number(data["delta_norms"][-1])
    assert "," in norm and f"norma {norm}" in image.alt  # the output layer's norm


def test_weights_alt_text_lists_the_shape_of_every_matrix():
    _, image = render("backprop_matrix", kind="weights", depth=1, width=5, outputs=3)
    assert "W1 3×5, W2 5×3" in image.alt


def test_weights_figure_shows_each_bias_as_a_last_row_below_a_line():
    from simulations.plots import backprop_matrix as plots

    simulation = registry.get("backprop_matrix")
    data = simulation.run(simulation.validate({}), 0).to_dict()
    with translation.override("en"):
        figure, alt = plots.draw_weights([Series("", data)])
    for ax, weights, biases in zip(figure.axes, data["weights"], data["biases"], strict=True):
        labels = [label.get_text() for label in ax.get_yticklabels()]
        assert labels == [str(row + 1) for row in range(len(weights))] + ["b"]
        # The panel's last cells print the biases (to three or four decimals).
        printed = [float(text.get_text()) for text in ax.texts][-len(biases):]
        assert len(ax.texts) == (len(weights) + 1) * len(biases)
        assert max(abs(shown - bias) for shown, bias in zip(printed, biases, strict=True)) < 5e-4
    assert "bias as the last row" in alt
