"""Reverse mode on the expression graph against the closed form, central differences and
torch autograd (float64); the MLP's flop counts against counting the engine's own matrix
products as they run, and against torch's flop counter on the same network."""

import json
import math

import numpy as np
import pytest

from simulations.engine import network, reverse_mode
from simulations.engine.core import ParameterError, validate

POINTS = [(2.0, 5.0), (0.1, -10.0), (10.0, 0.0), (0.7, 3.3), (4.0, -1.2)]


def run(**raw):
    return reverse_mode.run(validate(reverse_mode.ReverseModeParams, raw), 0)


def f(x1: float, x2: float) -> float:
    return math.log(x1) + x1 * x2 - math.sin(x2)


@pytest.mark.parametrize(("x1", "x2"), POINTS)
def test_the_gradient_is_the_closed_form_and_the_central_difference(x1, x2):
    data = run(x1=x1, x2=x2).to_dict()
    assert data["f"] == pytest.approx(f(x1, x2), rel=1e-15, abs=1e-15)
    assert data["gradient"] == pytest.approx([1 / x1 + x2, x1 - math.cos(x2)], rel=1e-14)
    h = 1e-6
    numerical = [(f(x1 + h, x2) - f(x1 - h, x2)) / (2 * h),
                 (f(x1, x2 + h) - f(x1, x2 - h)) / (2 * h)]
    assert data["gradient"] == pytest.approx(numerical, rel=1e-7, abs=1e-7)


@pytest.mark.parametrize(("x1", "x2"), POINTS)
def test_forward_mode_needs_two_passes_and_agrees(x1, x2):
    data = run(x1=x1, x2=x2).to_dict()
    assert data["forward_mode_gradient"] == pytest.approx(data["gradient"], rel=1e-15)
    assert (data["forward_sweeps"], data["reverse_sweeps"]) == (2, 1)


@pytest.mark.parametrize(("x1", "x2"), POINTS)
def test_every_adjoint_matches_torch_autograd(x1, x2):
    torch = pytest.importorskip("torch")
    v = {"v_-1": torch.tensor(x1, dtype=torch.float64, requires_grad=True),
         "v_0": torch.tensor(x2, dtype=torch.float64, requires_grad=True)}
    v["v_1"] = torch.log(v["v_-1"])
    v["v_2"] = v["v_-1"] * v["v_0"]
    v["v_3"] = torch.sin(v["v_0"])
    v["v_4"] = v["v_1"] + v["v_2"]
    v["v_5"] = v["v_4"] - v["v_3"]
    for tensor in v.values():
        tensor.retain_grad()
    v["v_5"].backward()
    for node in run(x1=x1, x2=x2).to_dict()["nodes"]:
        assert node["value"] == pytest.approx(v[node["name"]].item(), rel=1e-15, abs=1e-15)
        assert node["adjoint"] == pytest.approx(v[node["name"]].grad.item(), rel=1e-14)


def test_a_node_used_twice_sums_its_two_adjoint_contributions():
    data = run(x1=2.0, x2=5.0).to_dict()
    edges = {(e["source"], e["target"]): e["local_derivative"] for e in data["edges"]}
    adjoints = {n["name"]: n["adjoint"] for n in data["nodes"]}
    assert adjoints["v_0"] == pytest.approx(
        adjoints["v_2"] * edges[("v_0", "v_2")] + adjoints["v_3"] * edges[("v_0", "v_3")])


class CountingArray(np.ndarray):
    """An array that records 2 m k n for every (m, k) @ (k, n) product it takes part in."""

    flops: list[int] = []

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        plain = [x.view(np.ndarray) if isinstance(x, CountingArray) else x for x in inputs]
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, CountingArray) else o
                                  for o in out)
        if ufunc is np.matmul and method == "__call__":
            (m, k), n = plain[0].shape, plain[1].shape[1]
            CountingArray.flops.append(2 * m * k * n)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return result.view(CountingArray) if isinstance(result, np.ndarray) else result


