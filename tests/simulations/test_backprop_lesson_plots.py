"""The graphs of lessons 18.1 and 18.5: alt texts that quote the run's own numbers."""

from django.utils import translation

from simulations import plots, registry
from simulations.plots.common import Series, scientific
from simulations.plots.common import number as localized_number


def number(value, digits=2):
    """Return the number as the English alt text writes it."""
    with translation.override("en"):
        return localized_number(value, digits)


def render(slug, kind=None, language="en", **params):
    simulation = registry.get(slug)
    data = simulation.run(simulation.validate(params), 0).to_dict()
    image = plots.render(simulation, [Series("", data)], kind=kind, fmt="png", language=language)
    return data, image.alt


def test_training_step_alt_text_follows_the_loss_before_and_after():
    data, alt = render("training_step", learning_rate=0.5)
    assert data["loss_after"] < data["loss"]
    assert (f"the loss goes from {number(data['loss'], 3)} to "
            f"{number(data['loss_after'], 3)}") in alt
    assert f"∂L/∂y = {number(data['output_grad'], 3)}" in alt


def test_training_step_alt_text_names_the_largest_gradient():
    data, alt = render("training_step", x1=2.0, x2=2.0, target=-2.0)
    grads = data["gradients"]
    largest = max([abs(grads["output_bias"]), *map(abs, grads["output_weights"]),
                   *map(abs, grads["hidden_biases"]),
                   *(abs(g) for row in grads["hidden_weights"] for g in row)])
    assert f"= {number(largest, 3)}." in alt or f"= {number(-largest, 3)}." in alt


def test_reverse_mode_graph_alt_text_quotes_the_gradient():
    data, alt = render("reverse_mode", "graph", x1=2.0, x2=5.0)
    assert "∂f/∂x₁ = 5.5" in alt
    assert f"∂f/∂x₂ = {number(data['gradient'][1], 4)}" in alt  # the 4 digits the lesson quotes


def test_reverse_mode_cost_alt_text_in_portuguese_uses_a_decimal_comma():
    data, alt = render("reverse_mode", "cost", language="pt-br", depth=3, width=100,
                       batch_size=10)
    with translation.override("pt-br"):
        assert scientific(data["forward_flops"]) in alt
        assert scientific(data["forward_mode_flops_lower_bound"]) in alt
    assert "^" not in alt  # no caret for a screen reader to spell out
    # The parameter count with the Brazilian thousands separator.
    assert f"{data['parameter_count']:,}".replace(",", ".") in alt


def test_reverse_mode_cost_alt_text_says_the_first_layer_costs_less():
    data, alt = render("reverse_mode", "cost", depth=4, width=64, batch_size=32)
    assert "every layer except the first" in alt
    assert f"{number(data['backward_to_forward_ratio'], 3)} times as many" in alt
    assert 1 < data["backward_to_forward_ratio"] < 2
