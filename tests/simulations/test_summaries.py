"""Key numbers: each simulation's labels and digits, in English and Portuguese, from a run.

The expected digits are computed from the engine's own result with the formatting
helpers in the page's language; the labels are the words a learner reads.
Needs the compiled pt-BR catalogue.
"""

import pytest
from django.utils import translation

from simulations import registry
from simulations.plots.common import number, scientific
from simulations.summaries import percent, value

EXPLODING = {"activation": "tanh", "init": "normal", "init_std": 1.0, "learning_rate": 1.0,
             "depth": 8, "width": 32, "steps": 200}


def run(slug, seed=0, **raw):
    simulation = registry.get(slug)
    return simulation.run(simulation.validate(raw), seed).to_dict()


def key_numbers(slug, data, language):
    with translation.override(language):
        return registry.get(slug).key_numbers(data)


def sci(number_, language):
    with translation.override(language):
        return scientific(number_)


def share(fraction, language):
    with translation.override(language):
        return f"{number(100 * fraction)}%"


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Loss", "Gradient norm at layer 6", "Gradient norm at layer 1",
            "Ratio layer 1 / layer 6", "Largest share of saturated units"]),
    ("pt-br", ["Perda", "Norma do gradiente na camada 6", "Norma do gradiente na camada 1",
               "Razão camada 1 / camada 6", "Maior fração de unidades saturadas"]),
])
def test_mlp_key_numbers_name_the_last_and_first_layers(language, words):
    data = run("mlp_gradient_flow", depth=6, activation="sigmoid")
    norms = data["weight_grad_norms"]
    digits = [sci(data["loss"], language), sci(norms[-1], language), sci(norms[0], language),
              sci(data["grad_ratio_first_to_last"], language),
              share(max(data["saturated_fractions"]), language)]
    assert key_numbers("mlp_gradient_flow", data, language) == list(zip(words, digits,
                                                                         strict=True))


@pytest.mark.parametrize(("language", "label"), [
    ("en", "Largest share of dead units"), ("pt-br", "Maior fração de unidades mortas")])
def test_mlp_key_numbers_count_dead_units_for_relu(language, label):
    data = run("mlp_gradient_flow", depth=4, activation="relu")
    assert key_numbers("mlp_gradient_flow", data, language)[-1] == (
        label, share(max(data["dead_fractions"]), language))


def test_a_decimal_comma_in_portuguese_and_a_point_in_english():
    data = run("mlp_gradient_flow", depth=6, activation="sigmoid")
    ratio = data["grad_ratio_first_to_last"]
    english = dict(key_numbers("mlp_gradient_flow", data, "en"))["Ratio layer 1 / layer 6"]
    portuguese = dict(key_numbers("mlp_gradient_flow", data, "pt-br"))[
        "Razão camada 1 / camada 6"]
    assert english == sci(ratio, "en") and "." in english.split(" ")[0]
    assert portuguese == english.replace(".", ",") and "," in portuguese


@pytest.mark.parametrize(("language", "words"), [
    ("en", ("Initial loss", "Final loss", "Diverged at step", "overflow (inf or NaN)")),
    ("pt-br", ("Perda inicial", "Perda final", "Divergiu no passo", "estouro (inf ou NaN)")),
])
def test_training_key_numbers_report_where_a_run_diverged(language, words):
    data = run("training_dynamics", **EXPLODING)
    assert data["diverged"] and data["final_loss"] is None
    initial, final, diverged, overflow = words
    assert key_numbers("training_dynamics", data, language) == [
        (initial, sci(data["losses"][0], language)), (final, overflow),
        (diverged, str(data["divergence_step"]))]


def key_numbers_of_plot(slug, data, language, kind):
    with translation.override(language):
        return registry.get(slug).key_numbers(data, kind=kind)


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Activation std at layer 1", "Activation std at layer 6", "Ratio layer 6 / layer 1",
            "Largest share of saturated units"]),
    ("pt-br", ["Desvio padrão das ativações na camada 1",
               "Desvio padrão das ativações na camada 6", "Razão camada 6 / camada 1",
               "Maior fração de unidades saturadas"]),
])
def test_mlp_activations_plot_has_the_activations_key_numbers(language, words):
    data = run("mlp_gradient_flow", depth=6, activation="tanh")
    stds = data["activation_stds"]
    digits = [sci(stds[0], language), sci(stds[-1], language), sci(stds[-1] / stds[0], language),
              share(max(data["saturated_fractions"]), language)]
    assert key_numbers_of_plot("mlp_gradient_flow", data, language, "activations") == list(
        zip(words, digits, strict=True))
    assert key_numbers_of_plot("mlp_gradient_flow", data, language, "gradients") == (
        key_numbers("mlp_gradient_flow", data, language))


