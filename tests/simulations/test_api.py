"""The simulations API: catalogue, run, plot; ETags, caching headers, errors per field."""

from urllib.parse import unquote

import pytest

from simulations import registry

API = "/api/v1/simulations/"


@pytest.fixture
def api(client):
    return client


def field_errors(response) -> dict[str, list[str]]:
    """Return {parameter: [messages]} from a 400 problem document."""
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["attr"], []).append(error["detail"])
    return errors


def test_catalogue_lists_every_simulation_with_its_parameter_schema(api):
    response = api.get(API, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    simulations = {item["slug"]: item for item in response.json()}
    assert list(simulations) == list(registry.SIMULATIONS)
    assert {"mlp_gradient_flow", "training_dynamics", "recurrent_gradient_flow", "activations",
            "init_variance", "gradient_check"} <= set(simulations)
    mlp = simulations["mlp_gradient_flow"]
    depth = next(p for p in mlp["parameters"] if p["name"] == "depth")
    assert depth["type"] == "int" and depth["minimum"] == 1 and depth["maximum"] == 60
    assert depth["default"] == 10 and depth["label"] and depth["doc"]
    activation = next(p for p in mlp["parameters"] if p["name"] == "activation")
    assert {"value": "relu", "label": "ReLU"} in activation["choices"]
    assert [kind["name"] for kind in mlp["plot_kinds"]] == ["gradients", "activations"]
    assert mlp["title"] == "Gradient flow in a deep network" and mlp["description"]


def test_catalogue_titles_follow_the_language(api):
    """Needs the compiled pt-BR catalogue."""
    english = api.get(API, {"lang": "en"}).json()[0]["title"]
    portuguese = api.get(API, HTTP_ACCEPT_LANGUAGE="pt-br").json()[0]["title"]
    assert english != portuguese


def test_run_returns_the_result_as_json(api):
    response = api.get(f"{API}mlp_gradient_flow/run/", {"depth": 7, "seed": 4})
    assert response.status_code == 200
    data = response.json()
    assert data["simulation"] == "mlp_gradient_flow" and data["seed"] == 4
    assert data["params"]["depth"] == 7 and len(data["weight_grad_norms"]) == 7


def test_run_carries_the_hash_as_etag_and_answers_if_none_match_with_304(api):
    url = f"{API}recurrent_gradient_flow/run/?steps=12"
    first = api.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 66
    assert "public" in first["Cache-Control"] and "max-age=86400" in first["Cache-Control"]
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "max-age" in again["Cache-Control"]
    assert api.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert api.get(f"{API}recurrent_gradient_flow/run/?steps=13")["ETag"] != etag


@pytest.mark.parametrize(("fmt", "content_type", "magic"),
                         [("png", "image/png", b"\x89PNG"), ("svg", "image/svg+xml", b"<?xml")])
def test_plot_returns_an_image_with_etag_and_alt_text(api, fmt, content_type, magic):
    url = f"{API}mlp_gradient_flow/plot.{fmt}?depth=8&lang=en"
    response = api.get(url, HTTP_ACCEPT="image/avif,image/webp,*/*")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type and response.content.startswith(magic)
    assert response["Content-Language"] == "en" and "Accept-Language" in response["Vary"]
    assert "network of 8 layers" in unquote(response["X-Alt-Text"])
    assert api.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_plot_of_an_image_only_client_still_gets_json_errors(api):
    response = api.get(f"{API}mlp_gradient_flow/plot.png?depth=0", HTTP_ACCEPT="image/png")
    assert list(field_errors(response)) == ["depth"]


def test_plot_etag_differs_by_language_and_format(api):
    etags = {api.get(f"{API}activations/plot.{fmt}", {"lang": lang})["ETag"]
             for fmt in ("png", "svg") for lang in ("en", "pt-br")}
    assert len(etags) == 4


def test_bad_parameters_get_a_400_with_an_english_message_per_field(api):
    response = api.get(f"{API}mlp_gradient_flow/run/",
                       {"depth": 1000, "activation": "softmax", "width": "wide", "colour": "red"},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert field_errors(response) == {
        "depth": ["Must be at most 60."],
        "activation": ["Choose one of: sigmoid, tanh, relu, leaky_relu."],
        "width": ["Enter a whole number."],
        "colour": ["Unknown parameter."],
    }


def test_bad_parameters_get_a_400_in_portuguese_by_default_and_by_accept_language(api):
    """Needs the compiled pt-BR catalogue."""
    by_header = api.get(f"{API}mlp_gradient_flow/plot.png", {"depth": 1000},
                        HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")
    assert field_errors(by_header) == {"depth": ["Deve ser no máximo 60."]}
    assert by_header["Content-Language"] == "pt-br"
    by_default = api.get(f"{API}mlp_gradient_flow/run/", {"depth": 1000})
    assert field_errors(by_default) == {"depth": ["Deve ser no máximo 60."]}


def test_lang_parameter_overrides_accept_language(api):
    response = api.get(f"{API}mlp_gradient_flow/run/", {"depth": 1000, "lang": "en"},
                       HTTP_ACCEPT_LANGUAGE="pt-br")
    assert field_errors(response) == {"depth": ["Must be at most 60."]}


def test_cross_field_problems_are_reported_under_their_field(api):
    response = api.get(f"{API}mlp_gradient_flow/run/",
                       {"batch_norm": "true", "batch_size": 1, "lang": "en"})
    assert field_errors(response) == {
        "batch_size": ["Batch normalization needs at least 2 examples per batch."]}
    slow = api.get(f"{API}mlp_gradient_flow/run/",
                   {"depth": 60, "width": 512, "batch_size": 512, "lang": "en"})
    assert "too long" in field_errors(slow)["width"][0]


@pytest.mark.parametrize("seed", ["-1", "x", str(2**32)])
def test_a_bad_seed_is_a_400_naming_the_seed(api, seed):
    response = api.get(f"{API}activations/run/", {"seed": seed, "lang": "en"})
    assert list(field_errors(response)) == ["seed"]


def test_an_unknown_kind_of_plot_is_a_400_listing_the_kinds(api):
    response = api.get(f"{API}mlp_gradient_flow/plot.png", {"kind": "pie", "lang": "en"})
    assert field_errors(response) == {"kind": ["Choose one of: gradients, activations."]}


@pytest.mark.parametrize("path", ["nope/", "nope/run/", "nope/plot.png",
                                  "mlp_gradient_flow/plot.gif"])
def test_unknown_simulations_and_formats_are_json_404s(api, path):
    response = api.get(API + path, {"lang": "en"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404 and response.json()["detail"]


def test_simulation_detail_describes_one_simulation(api):
    response = api.get(f"{API}recurrent_gradient_flow/", {"lang": "en"})
    assert response.status_code == 200
    names = [p["name"] for p in response.json()["parameters"]]
    assert "spectral_radius" in names and "cell" in names


def test_schema_describes_the_simulation_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    plot = schema["paths"]["/api/v1/simulations/{slug}/plot.{fmt}"]["get"]
    assert {"image/png", "image/svg+xml"} <= set(plot["responses"]["200"]["content"])
    assert {"seed", "kind", "lang"} <= {p["name"] for p in plot["parameters"]}
    assert "400" in plot["responses"] and "304" in plot["responses"]
    assert "/api/v1/simulations/{slug}/run/" in schema["paths"]
