"""The one-unit RNN's cliff: BPTT against torch autograd, clipping against torch.nn.utils,
and the phenomenon of Pascanu, Mikolov & Bengio (2013): a step onto the wall throws the
parameters far away unless the gradient's norm is clipped."""

import json
import warnings

import numpy as np
import pytest

from simulations.engine import cliff
from simulations.engine.core import ParameterError, validate

torch = pytest.importorskip("torch")


def params(**raw) -> cliff.CliffParams:
    return validate(cliff.CliffParams, raw)


def torch_loss_and_gradient(w: float, b: float, p: cliff.CliffParams):
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    x = torch.tensor(p.initial_state, dtype=torch.float64)
    for _ in range(p.time_steps):
        x = w_t * torch.sigmoid(x) + b_t
    loss = 0.5 * (x - p.target) ** 2
    loss.backward()
    return loss.item(), w_t.grad.item(), b_t.grad.item()


@pytest.mark.parametrize("time_steps", [2, 10, 50])
def test_bptt_equals_torch_autograd(time_steps):
    p = params(time_steps=time_steps)
    rng = np.random.default_rng(time_steps)
    w = rng.uniform(-8, 10, 20)
    b = rng.uniform(-6, 2, 20)
    loss, grad_w, grad_b = cliff.loss_and_gradient(w, b, p)
    for i in range(len(w)):
        expected = torch_loss_and_gradient(w[i], b[i], p)
        np.testing.assert_allclose([loss[i], grad_w[i], grad_b[i]], expected, rtol=1e-10,
                                   atol=1e-12)


def torch_clipped_step(theta, p: cliff.CliffParams):
    _, grad_w, grad_b = torch_loss_and_gradient(theta[0], theta[1], p)
    tensor = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    tensor.grad = torch.tensor([grad_w, grad_b], dtype=torch.float64)
    if p.clipping == "norm":
        torch.nn.utils.clip_grad_norm_([tensor], p.clip_threshold)
    elif p.clipping == "value":
        torch.nn.utils.clip_grad_value_([tensor], p.clip_threshold)
    return theta - p.learning_rate * tensor.grad.numpy()


@pytest.mark.parametrize("rule", ["none", "norm", "value"])
def test_the_path_follows_torchs_clipped_steps(rule):
    p = params(clipping=rule, descent_steps=8, start_w=5.0, start_b=-1.0)
    path = cliff.run(p, 0).path
    for k in range(len(path) - 1):
        np.testing.assert_allclose(path[k + 1], torch_clipped_step(path[k], p), rtol=1e-9,
                                   atol=1e-12)


def test_a_step_onto_the_wall_throws_the_parameters_far_unless_the_norm_is_clipped():
    plain = cliff.run(params(clipping="none"), 0)
    clipped = cliff.run(params(clipping="norm"), 0)
    threshold, rate = 1.0, 0.05
    # Without clipping one step is hundreds of times the clipped bound learning_rate * c.
    assert plain.step_lengths.max() > 1000 * rate * threshold
    assert plain.grad_norms.max() > 1000 * plain.grad_norms[0]
    assert np.all(clipped.step_lengths <= rate * threshold)
    # The clipped path stays within reach of the start; the other leaves the window.
    assert np.linalg.norm(clipped.path[-1] - clipped.path[0]) <= 40 * rate * threshold
    assert not (2 <= plain.path[-1, 0] <= 10 and -6 <= plain.path[-1, 1] <= 1)


def test_norm_clipping_keeps_the_step_along_the_gradient():
    by_norm = cliff.run(params(clipping="norm"), 0)
    by_value = cliff.run(params(clipping="value"), 0)
    assert by_norm.clipped_fraction > 0 and by_norm.clip_angles.max() < 1e-10
    assert by_value.clip_angles.max() > 1


def test_the_loss_jumps_across_the_wall():
    """At w = 8 the last state sits near one fixed point or the other (Pascanu et al., 2.3)."""
    p = params()
    b = np.linspace(-6, 1, 2001)
    final_loss = cliff.loss_and_gradient(np.full_like(b, 8.0), b, p)[0]
    assert np.max(np.abs(np.diff(final_loss))) > 5  # one tiny step of b, a jump of the loss


def test_result_is_json_and_the_seed_changes_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = cliff.run(params(), 0).to_dict()
    again = cliff.run(params(), 7).to_dict()
    assert json.loads(json.dumps(first))["largest_step"] == first["largest_step"]
    assert first["path"] == again["path"]
    assert len(first["grid"]["loss"]) == cliff.GRID_POINTS
    assert len(first["losses"]) == len(first["path"]) == first["params"]["descent_steps"] + 1


@pytest.mark.parametrize(("raw", "field", "code"), [
    ({"w_min": 5.0, "w_max": 4.0}, "w_max", "empty_range"),
    ({"b_min": 1.0, "b_max": 1.0}, "b_max", "empty_range"),
    ({"time_steps": 100, "descent_steps": 300}, "time_steps", "too_costly"),
])
def test_invalid_params_are_refused(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        params(**raw)
    assert caught.value.errors[field].code == code
