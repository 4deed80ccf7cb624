"""The words people read about each simulation, its parameters and their choices.

The engine names things in English for developers (titles, one-line docs); learners
read these translated texts instead. A parameter or choice missing here falls back to
the engine's own words, so a new engine parameter shows up at once, untranslated.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .engine.core import ParamSpec, Simulation

TITLES = {
    "mlp_gradient_flow": _("Gradient flow in a deep network"),
    "training_dynamics": _("Training dynamics and gradient clipping"),
    "recurrent_gradient_flow": _("Gradient flow through time in recurrent networks"),
    "activations": _("Activation functions and their derivatives"),
    "init_variance": _("Weight initialization and activation variance"),
    "gradient_check": _("Gradient check: backpropagation against finite differences"),
}

DESCRIPTIONS = {
    "mlp_gradient_flow": _(
        "One forward and backward pass through a deep multilayer perceptron: the norm of "
        "the gradient of every layer's weights and the statistics of its activations."),
    "training_dynamics": _(
        "A deep network trained with gradient descent on a small synthetic data set: the "
        "loss and the gradient norm at every step, with or without gradient clipping."),
    "recurrent_gradient_flow": _(
        "Backpropagation through time in a vanilla RNN, an LSTM or a GRU: how much of the "
        "gradient of a loss at the last step reaches each earlier step."),
    "activations": _(
        "Sigmoid, tanh, ReLU and leaky ReLU with their derivatives, and where each one "
        "saturates or stops passing gradient."),
    "init_variance": _(
        "How the variance of the activations changes from layer to layer under each "
        "weight initialization scheme."),
    "gradient_check": _(
        "The gradients computed by backpropagation compared with central finite "
        "differences on a small network."),
}

PARAM_LABELS = {
    "depth": _("Depth (hidden layers)"),
    "width": _("Width (units per layer)"),
    "activation": _("Activation function"),
    "init": _("Weight initialization"),
    "init_std": _("Weight standard deviation"),
    "batch_norm": _("Batch normalization"),
    "batch_size": _("Batch size"),
    "cell": _("Recurrent cell"),
    "steps": _("Time steps"),
    "hidden_size": _("Hidden units"),
    "input_size": _("Input size"),
    "spectral_radius": _("Spectral radius of the recurrent matrix"),
    "recurrent_matrix": _("Recurrent matrix"),
    "input_scale": _("Input scale"),
    "forget_bias": _("Forget gate bias (LSTM)"),
    "x_min": _("Smallest input"),
    "x_max": _("Largest input"),
    "points": _("Number of points"),
    "learning_rate": _("Learning rate"),
    "clipping": _("Gradient clipping"),
    "clip_norm": _("Maximum gradient norm"),
    "clip_value": _("Maximum gradient value"),
    "clip_threshold": _("Clipping threshold"),
    "samples": _("Training examples"),
    "epsilon": _("Finite-difference step"),
    "seed": _("Seed"),
}

PARAM_HELP = {
    "depth": _("Number of hidden layers the gradient crosses on its way back."),
    "width": _("Units in every hidden layer (the input has as many)."),
    "init_std": _("Standard deviation (not variance) of every weight, used when the "
                  "initialization is 'normal'."),
    "batch_norm": _("Normalize every hidden layer over the batch before its activation."),
    "steps": _("Number of time steps T; the loss looks only at the last one."),
    "spectral_radius": _("Largest absolute eigenvalue of the hidden-to-hidden matrix: below "
                         "1 the gradient of a vanilla RNN must shrink through time."),
    "forget_bias": _("Initial bias of the LSTM forget gate (ignored by other cells)."),
    "activation": _("Nonlinearity applied by every hidden layer."),
    "init": _("How the initial weights are drawn; Glorot suits tanh and sigmoid, He suits "
              "ReLU."),
    "batch_size": _("Number of examples in each batch."),
    "cell": _("Vanilla tanh RNN, linear RNN, LSTM or GRU."),
    "hidden_size": _("Number of units of the hidden state."),
    "input_size": _("Size of the input vector at each time step."),
    "recurrent_matrix": _("Orthogonal: its largest singular value equals the spectral "
                          "radius. Gaussian: the singular value is larger."),
    "input_scale": _("Standard deviation of the input's contribution to each unit."),
    "x_min": _("Left end of the range of inputs."),
    "x_max": _("Right end of the range of inputs."),
    "points": _("Number of evenly spaced inputs."),
    "samples": _("Size of the synthetic data set."),
    "learning_rate": _("Step size of gradient descent."),
    "clipping": _("None, by the global norm of the gradient, or by the value of each "
                  "entry."),
    "clip_threshold": _("Largest global norm ('norm') or entry magnitude ('value')."),
    "epsilon": _("Step of the central finite differences: too large and too small both "
                 "fail."),
    "seed": _("The same seed gives the same numbers."),
}
# A parameter whose meaning depends on the simulation: (simulation, parameter) first.
SIMULATION_PARAM_HELP = {
    ("training_dynamics", "steps"): _("Number of SGD steps."),
    ("training_dynamics", "depth"): _("Number of hidden layers."),
}

CHOICE_LABELS = {
    "sigmoid": _("sigmoid"),
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": _("leaky ReLU"),
    "normal": _("normal (given standard deviation)"),
    "glorot_uniform": _("Glorot/Xavier uniform"),
    "glorot_normal": _("Glorot/Xavier normal"),
    "he_normal": _("He/Kaiming normal"),
    "he_uniform": _("He/Kaiming uniform"),
    "rnn": _("vanilla RNN (tanh)"),
    "linear_rnn": _("linear RNN"),
    "lstm": "LSTM",
    "gru": "GRU",
    "orthogonal": _("orthogonal"),
    "gaussian": _("Gaussian"),
    "none": _("none"),
    "norm": _("by global norm"),
    "value": _("by value"),
}


def title(simulation: Simulation) -> str:
    return str(TITLES.get(simulation.slug, simulation.title))


def description(simulation: Simulation) -> str:
    return str(DESCRIPTIONS.get(simulation.slug, ""))


SIMULATION_PARAM_LABELS = {
    ("training_dynamics", "steps"): _("SGD steps"),
}


def param_label(spec: ParamSpec, slug: str = "") -> str:
    text = SIMULATION_PARAM_LABELS.get((slug, spec.name)) or PARAM_LABELS.get(
        spec.name, spec.name.replace("_", " ").capitalize())
    return str(text)


def param_help(spec: ParamSpec, slug: str = "") -> str:
    text = SIMULATION_PARAM_HELP.get((slug, spec.name)) or PARAM_HELP.get(spec.name, spec.doc)
    return str(text)


def choice_label(value: object) -> str:
    return str(CHOICE_LABELS.get(str(value), str(value).replace("_", " ")))