@pytest.mark.parametrize(("language", "words"), [
    ("en", ("Initial gradient norm", "Final gradient norm", "Largest gradient norm",
            "Steps with a clipped gradient", "Diverged", "no")),
    ("pt-br", ("Norma inicial do gradiente", "Norma final do gradiente",
               "Maior norma do gradiente", "Passos com gradiente cortado", "Divergiu", "não")),
])
def test_training_gradient_norm_plot_has_the_gradient_norms_key_numbers(language, words):
    data = run("training_dynamics", **EXPLODING, clipping="norm", clip_threshold=1.0)
    norms = data["grad_norms"]
    initial, final, largest, clipped, diverged, no = words
    assert key_numbers_of_plot("training_dynamics", data, language, "grad_norm") == [
        (initial, sci(norms[0], language)), (final, sci(norms[-1], language)),
        (largest, sci(max(n for n in norms if n is not None), language)),
        (clipped, share(data["clipped_fraction"], language)), (diverged, no)]


@pytest.mark.parametrize(("language", "words"), [
    ("en", ("Initial loss", "Final loss", "Steps with a clipped gradient", "Diverged", "no")),
    ("pt-br", ("Perda inicial", "Perda final", "Passos com gradiente cortado", "Divergiu",
               "não")),
])
def test_training_key_numbers_count_clipped_steps(language, words):
    data = run("training_dynamics", **EXPLODING, clipping="norm", clip_threshold=1.0)
    initial, final, clipped, diverged, no = words
    assert key_numbers("training_dynamics", data, language) == [
        (initial, sci(data["losses"][0], language)), (final, sci(data["final_loss"], language)),
        (clipped, share(data["clipped_fraction"], language)), (diverged, no)]


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Gradient norm at step 12", "Gradient norm at step 0", "Ratio step 0 / step 12",
            "Spectral radius", "Largest singular value", "Saturated tanh units"]),
    ("pt-br", ["Norma do gradiente no passo 12", "Norma do gradiente no passo 0",
               "Razão passo 0 / passo 12", "Raio espectral", "Maior valor singular",
               "Unidades tanh saturadas"]),
])
def test_recurrent_key_numbers_follow_the_gradient_back_through_time(language, words):
    data = run("recurrent_gradient_flow", cell="rnn", steps=12)
    digits = [sci(data["grad_h_norms"][-1], language), sci(data["grad_h_norms"][0], language),
              sci(data["grad_ratio_first_to_last"], language),
              sci(data["spectral_radius"], language),
              sci(data["largest_singular_value"], language),
              share(data["saturated_fraction"], language)]
    assert key_numbers("recurrent_gradient_flow", data, language) == list(
        zip(words, digits, strict=True))


def test_a_linear_rnn_has_no_saturated_units_to_report():
    data = run("recurrent_gradient_flow", cell="linear_rnn", steps=12)
    labels = [label for label, _ in key_numbers("recurrent_gradient_flow", data, "en")]
    assert labels[-1] == "Largest singular value"


@pytest.mark.parametrize(("language", "names"), [
    ("en", ["sigmoid", "tanh", "ReLU", "leaky ReLU", "GELU"]),
    ("pt-br", ["sigmoide", "tanh", "ReLU", "leaky ReLU", "GELU"]),
])
def test_activation_key_numbers_give_each_largest_derivative(language, names):
    data = run("activations")
    template = {"en": "Largest derivative of {}", "pt-br": "Maior derivada da {}"}[language]
    with translation.override(language):
        digits = [number(curves["max_derivative_on_grid"])
                  for curves in data["activations"].values()]
    assert key_numbers("activations", data, language) == [
        (template.format(name), digit) for name, digit in zip(names, digits, strict=True)]
    assert digits[0] == {"en": "0.25", "pt-br": "0,25"}[language]  # sigmoid' peaks at 1/4


@pytest.mark.parametrize(("language", "template", "schemes"), [
    ("en", "Var[z] at layer 20, {}", ["normal (given standard deviation)",
                                      "Glorot/Xavier uniform", "Glorot/Xavier normal",
                                      "He/Kaiming normal", "He/Kaiming uniform"]),
    ("pt-br", "Var[z] na camada 20, {}", ["normal (desvio padrão dado)",
                                          "Glorot/Xavier uniforme", "Glorot/Xavier normal",
                                          "He/Kaiming normal", "He/Kaiming uniforme"]),
])
def test_init_variance_key_numbers_give_the_last_layer_variance_per_scheme(
        language, template, schemes):
    data = run("init_variance", depth=20)
    digits = [sci(values["preactivation_variances"][-1], language)
              for values in data["schemes"].values()]
    assert key_numbers("init_variance", data, language) == [
        (template.format(scheme), digit) for scheme, digit in zip(schemes, digits, strict=True)]


@pytest.mark.parametrize(("language", "words"), [
    ("en", ("Largest relative error", "Tolerance", "Check", "passes")),
    ("pt-br", ("Maior erro relativo", "Tolerância", "Verificação", "passa")),
])
def test_gradient_check_key_numbers_say_whether_it_passes(language, words):
    data = run("gradient_check")
    assert data["passed"]
    error, tolerance, check, passes = words
    assert key_numbers("gradient_check", data, language) == [
        (error, sci(data["max_relative_error"], language)),
        (tolerance, sci(data["tolerance"], language)), (check, passes)]


def test_missing_values_read_as_an_overflow_or_a_dash():
    with translation.override("en"):
        assert value(None) == "overflow (inf or NaN)" and percent(None) == "—"
        assert value(2.7e-4) == "2.7 × 10⁻⁴" and percent(0.25) == "25%"
