"""The words people read about parameters and choices that many simulations share.

The engine names things in English for developers (one-line docs); learners read these
translated texts instead. A simulation's own words (its title, description and any
parameter whose meaning is its own) are in its declaration. A parameter or choice
missing everywhere falls back to the engine's own words, so a new engine parameter
shows up at once, untranslated.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
    "init_gain": _("Initialization gain"),
    "leaky_relu_slope": _("Leaky ReLU slope"),
    "he_gain_for": _("He gain for"),
    "batch_norm_eps": _("Batch norm ε"),
    "input_distribution": _("Input distribution"),
    "outputs": _("Output units"),
    "loss": _("Loss"),
    "spectra": _("Singular values"),
    "update_bias": _("Update gate bias (GRU)"),
}

PARAM_HELP = {
    "depth": _("Number of hidden layers the gradient crosses on its way back."),
    "width": _("Units in every hidden layer (the input has as many)."),
    "init_std": _("Standard deviation (not variance) of every weight, used when the "
                  "initialization is 'normal'."),
    "batch_norm": _("Normalize every hidden layer over the batch before its activation."),
    "steps": _("Number of time steps T; the loss looks only at the last one."),
    "spectral_radius": _("Largest absolute eigenvalue of the hidden-to-hidden matrix. A "
                         "largest singular value below 1, not a spectral radius below 1, makes "
                         "a vanilla tanh RNN's gradient shrink through time (Pascanu et al., "
                         "2013); the two are equal for the orthogonal draw."),
    "forget_bias": _("Initial bias of the LSTM forget gate (ignored by other cells)."),
    "activation": _("Nonlinearity applied by every hidden layer."),
    "init": _("How the initial weights are drawn: Glorot suits tanh, He suits ReLU; with "
              "the sigmoid, whose slope is at most 1/4, the gradient vanishes even with "
              "Glorot."),
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
    "init_gain": _("Multiplies every weight matrix the initialization draws (1 keeps the "
                   "scheme's own scale)."),
    "leaky_relu_slope": _("Slope of the leaky ReLU for negative inputs."),
    "he_gain_for": _("Which gain the He schemes use: √2 (ReLU) or √(2/(1+a²)) with the leaky "
                     "ReLU's slope a."),
    "batch_norm_eps": _("Small constant added to the batch variance before its square root."),
    "input_distribution": _("Distribution of the input entries; every choice has mean 0 and "
                            "variance 1."),
    "outputs": _("Number of linear output units."),
    "loss": _("Which loss the backward pass starts from: its definition is shown with the "
              "results."),
    "spectra": _("Also compute each weight matrix's largest singular value and the singular "
                 "values of the input–output Jacobian (costs more)."),
    "update_bias": _("Added to the bias of the GRU's update gate: large values keep the state "
                     "(and its gradient) from step to step."),
}

CHOICE_LABELS = {
    "sigmoid": _("sigmoid"),
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": _("leaky ReLU"),
    "gelu": "GELU",
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
    "pytorch_default": _("PyTorch's default (uniform, ±1/√fan-in)"),
    "scaled": _("scaled to the spectral radius"),
    "sigmoid_rnn": _("vanilla RNN (sigmoid)"),
    "uniform": _("uniform"),
    "sign": _("±1 (random signs)"),
    "half_squared_error": _("half squared error, batch mean"),
    "mean_squared_error": _("mean squared error (PyTorch's MSELoss)"),
    "probe": _("random probe (measures the backward signal)"),
    "one": _("1 (branch unscaled)"),
    "inverse_sqrt_depth": _("1/√L (L layers)"),
    "weight_decay": _("weight decay (L2)"),
    "dropout": "dropout",
}


def choice_label(value: object) -> str:
    return str(CHOICE_LABELS.get(str(value), str(value).replace("_", " ")))


def single_output_loss(data) -> list[str]:
    """Define the fixed loss of the simulations with one linear output (training, check)."""
    text = _("Loss: L = 1/(2B) · Σ_b (y_b − t_b)², half the squared error between the single "
             "linear output y_b and the target t_b, averaged over the batch of B = %(batch)d "
             "examples.")
    return [str(text) % {"batch": data["params"]["batch_size"]}]
