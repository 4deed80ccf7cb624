"""Plots comparing optimizers: the alt texts quote the engine's numbers."""

from simulations import plots, registry
from simulations.engine.descent import SWEEP_CONDITION_NUMBERS
from simulations.plots.common import Series


def result_data(**params):
    simulation = registry.get("gradient_descent")
    return simulation.run(simulation.validate(params), 0).to_dict()


def draw(series, kind, language="en"):
    return plots.render(registry.get("gradient_descent"), series, kind=kind, fmt="png",
                        language=language)


def test_paths_together_give_each_optimizers_verdict_and_mark_rosenbrocks_minimum():
    valley = {"objective": "rosenbrock", "lr_rule": "absolute", "start_x": -1.5, "start_y": 2,
              "steps": 1000, "tolerance": 1e-3}
    adam = result_data(**valley, optimizer="adam", learning_rate=0.1)
    plain = result_data(**valley, optimizer="gradient_descent", learning_rate=0.001)
    image = draw([Series("Adam", adam), Series("GD", plain)], "together")
    assert image.content.startswith(b"\x89PNG")
    steps = adam["steps_to_tolerance"]
    assert (f"Adam: the method reaches 10⁻³ of the initial distance to the minimum in {steps} "
            "steps.") in image.alt
    assert "GD: the method has not converged within 1000 steps" in image.alt
    assert adam["minimum"] == [1.0, 1.0]


def test_the_sweep_plot_lists_the_steps_for_every_kappa():
    data = result_data(optimizer="momentum", lr_rule="best", steps=1000, sweep=True)
    alt = draw([Series("momentum", data)], "sweep").alt
    steps = data["sweep"]["steps_to_tolerance"]
    assert data["sweep"]["condition_numbers"] == list(SWEEP_CONDITION_NUMBERS)
    assert f"κ = 100: {steps[4]}; κ = 300: {steps[5]}" in alt
    pt = draw([Series("momentum", data)], "sweep", language="pt-br")
    assert pt.content.startswith(b"\x89PNG")


def test_the_loss_plot_of_an_adaptive_optimizer_has_no_linear_rate():
    data = result_data(optimizer="adam", lr_rule="absolute", learning_rate=0.1)
    assert data["predicted_rate"] is None
    alt = draw([Series("Adam", data)], "loss").alt
    assert "multiplied by about" not in alt and "Adam: the method" in alt