def count_engine_matmuls(depth, width, batch, monkeypatch) -> tuple[int, int, int]:
    """Run the engine's forward and backward passes and count their products' flops."""
    original_carve = network.carve
    monkeypatch.setattr(network, "carve",
                        lambda shapes: [a.view(CountingArray) for a in original_carve(shapes)])
    rng = np.random.default_rng(0)
    sizes = [width] * (depth + 1) + [1]
    weights, biases = network.build_network(rng, sizes, init="glorot_normal", init_std=1.0,
                                            batch_norm=False)
    weights = [w.view(CountingArray) for w in weights]
    inputs = rng.standard_normal((batch, width)).view(CountingArray)
    targets = rng.standard_normal((batch, 1)).view(CountingArray)
    CountingArray.flops = []
    passed = network.forward(weights, biases, inputs, activation="tanh")
    forward_products = len(CountingArray.flops)
    forward = sum(CountingArray.flops)
    CountingArray.flops = []
    network.backward(passed, weights, biases, targets, activation="tanh")
    return forward, sum(CountingArray.flops), forward_products


@pytest.mark.parametrize(("depth", "width", "batch"), [(1, 2, 1), (4, 64, 32), (7, 33, 5),
                                                       (3, 128, 200)])
def test_flops_from_the_shapes_match_the_engines_own_products(depth, width, batch,
                                                              monkeypatch):
    forward, backward, products = count_engine_matmuls(depth, width, batch, monkeypatch)
    assert products == depth + 1  # one product per layer: the counter saw every one
    data = run(depth=depth, width=width, batch_size=batch).to_dict()
    # The engine's backward also computes dL/dx, the product training skips.
    assert data["forward_flops"] == forward
    assert data["backward_flops"] + data["input_gradient_flops"] == backward
    assert data["input_gradient_flops"] == 2 * batch * width * width
    assert data["parameter_count"] == depth * (width * width + width) + width + 1
    assert data["forward_mode_flops_lower_bound"] == data["parameter_count"] * forward


@pytest.mark.parametrize(("depth", "width", "batch"), [(1, 2, 1), (4, 64, 32), (7, 33, 5),
                                                       (3, 128, 200)])
def test_flops_match_torchs_count_of_a_training_backward_pass(depth, width, batch):
    """torch does not compute dL/dx when the data needs no gradient: its count is ours."""
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    torch.manual_seed(0)
    sizes = [width] * (depth + 1) + [1]
    layers = [torch.nn.Linear(fan_in, fan_out, dtype=torch.float64)
              for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True)]
    inputs = torch.randn(batch, width, dtype=torch.float64)  # requires_grad=False
    with FlopCounterMode(display=False) as forward_count:
        hidden = inputs
        for layer in layers[:-1]:
            hidden = torch.tanh(layer(hidden))
        loss = 0.5 * (layers[-1](hidden) ** 2).mean()
    with FlopCounterMode(display=False) as backward_count:
        loss.backward()
    data = run(depth=depth, width=width, batch_size=batch).to_dict()
    assert data["forward_flops"] == forward_count.get_total_flops()
    assert data["backward_flops"] == backward_count.get_total_flops()


@pytest.mark.parametrize(("depth", "width", "batch"), [(1, 2, 1), (4, 64, 32), (60, 512, 512)])
def test_the_backward_pass_costs_twice_the_forward_in_every_layer_but_the_first(
        depth, width, batch):
    data = run(depth=depth, width=width, batch_size=batch).to_dict()
    forward, backward = data["forward_flops_per_layer"], data["backward_flops_per_layer"]
    assert backward[0] == forward[0]
    assert all(b == 2 * f for f, b in zip(forward[1:], backward[1:], strict=True))
    assert 1 < data["backward_to_forward_ratio"] < 2


def test_to_dict_is_json():
    json.dumps(run().to_dict(), allow_nan=False)


@pytest.mark.parametrize(("raw", "field", "code"), [
    ({"x1": 0}, "x1", "min_value"),
    ({"width": 1024}, "width", "max_value"),
    ({"depth": 0}, "depth", "min_value"),
])
def test_out_of_range_parameters_are_refused(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        validate(reverse_mode.ReverseModeParams, raw)
    assert {name: error.code for name, error in caught.value.errors.items()} == {field: code}
