"""Training dynamics: clipping rules, divergence reported not raised, Pascanu et al. (2013)."""

import json
import math
import warnings

import numpy as np
import pytest

from simulations.engine import training
from simulations.engine.core import ParameterError, validate

SEEDS = range(5)
# Large init (n Var[w] = 32) and a large step: without clipping every seed tried (100)
# overflowed between steps 110 and 168; the documented demonstration in docs/simulations.md.
EXPLODING = {
    "activation": "tanh",
    "init": "normal",
    "init_std": 1.0,
    "learning_rate": 1.0,
    "depth": 8,
    "width": 32,
    "steps": 200,
}


def train(seed: int = 0, **raw) -> training.TrainingResult:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow must be reported, never warned
        return training.run(validate(training.TrainingParams, raw), seed)


def test_norm_clipping_follows_torch_rule():
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]  # global norm 5
    clipped = training.clip_gradients(grads, 5.0, "norm", 1.0)
    scale = 1.0 / (5.0 + 1e-6)
    np.testing.assert_array_equal(clipped[0], grads[0] * scale)
    np.testing.assert_array_equal(clipped[1], grads[1] * scale)
    assert training.clip_gradients(grads, 5.0, "norm", 10.0) is grads  # scale >= 1: untouched


def test_value_clipping_clips_every_entry():
    clipped = training.clip_gradients([np.array([-3.0, 0.5, 2.0])], 3.6, "value", 1.0)
    np.testing.assert_array_equal(clipped[0], [-1.0, 0.5, 1.0])


def test_global_norm_spans_every_parameter():
    assert training.global_norm([np.array([3.0]), np.array([[4.0, 12.0]])]) == 13.0


@pytest.mark.parametrize("seed", SEEDS)
def test_norm_clipping_keeps_an_exploding_run_finite(seed):
    """Pascanu et al. (2013): rescaling the gradient to norm c bounds every step by
    learning_rate * c, so the parameters stay finite while the unclipped run overflows."""
    unclipped = train(seed, **EXPLODING)
    clipped = train(seed, **EXPLODING, clipping="norm", clip_threshold=1.0)
    assert unclipped.diverged and unclipped.divergence_step < EXPLODING["steps"]
    assert len(unclipped.losses) == unclipped.divergence_step + 1
    assert not clipped.diverged and len(clipped.losses) == EXPLODING["steps"]
    assert np.all(np.isfinite(clipped.losses)) and np.all(np.isfinite(clipped.grad_norms))
    assert np.all(clipped.clipped_grad_norms <= 1.0)
    assert clipped.grad_norms.max() > 1.0  # clipping did act
    assert clipped.losses[-20:].mean() < clipped.losses[0]  # and it still learned


def test_divergence_is_json_safe():
    data = train(0, **EXPLODING).to_dict()
    json.dumps(data, allow_nan=False)
    assert data["diverged"] is True and data["divergence_step"] == len(data["losses"]) - 1
    assert None not in data["losses"][:-1] and None not in data["grad_norms"][:-1]


def test_value_clipping_bounds_every_gradient_entry():
    result = train(1, **EXPLODING, clipping="value", clip_threshold=0.01)
    assert not result.diverged
    n_parameters = sum(32 * 32 + 32 for _ in range(8)) + 32 + 1
    assert np.all(result.clipped_grad_norms <= 0.01 * math.sqrt(n_parameters))


def test_moderate_run_learns_the_teacher():
    result = train(2, activation="tanh", init="glorot_normal", learning_rate=0.05, steps=300)
    assert not result.diverged
    assert result.losses[-30:].mean() < 0.5 * result.losses[:30].mean()
    assert result.clipped_fraction == 0.0


def test_batch_norm_run_trains():
    result = train(3, batch_norm=True, activation="relu", init="he_normal", steps=100)
    assert not result.diverged and np.all(np.isfinite(result.losses))


EXPECTED_KEYS = {
    "simulation",
    "engine_version",
    "seed",
    "params",
    "steps",
    "clip_angles",
    "largest_clip_angle",
    "losses",
    "grad_norms",
    "clipped_grad_norms",
    "clipped_fraction",
    "diverged",
    "divergence_step",
    "final_loss",
}


def test_same_seed_same_run_other_seed_other_run():
    first, again, other = train(4, steps=20), train(4, steps=20), train(5, steps=20)
    assert set(first.to_dict()) == EXPECTED_KEYS
    assert first.to_dict() == again.to_dict()
    assert not np.array_equal(first.losses, other.losses)


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"steps": 0}, "steps", "min_value"),
        ({"learning_rate": 100.0}, "learning_rate", "max_value"),
        ({"clipping": "adaptive"}, "clipping", "invalid_choice"),
        ({"batch_size": 64, "samples": 32}, "batch_size", "batch_exceeds_samples"),
        ({"batch_norm": True, "batch_size": 1}, "batch_size", "batch_norm_needs_two"),
        ({"steps": 1000, "depth": 20, "width": 128, "batch_size": 256}, "steps", "too_costly"),
    ],
)
def test_invalid_params_are_refused(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        validate(training.TrainingParams, raw)
    assert {name: error.code for name, error in caught.value.errors.items()} == {field: code}
