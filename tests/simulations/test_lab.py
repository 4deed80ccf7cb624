"""The lab: a GET form of the parameters, the plot as an <img>, errors under their fields."""

import html
import re

import pytest

LAB = "/{lang}/lab/"


def page(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_lab_lists_every_simulation(client):
    body = page(client, LAB.format(lang="en"))
    for slug in ("mlp_gradient_flow", "training_dynamics", "recurrent_gradient_flow",
                 "activations", "init_variance", "gradient_check"):
        assert f'href="/en/lab/{slug}/"' in body


def test_lab_page_without_javascript_shows_the_plot_with_alt_text_and_key_numbers(client):
    body = page(client, LAB.format(lang="en") + "mlp_gradient_flow/")
    # The only script is a file the page works without (static/js/lab.js), none inline.
    assert re.findall(r"<script[^>]*>", body) == [
        re.search(r'<script src="[^"]*js/lab[.\w]*js" defer>', body).group()]
    assert re.search(r'<form class="lab-form[^"]*" method="get"', body)
    image = re.search(r'<img src="([^"]+)" alt="([^"]+)"', body)
    assert image is not None
    src, alt = html.unescape(image.group(1)), html.unescape(image.group(2))
    assert src.startswith("/api/v1/simulations/mlp_gradient_flow/plot.png?")
    assert "network of 10 layers" in alt
    assert client.get(src)["Content-Type"] == "image/png"
    assert "Key numbers" in body and "Gradient norm at layer 1" in body


def test_lab_form_runs_the_submitted_parameters(client):
    body = page(client, LAB.format(lang="en") + "recurrent_gradient_flow/", cell="lstm",
                steps=20, hidden_size=16, input_size=4, batch_size=8, spectral_radius=1.1,
                recurrent_matrix="orthogonal", input_scale=1, forget_bias=1, seed=5)
    assert "LSTM, spectral radius 1.1" in html.unescape(body)
    assert "steps=20" in body and "seed=5" in body
    assert "Gradient norm at step 20" in body


def test_lab_form_shows_errors_under_their_fields_and_no_plot(client):
    body = page(client, LAB.format(lang="en") + "mlp_gradient_flow/", depth=1000,
                width="wide", activation="relu")
    assert 'id="id_depth_error"' in body and "Must be at most 60." in body
    assert 'id="id_width_error"' in body and "Enter a whole number." in body
    assert "<img" not in body
    assert 'value="relu" selected' in body  # the learner's other choices are kept


def test_lab_form_errors_are_in_portuguese_on_the_portuguese_page(client):
    """Needs the compiled pt-BR catalogue."""
    body = page(client, LAB.format(lang="pt-br") + "mlp_gradient_flow/", depth=1000)
    assert "Deve ser no máximo 60." in body


def test_lab_form_reports_cross_field_problems(client):
    body = page(client, LAB.format(lang="en") + "mlp_gradient_flow/", batch_norm="on",
                batch_size=1)
    assert 'id="id_batch_size_error"' in body
    assert "Batch normalization needs at least 2 examples per batch." in body


def test_an_unticked_checkbox_means_false(client):
    body = page(client, LAB.format(lang="en") + "training_dynamics/", depth=2, steps=5)
    assert "batch_norm=False" in body


@pytest.mark.parametrize("query", [{"seed": "-3"}, {"kind": "pie"}, {"init_std": "nan"},
                                   {"points": "1e9"}, {"x_min": "9", "x_max": "1"}])
def test_nonsense_in_the_query_never_makes_a_500(client, query):
    for slug in ("mlp_gradient_flow", "activations"):
        assert client.get(LAB.format(lang="en") + f"{slug}/", query).status_code == 200


def test_unknown_simulation_is_a_404(client):
    assert client.get(LAB.format(lang="en") + "nope/").status_code == 404


@pytest.mark.parametrize(("lang", "slug", "fragments"), [
    ("en", "mlp_gradient_flow", ["Loss: L = 1/(2B) · Σ_b ‖y_b − t_b‖², half the squared error",
                                 "k = 1 linear units", "B = 64 examples", "Frobenius"]),
    ("pt-br", "mlp_gradient_flow", ["Perda: L = 1/(2B) · Σ_b ‖y_b − t_b‖², metade do erro",
                                    "k = 1 unidades lineares", "B = 64 exemplos", "Frobenius"]),
    ("en", "recurrent_gradient_flow", ["Loss: L = 1/(2B) · Σ_b ‖h_T^b − y^b‖²",
                                       "the root mean square over the batch"]),
    ("pt-br", "recurrent_gradient_flow", ["Perda: L = 1/(2B) · Σ_b ‖h_T^b − y^b‖²",
                                          "a raiz da média quadrática, sobre o lote"]),
    ("en", "training_dynamics", ["Loss: L = 1/(2B) · Σ_b (y_b − t_b)²", "before any clipping"]),
    ("pt-br", "gradient_check", ["Perda: L = 1/(2B) · Σ_b (y_b − t_b)², metade"]),
])
def test_lab_page_defines_the_loss_the_run_used_in_the_pages_language(
        client, lang, slug, fragments):
    body = html.unescape(page(client, LAB.format(lang=lang) + f"{slug}/"))
    for fragment in fragments:
        assert fragment in body


def test_lab_page_defines_the_probe_loss_when_it_is_chosen(client):
    body = html.unescape(page(client, LAB.format(lang="en") + "mlp_gradient_flow/",
                              loss="probe", outputs=4))
    assert "Loss: L = Σ_b ⟨g_b, y_b⟩" in body and "k = 4 linear outputs" in body
    assert "half the squared error" not in body


@pytest.mark.parametrize(("lang", "typed"), [("pt-br", "0,5"), ("en", "0.5"),
                                             ("pt-br", "5 × 10⁻¹"), ("en", "5e-1")])
def test_lab_reads_the_decimal_separator_of_the_pages_language(client, lang, typed):
    body = html.unescape(page(client, LAB.format(lang=lang) + "mlp_gradient_flow/",
                              init="normal", init_std=typed))
    assert "init_std=0.5&" in body  # the plot and the JSON run what was typed, not 5
    assert 'class="lab-field-error"' not in body


@pytest.mark.parametrize(("lang", "typed", "readings"), [
    ("pt-br", "1.000", ["1000", "1,000"]), ("en", "1,000", ["1000", "1.000"])])
def test_lab_refuses_a_lone_thousands_separator_as_ambiguous(client, lang, typed, readings):
    body = html.unescape(page(client, LAB.format(lang=lang) + "mlp_gradient_flow/",
                              init="normal", init_std=typed))
    assert 'id="id_init_std_error"' in body and "<img" not in body
    assert all(reading in body for reading in readings)


def test_lab_shows_a_default_in_the_pages_language(client):
    body = page(client, LAB.format(lang="pt-br") + "training_dynamics/")
    assert re.search(r'name="learning_rate" value="0,\d+"', body)


@pytest.mark.parametrize(("kind", "shown", "not_shown"), [
    ("gradients", "Gradient norm at layer 1", "Activation std at layer 1"),
    ("activations", "Activation std at layer 1", "Gradient norm at layer 1"),
])
def test_lab_key_numbers_follow_the_chosen_plot(client, kind, shown, not_shown):
    body = page(client, LAB.format(lang="en") + "mlp_gradient_flow/", kind=kind)
    numbers = body.partition('class="lab-numbers"')[2].partition("</dl>")[0]
    assert shown in numbers and not_shown not in numbers


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_the_api_keeps_the_point_as_json_numbers_do(client, lang):
    """The lab reads the page's language; the API reads numbers as JSON writes them."""
    url = "/api/v1/simulations/mlp_gradient_flow/run/"
    refused = client.get(url, {"init": "normal", "init_std": "0,5", "lang": lang})
    assert refused.status_code == 400 and "init_std" in refused.content.decode()
    ran = client.get(url, {"init": "normal", "init_std": "0.5", "lang": lang})
    assert ran.status_code == 200 and ran.json()["params"]["init_std"] == 0.5
