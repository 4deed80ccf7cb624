"""Services: one key names a response; the cache spares runs and renders."""

import dataclasses

import pytest

from simulations import plots, registry, services
from simulations.engine.core import ENGINE_VERSION, ParameterError


def key(**overrides):
    values = {"slug": "mlp_gradient_flow", "params": {"depth": 3}, "seed": 0,
              "language": "en", "fmt": "png", **overrides}
    return services.content_key(**values)


def test_the_key_is_a_sha256_that_changes_with_each_of_its_parts(monkeypatch):
    base = key()
    assert len(base) == 64 and int(base, 16) >= 0
    assert key() == base
    variants = [key(slug="training_dynamics"), key(params={"depth": 4}), key(seed=1),
                key(language="pt-br"), key(fmt="svg")]
    assert len({base, *variants}) == 6
    monkeypatch.setattr(services, "ENGINE_VERSION", ENGINE_VERSION + "-next")
    assert key() != base


def test_equal_parameters_written_differently_share_a_key():
    first = services.plan_result(slug="mlp_gradient_flow", raw_params={"depth": "7"}, seed=0)
    second = services.plan_result(
        slug="mlp_gradient_flow", raw_params={"depth": 7, "width": 64}, seed=0)
    assert first.key == second.key


def test_run_simulation_validates_and_runs():
    result = services.run_simulation(slug="mlp_gradient_flow", raw_params={"depth": 4}, seed=3)
    assert len(result.weight_grad_norms) == 4
    with pytest.raises(ParameterError) as error:
        services.run_simulation(slug="mlp_gradient_flow", raw_params={"depth": 1000}, seed=0)
    assert error.value.errors["depth"].code == "max_value"
    with pytest.raises(KeyError):
        services.run_simulation(slug="no_such_thing", raw_params={}, seed=0)


@pytest.fixture
def counted_runs(monkeypatch):
    """Count the runs of the MLP simulation behind the catalogue's back."""
    simulation = registry.SIMULATIONS["mlp_gradient_flow"]
    calls = []

    def run(params, seed):
        calls.append((params, seed))
        return simulation.run(params, seed)

    engine = dataclasses.replace(simulation.engine, run=run)
    monkeypatch.setitem(registry.SIMULATIONS, "mlp_gradient_flow",
                        dataclasses.replace(simulation, engine=engine))
    return calls


def test_a_cached_result_is_not_computed_again(counted_runs):
    planned = services.plan_result(slug="mlp_gradient_flow", raw_params={"depth": 5}, seed=2)
    first = services.get_result(planned)
    second = services.get_result(
        services.plan_result(slug="mlp_gradient_flow", raw_params={"depth": "5"}, seed=2))
    assert first == second and len(counted_runs) == 1
    services.get_result(
        services.plan_result(slug="mlp_gradient_flow", raw_params={"depth": 5}, seed=3))
    assert len(counted_runs) == 2


def test_a_cached_image_is_not_drawn_again_and_other_formats_reuse_the_result(
        counted_runs, monkeypatch):
    renders = []
    real_render = plots.render
    monkeypatch.setattr(plots, "render",
                        lambda *args, **kwargs: renders.append(kwargs) or real_render(
                            *args, **kwargs))

    def plot(fmt, language="en"):
        return services.get_plot(services.plan_plot(
            slug="mlp_gradient_flow", series=[("", {"depth": 6})], seed=0, kind=None,
            language=language, fmt=fmt))

    first = plot("png")
    assert plot("png") == first
    assert len(renders) == 1 and len(counted_runs) == 1
    plot("svg")
    plot("png", language="pt-br")
    assert len(renders) == 3 and len(counted_runs) == 1


def test_plan_plot_refuses_unknown_kinds_formats_and_bad_series_before_drawing():
    def plan(**overrides):
        values = {"slug": "mlp_gradient_flow", "series": [("", {})], "seed": 0,
                  "kind": None, "language": "en", "fmt": "png", **overrides}
        return services.plan_plot(**values)

    assert plan().kind == "gradients"
    with pytest.raises(KeyError):
        plan(kind="pie")
    with pytest.raises(ValueError):
        plan(fmt="gif")
    with pytest.raises(ParameterError):
        plan(series=[("a", {}), ("b", {"activation": "softmax"})])


def test_the_labels_of_a_comparison_are_part_of_its_key():
    def plan(labels):
        return services.plan_plot(
            slug="recurrent_gradient_flow", series=[(label, {}) for label in labels], seed=0,
            kind=None, language="en", fmt="png")

    assert plan(["A", "B"]).key != plan(["A", "C"]).key
