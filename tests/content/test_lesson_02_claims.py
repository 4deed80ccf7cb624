"""Lesson 18.2 (loss functions): every number it states, recomputed from the engine."""

import numpy as np
import pytest

from simulations.engine import neuron_losses
from simulations.engine.core import validate

# The lesson's figure and text: Nielsen's chapter 3 example.
NIELSEN = {"initial_weight": 2.0, "initial_bias": 2.0, "input": 1.0, "target": 0.0,
           "learning_rate": 0.15, "steps": 300}


@pytest.fixture(scope="module")
def nielsen():
    return neuron_losses.run(validate(neuron_losses.NeuronLossesParams, NIELSEN), 0).to_dict()


def decimal_comma(text: str) -> str:
    return text.replace(".", "{,}")


def test_the_starting_point_is_confidently_wrong(lesson_says, nielsen):
    a = nielsen["losses"]["squared_error"]["outputs"][0]
    slope = nielsen["initial_sigmoid_slope"]
    lesson_says(
        "02",
        f"de modo que $z = 4$ e $a \\approx {decimal_comma(f'{a:.2f}')}$. O erro é grande, perto "
        f"de 1, mas a inclinação da sigmoide em $z = 4$ é só cerca de "
        f"${decimal_comma(f'{slope:.3f}')}$",
        f"so $z = 4$ and $a \\approx {a:.2f}$. The error is large, close to 1, but the "
        f"sigmoid's slope at $z = 4$ is only about ${slope:.3f}$",
    )
    assert nielsen["initial_preactivation"] == 4.0
    assert abs(a - 1) < 0.05


def test_the_cross_entropy_gradient_starts_57_times_larger(lesson_says, nielsen):
    ratio = nielsen["initial_gradient_ratio"]
    lesson_says(
        "02",
        f"o gradiente da entropia cruzada é cerca de {round(ratio)} vezes maior",
        f"the cross-entropy's gradient is about {round(ratio)} times larger",
    )
    runs = nielsen["losses"]
    assert runs["cross_entropy"]["abs_grad_z"][0] / runs["squared_error"]["abs_grad_z"][0] \
        == pytest.approx(ratio)


def test_steps_until_the_output_crosses_one_half(lesson_says, nielsen):
    crossed = nielsen["losses"]["cross_entropy"]["steps_to_cross_half"]
    squared = nielsen["losses"]["squared_error"]["steps_to_cross_half"]
    lesson_says(
        "02",
        f"Com a entropia cruzada, a saída cruza 0,5 após {crossed} passos. Com o erro "
        f"quadrático, a perda fica quase parada em um platô e a saída só cruza 0,5 após "
        f"{squared} passos.",
        f"With the cross-entropy, the output crosses 0.5 after {crossed} steps. With the "
        f"squared error, the loss sits almost still on a plateau and the output only crosses "
        f"0.5 after {squared} steps.",
    )
    # The plateau: over its first 100 steps the squared error loses under 5% of its loss.
    losses = nielsen["losses"]["squared_error"]["losses"]
    assert losses[100] > 0.95 * losses[0]


def test_the_squared_errors_gradient_grows_then_falls(lesson_says, nielsen):
    run = nielsen["losses"]["squared_error"]
    gradients = np.array(run["abs_grad_z"])
    peak = int(gradients.argmax())
    output = run["outputs"][peak]
    lesson_says(
        "02",
        f"atinge o máximo no passo {peak}, quando a saída está em torno de "
        f"${decimal_comma(f'{output:.2f}')}$, e só então volta a cair",
        f"peaks at step {peak}, when the output is around ${output:.2f}$, and only then falls "
        "again",
    )
    assert 0 < peak < len(gradients) - 1
    assert np.all(np.diff(gradients[: peak + 1]) > 0)
    assert np.all(np.diff(gradients[peak:]) < 0)


def test_with_a_linear_output_the_squared_error_has_no_saturation_factor(lesson_says):
    lesson_says(
        "02",
        "com uma saída linear, $a = z$, o erro quadrático dá $\\partial L/\\partial z = a - y$",
        "with a linear output, $a = z$, the squared error gives $\\partial L/\\partial z = a - y$",
    )
    from simulations.engine import losses

    outputs, targets = np.array([[3.0]]), np.array([[-0.5]])
    _, grad = losses.evaluate("half_squared_error", outputs, targets)
    assert grad[0, 0] == outputs[0, 0] - targets[0, 0]


def test_torch_mse_loss_doubles_the_gradient(lesson_says):
    torch = pytest.importorskip("torch")
    lesson_says("02", "o `MSELoss` do PyTorch não tem o $1/2$, o que dobra o gradiente",
                "PyTorch's `MSELoss` has no $1/2$, which doubles the gradient")
    from simulations.engine import losses

    outputs = np.array([[0.3], [1.2], [-0.7]])
    targets = np.array([[0.0], [1.0], [0.5]])
    _, ours = losses.evaluate("half_squared_error", outputs, targets)
    y = torch.tensor(outputs, requires_grad=True)
    torch.nn.functional.mse_loss(y, torch.tensor(targets)).backward()
    assert np.allclose(y.grad.numpy(), 2 * ours, rtol=1e-12)


def test_softmax_cross_entropy_gradient_is_the_error(lesson_says):
    torch = pytest.importorskip("torch")
    lesson_says("02", "$$\\frac{\\partial L}{\\partial z_k} = a_k - y_k$$",
                "$$\\frac{\\partial L}{\\partial z_k} = a_k - y_k$$")
    z = torch.tensor([1.5, -0.3, 0.2, 2.0], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.cross_entropy(z[None], torch.tensor([2])).backward()
    one_hot = np.eye(4)[2]
    assert np.allclose(z.grad.numpy(), torch.softmax(z, 0).detach().numpy() - one_hot)
