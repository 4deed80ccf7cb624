"""Clipping rules and the step angle against torch.nn.utils, in float64."""

import math

import numpy as np
import pytest

from simulations.engine import clipping, training
from simulations.engine.core import validate

torch = pytest.importorskip("torch")


def random_gradients(seed: int, scale: float) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [scale * rng.standard_normal(shape) for shape in ((4, 3), (3,), (3, 1))]


def torch_clipped(grads: list[np.ndarray], rule: str, threshold: float) -> list[np.ndarray]:
    tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for tensor, grad in zip(tensors, grads, strict=True):
        tensor.grad = torch.tensor(grad)
    if rule == "norm":
        torch.nn.utils.clip_grad_norm_(tensors, threshold)
    else:
        torch.nn.utils.clip_grad_value_(tensors, threshold)
    return [tensor.grad.numpy() for tensor in tensors]


@pytest.mark.parametrize("rule", ["norm", "value"])
@pytest.mark.parametrize("seed", range(5))
def test_clipped_gradients_equal_torch(rule, seed):
    grads = random_gradients(seed, scale=3.0)
    ours = clipping.clip_gradients(grads, clipping.global_norm(grads), rule, 0.7)
    for mine, theirs in zip(ours, torch_clipped(grads, rule, 0.7), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-15, atol=0)


@pytest.mark.parametrize("seed", range(5))
def test_norm_clipping_keeps_the_direction_and_value_clipping_turns_it(seed):
    grads = random_gradients(seed, scale=3.0)
    total = clipping.global_norm(grads)
    by_norm = clipping.clip_gradients(grads, total, "norm", 0.7)
    by_value = clipping.clip_gradients(grads, total, "value", 0.7)
    assert clipping.step_angle(grads, by_norm) < 1e-12
    flat = np.concatenate([g.ravel() for g in grads])
    cut = np.concatenate([g.ravel() for g in by_value])
    cosine = flat @ cut / (np.linalg.norm(flat) * np.linalg.norm(cut))
    assert math.isclose(clipping.step_angle(grads, by_value), math.degrees(math.acos(cosine)),
                        rel_tol=1e-9)
    assert clipping.step_angle(grads, by_value) > 1


def test_angle_of_a_known_cut():
    """(2, 1) clipped at 1 becomes (1, 1): the angle is 45° - atan(1/2)."""
    grads = [np.array([2.0, 1.0])]
    cut = clipping.clip_gradients(grads, clipping.global_norm(grads), "value", 1.0)
    expected = 45.0 - math.degrees(math.atan(0.5))
    assert math.isclose(clipping.step_angle(grads, cut), expected, rel_tol=1e-12)


def test_an_untouched_gradient_has_no_angle():
    grads = [np.array([0.1, -0.2])]
    assert clipping.step_angle(grads, grads) == 0.0
    assert clipping.step_angle(grads, clipping.clip_gradients(grads, 0.22, "value", 1.0)) == 0.0


def test_training_records_the_angle_of_every_step():
    base = {"steps": 15, "clip_threshold": 0.03}
    by_norm = training.run(validate(training.TrainingParams, {**base, "clipping": "norm"}), 0)
    by_value = training.run(validate(training.TrainingParams, {**base, "clipping": "value"}), 0)
    plain = training.run(validate(training.TrainingParams, {**base, "clipping": "none"}), 0)
    assert len(by_norm.clip_angles) == 15
    assert np.all(by_norm.clip_angles < 1e-10)
    assert np.all(by_value.clip_angles > 1)
    assert np.all(plain.clip_angles == 0)
    assert by_value.to_dict()["largest_clip_angle"] == pytest.approx(by_value.clip_angles.max())


def test_angles_leave_the_default_run_unchanged():
    """The angle is recorded, not used: the losses are those of a run that ignores it."""
    result = training.run(validate(training.TrainingParams, {"steps": 5}), 0)
    data = result.to_dict()
    assert data["clip_angles"] == [0.0] * 5 and data["largest_clip_angle"] == 0.0
