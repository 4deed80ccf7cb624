"""The live lab in a real browser: a change redraws the plot and the key numbers in place.

Each test leaves a mark on the window: a page navigation would wipe it. Numbers are
recomputed with the engine and written by the site's own functions, never typed here.
"""

import math

import pytest
from django.utils import formats, translation

from simulations import registry, services
from simulations.forms import SimulationForm, number_message
from simulations.numbers import NumberFormatError, read_number

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["pt-br", "en"]
SLUG = "mlp_gradient_flow"
SIMULATION = registry.get(SLUG)
SPECS = {spec.name: spec for spec in SIMULATION.specs()}


def label(name: str, lang: str) -> str:
    with translation.override(lang):
        return SIMULATION.param_label(SPECS[name])


def expected_numbers(lang: str, kind: str = "gradients", **raw) -> dict[str, str]:
    result = SIMULATION.run(SIMULATION.validate(raw), services.DEFAULT_SEED).to_dict()
    with translation.override(lang):
        return dict(SIMULATION.key_numbers(result, kind=kind))


def open_lab(page, live_server, lang: str, query: str = ""):
    page.goto(f"{live_server.url}/{lang}/lab/{SLUG}/{query}")
    page.evaluate("window.stillThisPage = true")


def key_numbers(page) -> dict[str, str]:
    labels = page.locator(".lab-numbers dt").all_inner_texts()
    values = page.locator(".lab-numbers dd").all_inner_texts()
    return dict(zip(labels, values, strict=True))


def updates(page) -> int:
    return page.evaluate("Number(document.querySelector('.lab-output').dataset.updated || 0)")


def wait_for_update(page, before: int) -> None:
    page.wait_for_function(
        "n => Number(document.querySelector('.lab-output').dataset.updated || 0) > n"
        " && !document.querySelector('.lab-output').hasAttribute('aria-busy')", arg=before)
    assert page.evaluate("window.stillThisPage") is True  # no navigation


def type_into(page, name: str, lang: str, typed: str) -> None:
    field = page.get_by_role("textbox", name=label(name, lang))
    field.fill("")
    field.press_sequentially(typed)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_slider_redraws_the_plot_and_numbers_in_place_and_the_url_follows(
        live_server, page, lang):
    open_lab(page, live_server, lang)
    default_depth = SPECS["depth"].default
    slider = page.get_by_role("slider", name=label("depth", lang))
    before = updates(page)
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    wait_for_update(page, before)
    depth = default_depth + 3
    assert page.get_by_role("textbox", name=label("depth", lang)).input_value() == str(depth)
    assert f"depth={depth}&" in page.locator(".sim-figure img").get_attribute("src")
    assert page.evaluate("document.querySelector('.sim-figure img').naturalWidth") > 0
    assert key_numbers(page) == expected_numbers(lang, depth=depth)
    assert f"depth={depth}&" in page.url
    assert page.evaluate("document.activeElement.id") == "id_depth_slider"  # focus kept
    assert page.locator(".lab-output").get_attribute("aria-live") == "polite"

    page.reload()  # the address is the configuration
    assert page.get_by_role("textbox", name=label("depth", lang)).input_value() == str(depth)
    assert key_numbers(page) == expected_numbers(lang, depth=depth)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_choosing_another_plot_redraws_in_place(live_server, page, lang):
    open_lab(page, live_server, lang)
    before = updates(page)
    with translation.override(lang):
        plot_label = str(SimulationForm(SIMULATION).fields["kind"].label)
    page.get_by_label(plot_label, exact=True).select_option("activations")
    wait_for_update(page, before)
    assert key_numbers(page) == expected_numbers(lang, kind="activations")
    assert "kind=activations" in page.url
    assert "kind=activations" in page.locator(".sim-figure img").get_attribute("src")
    assert "layout=narrow" in page.locator(".sim-figure source").get_attribute("srcset")


@pytest.mark.parametrize(("lang", "typed"), [("pt-br", "1.000"), ("en", "1,000")])
def test_a_bad_typed_value_shows_the_field_error_in_the_pages_language(
        live_server, page, lang, typed):
    open_lab(page, live_server, lang, "?init=normal")
    with translation.override(lang):
        decimal = formats.get_format("DECIMAL_SEPARATOR")
        with pytest.raises(NumberFormatError) as refused:
            read_number(typed, decimal=decimal)
        expected = number_message(refused.value, decimal)
    before = updates(page)
    type_into(page, "init_std", lang, typed)
    wait_for_update(page, before)
    field = page.get_by_role("textbox", name=label("init_std", lang))
    assert page.locator(".lab-field-error").inner_text() == expected
    assert field.get_attribute("aria-invalid") == "true"
    assert "id_init_std_error" in field.get_attribute("aria-describedby")
    assert page.locator(".sim-figure img").count() == 0
    assert page.evaluate("document.activeElement.id") == "id_init_std"  # still typing there

    before = updates(page)
    type_into(page, "init_std", lang, "2")  # corrected: the error goes, the plot comes back
    wait_for_update(page, before)
    assert page.locator(".lab-field-error").count() == 0
    assert field.get_attribute("aria-invalid") is None
    assert "init_std=2.0&" in page.locator(".sim-figure img").get_attribute("src")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_brazilian_decimal_typed_runs_that_value(live_server, page, lang):
    open_lab(page, live_server, lang, "?init=normal")
    before = updates(page)
    type_into(page, "init_std", lang, "0,5")
    wait_for_update(page, before)
    assert "init_std=0.5&" in page.locator(".sim-figure img").get_attribute("src")
    assert key_numbers(page) == expected_numbers(lang, init="normal", init_std=0.5)
    assert "init_std=0%2C5" in page.url  # the address keeps what was typed
    slider = page.get_by_role("slider", name=label("init_std", lang))
    assert slider.get_attribute("aria-valuetext") == "0,5"
    position = float(slider.input_value())  # placed where the server read it: 0.5, log scale
    spec = SPECS["init_std"]
    low, high = math.log10(spec.minimum), math.log10(spec.maximum)
    assert position == pytest.approx(1000 * (math.log10(0.5) - low) / (high - low), abs=1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_slider_writes_its_value_as_the_page_writes_numbers(live_server, page, lang):
    open_lab(page, live_server, lang, "?init=normal")
    spec = SPECS["init_std"]
    slider = page.get_by_role("slider", name=label("init_std", lang))
    field = page.get_by_role("textbox", name=label("init_std", lang))
    slider.focus()
    for key, value in (("End", spec.maximum), ("Home", spec.minimum)):
        before = updates(page)
        slider.press(key)
        wait_for_update(page, before)
        with translation.override(lang):
            assert field.input_value() == formats.localize_input(float(value))
        assert f"init_std={value!r}&" in page.locator(".sim-figure img").get_attribute("src")
        assert page.locator(".lab-field-error").count() == 0
