"""The lab's answer to its own script: the output alone, swapped in place by static/js/lab.js.

The same view, the same form, the same words as the page without script; bad parameters
are a 400 naming their fields, a run not done yet a 202 with Retry-After.
"""

import html
import re

import pytest
from django.utils import formats, translation

from simulations import limits, offload, registry, services
from simulations.forms import number_message
from simulations.numbers import NumberFormatError, read_number

URL = "/{lang}/lab/{slug}/"
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def fragment(client, lang="en", slug="mlp_gradient_flow", **query):
    return client.get(URL.format(lang=lang, slug=slug), query, **FETCH)


def test_the_fragment_is_the_output_without_the_page(client):
    response = fragment(client, depth=12)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "<form" not in body
    assert '<section class="lab-output" aria-live="polite">' in body
    assert re.search(r'<source media="\(max-width: 36rem\)" srcset="[^"]+layout=narrow"', body)
    assert "depth=12&amp;" in body and "Key numbers" in body


def test_the_fragment_quotes_the_numbers_the_page_shows(client):
    simulation = registry.get("mlp_gradient_flow")
    params = simulation.validate({"depth": 12})
    result = simulation.run(params, services.DEFAULT_SEED).to_dict()
    with translation.override("pt-br"):
        numbers = simulation.key_numbers(result, kind="gradients")
    body = html.unescape(fragment(client, "pt-br", depth=12).content.decode())
    for label, value in numbers:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in body


def test_the_page_and_the_fragment_vary_on_who_asks(client):
    for response in (fragment(client), client.get(URL.format(lang="en", slug="activations"))):
        assert "X-Requested-With" in response["Vary"]
        assert re.fullmatch(r'lab;dur=\d+\.\d;desc="lab view"', response["Server-Timing"])


@pytest.mark.parametrize(("lang", "depth_message"), [("en", "Must be at most 60."),
                                                     ("pt-br", "Deve ser no máximo 60.")])
def test_bad_parameters_are_a_400_with_each_fields_message(client, lang, depth_message):
    response = fragment(client, lang, depth=1000, width="wide")
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert re.search(r'data-field="depth"><ul class="errorlist" id="id_depth_error"><li>'
                     + re.escape(depth_message), body)
    assert 'data-field="width"' in body and "<img" not in body


@pytest.mark.parametrize(("lang", "typed"), [("pt-br", "1.000"), ("en", "1,000")])
def test_an_ambiguous_number_is_refused_in_the_pages_words(client, lang, typed):
    with translation.override(lang):
        decimal = formats.get_format("DECIMAL_SEPARATOR")
        with pytest.raises(NumberFormatError) as refused:
            read_number(typed, decimal=decimal)
        expected = number_message(refused.value, decimal)
    response = fragment(client, lang, init="normal", init_std=typed)
    assert response.status_code == 400
    assert f"<li>{expected}</li>" in html.unescape(response.content.decode())


@pytest.mark.parametrize(("lang", "typed"), [("pt-br", "0,5"), ("pt-br", "5 × 10⁻¹"),
                                             ("en", "0.5")])
def test_the_fragment_gives_the_value_each_field_was_read_as(client, lang, typed):
    body = fragment(client, lang, init="normal", init_std=typed).content.decode()
    assert '<data data-field="init_std" value="0.5">' in body  # a point: for the script
    assert "init_std=0.5&amp;" in body


@pytest.mark.parametrize("query", [{"seed": "-3"}, {"kind": "pie"}, {"init_std": "nan"},
                                   {"points": "1e9"}, {"x_min": "9", "x_max": "1"},
                                   {"depth": "9" * 80}, {"init_std": "1e999"}])
def test_nonsense_is_a_400_never_a_500(client, query):
    for slug in ("mlp_gradient_flow", "activations"):
        assert fragment(client, slug=slug, **query).status_code in (200, 400)


def test_a_run_not_done_yet_is_a_202_to_ask_again(client, monkeypatch):
    monkeypatch.setattr(offload, "obtain", lambda planned, **kwargs: offload.Pending("k"))
    response = fragment(client, depth=11)
    assert response.status_code == 202 and response["Retry-After"].isdigit()
    body = response.content.decode()
    assert 'class="lab-notice" role="status"' in body and "http-equiv" not in body


@pytest.mark.parametrize(("error", "status"), [
    (limits.TooManyRuns(7, anonymous=True), 429), (offload.Busy(5), 503)])
def test_refusals_say_why_with_retry_after(client, monkeypatch, error, status):
    def refuse(planned, **kwargs):
        raise error

    monkeypatch.setattr(offload, "obtain", refuse)
    response = fragment(client, depth=13)
    assert response.status_code == status and int(response["Retry-After"]) > 0
    assert 'class="lab-notice" role="status"' in response.content.decode()


def test_the_text_input_says_its_range_for_a_slider(client):
    body = client.get(URL.format(lang="pt-br", slug="mlp_gradient_flow")).content.decode()
    std = re.search(r'<input[^>]*name="init_std"[^>]*>', body).group()
    assert 'data-minimum="0.001"' in std and 'data-maximum="10.0"' in std
    assert 'data-log-scale="true"' in std and 'data-whole="false"' in std
    assert 'data-whole="true"' in re.search(r'<input[^>]*name="depth"[^>]*>', body).group()
    assert 'data-decimal=","' in body
