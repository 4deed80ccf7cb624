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
    assert f"∂f/∂x₂ = {number(data['gradient'][1], 3)}" in alt


def test_reverse_mode_cost_alt_text_in_portuguese_uses_a_decimal_comma():
    data, alt = render("reverse_mode", "cost", language="pt-br", depth=3, width=100,
                       batch_size=10)
    assert data["backward_flops"] == 2 * data["forward_flops"]
    with translation.override("pt-br"):
        assert scientific(data["forward_flops"]) in alt
