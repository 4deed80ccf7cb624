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


def test_each_optimizer_keeps_its_colour_and_a_repeated_one_takes_a_free_slot():
    from simulations.plots.optimizers import optimizer_slots

    def runs(*names):
        return [Series(name, {"params": {"optimizer": name}}) for name in names]

    # The paths figure and the sweep: RMSProp and Adam keep their colours in both.
    assert optimizer_slots(runs("gradient_descent", "momentum", "rmsprop", "adam")) == [0, 1, 2, 3]
    assert optimizer_slots(runs("gradient_descent", "momentum", "adam", "adam")) == [0, 1, 3, 4]


def together_axes(series):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from simulations.plots.optimizers import draw_together
    figure, _alt = draw_together(series)
    FigureCanvasAgg(figure).draw()
    return figure.axes[0]


def test_the_star_is_drawn_above_the_runs_that_end_on_the_minimum():
    bowl = {"lr_rule": "absolute", "steps": 100, "start_x": -4, "start_y": 2}
    series = [Series("momentum", result_data(**bowl, optimizer="momentum", learning_rate=1)),
              Series("Adam", result_data(**bowl, optimizer="adam", learning_rate=0.1))]
    ax = together_axes(series)
    (star,) = [line for line in ax.lines if line.get_marker() == "*"]
    others = [line for line in ax.lines if line is not star]
    assert star.get_zorder() > max(line.get_zorder() for line in others)
    ends = [line for line in others if line.get_markersize() > 10 and line.get_marker() != "s"]
    assert len(ends) == 2 and all(line.get_markerfacecolor() == "none" for line in ends)
    # Only the start is a square: no run's marker can be taken for it.
    assert [line.get_marker() for line in ax.lines].count("s") == 1


def test_rosenbrocks_contours_draw_no_closed_loops_along_the_valley_floor():
    valley = {"objective": "rosenbrock", "lr_rule": "absolute", "start_x": -1.5, "start_y": 2,
              "steps": 10, "optimizer": "adam", "learning_rate": 0.1}
    ax = together_axes([Series("Adam", result_data(**valley))])
    (contours,) = [c for c in ax.collections if hasattr(c, "allsegs")]
    # The function has one minimum, (1, 1): a closed loop on the floor past the start's
    # side of the valley would draw another one (the grid was too coarse for its level).
    loops = [piece for pieces in contours.allsegs for piece in pieces
             if len(piece) > 2 and (piece[0] == piece[-1]).all() and piece[:, 0].min() > -1]
    assert loops == []
