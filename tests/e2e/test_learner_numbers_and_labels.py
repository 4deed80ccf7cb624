"""A learner types numbers into the lab and the exercises, and a screen reader reads the
hints: in a real browser, in both languages.

Numbers the engine computes are recomputed here with the engine and formatted with the
site's own display functions; nothing is typed by hand.
"""

import re

import pytest
from django.utils import translation

from quizzes.models import Question
from simulations import registry, services
from simulations.plots.common import scientific

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["pt-br", "en"]
WORDS = {
    "pt-br": {"std": "Desvio padrão dos pesos", "init": "Inicialização dos pesos",
              "run": "Executar", "plot": "Gráfico", "right": "Você acertou",
              "layer1_norm": "Norma do gradiente na camada 1",
              "layer1_std": "Desvio padrão das ativações na camada 1"},
    "en": {"std": "Weight standard deviation", "init": "Weight initialization",
           "run": "Run", "plot": "Plot", "right": "You got it right",
           "layer1_norm": "Gradient norm at layer 1",
           "layer1_std": "Activation std at layer 1"},
}
# One half as a learner may type it, key by key: the page's own way, the other
# language's, and as the lab itself writes a number far from 1.
HALVES = [("pt-br", "0,5"), ("pt-br", "0.5"), ("pt-br", "5 × 10⁻¹"),
          ("en", "0.5"), ("en", "0,5"), ("en", "5e-1 ")]


def lab(live_server, lang, slug="mlp_gradient_flow", query=""):
    return f"{live_server.url}/{lang}/lab/{slug}/{query}"


def std_field(page, words):
    """The text input (its slider, added by the page's script, has the same name)."""
    return page.get_by_role("textbox", name=words["std"])


def run_lab(page):
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Executar|Run)$")).click()


def key_numbers(page) -> dict[str, str]:
    labels = page.locator(".lab-numbers dt").all_inner_texts()
    values = page.locator(".lab-numbers dd").all_inner_texts()
    return dict(zip(labels, values, strict=True))


@pytest.mark.parametrize(("lang", "typed"), HALVES)
def test_the_lab_runs_the_decimal_the_learner_typed(live_server, page, lang, typed):
    words = WORDS[lang]
    page.goto(lab(live_server, lang))
    page.get_by_label(words["init"]).select_option("normal")
    field = std_field(page, words)
    field.fill("")
    field.press_sequentially(typed)
    run_lab(page)
    assert std_field(page, words).input_value() == typed  # kept as typed
    assert page.locator(".lab-field-error").count() == 0
    plot = page.locator(".sim-figure img").get_attribute("src")
    assert "init_std=0.5&" in plot  # the run used one half, not 5 (nor 05)


@pytest.mark.parametrize(("lang", "typed", "readings"), [
    ("pt-br", "1.000", ["1000", "1,000"]), ("en", "1,000", ["1000", "1.000"])])
def test_an_ambiguous_number_is_an_error_in_the_lab_never_another_number(
        live_server, page, lang, typed, readings):
    words = WORDS[lang]
    page.goto(lab(live_server, lang))
    page.get_by_label(words["init"]).select_option("normal")
    field = std_field(page, words)
    field.fill("")
    field.press_sequentially(typed)
    run_lab(page)
    error = page.locator(".lab-field-error").inner_text()
    assert all(reading in error for reading in readings)
    assert page.locator(".sim-figure img").count() == 0
    assert std_field(page, words).get_attribute("aria-invalid") == "true"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_number_the_lab_shows_is_read_back_by_an_exercise(
        live_server, page, make_lesson, lang):
    """The learner copies a key number from the lab into a numeric exercise."""
    simulation = registry.get("mlp_gradient_flow")
    data = simulation.run(simulation.validate({}), services.DEFAULT_SEED).to_dict()
    norm = data["weight_grad_norms"][0]
    lesson = make_lesson()
    Question.objects.create(lesson=lesson, key="norma", kind=Question.Kind.NUMERIC,
                            answer=norm, rtol=0.05, prompt_pt_br="Norma?", prompt_en="Norm?",
                            is_published=True)

    page.goto(lab(live_server, lang))
    shown = key_numbers(page)[WORDS[lang]["layer1_norm"]]
    with translation.override(lang):
        assert shown == scientific(norm) and "×" in shown  # a power of ten, with superscripts

    page.goto(f"{live_server.url}{_lesson_path(lesson, lang)}")
    page.locator(".exercise-form input[name$=answer]").fill(shown)
    page.locator(".exercise-form button[type=submit]").click()
    page.locator(".exercise-outcome").wait_for()
    assert WORDS[lang]["right"] in page.locator(".exercise-outcome").inner_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_key_numbers_follow_the_chosen_plot(live_server, page, lang):
    words = WORDS[lang]
    page.goto(lab(live_server, lang))
    assert words["layer1_norm"] in key_numbers(page)
    page.get_by_label(words["plot"]).select_option("activations")
    run_lab(page)
    numbers = key_numbers(page)
    assert words["layer1_std"] in numbers and words["layer1_norm"] not in numbers


CHECK_IDS = """() => {
  const ids = [...document.querySelectorAll("[id]")].map((node) => node.id);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  const dangling = [];
  for (const attribute of ["aria-describedby", "aria-labelledby"]) {
    for (const node of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of node.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (document.querySelectorAll(`[id="${CSS.escape(id)}"]`).length !== 1) {
          dangling.push(`${node.tagName.toLowerCase()} ${attribute}=${id}`);
        }
      }
    }
  }
  const described = document.querySelectorAll("[aria-describedby]").length;
  return {repeated, dangling, described};
}"""


def assert_labels_point_at_one_element(page, where: str, *, describes: bool = False):
    found = page.evaluate(CHECK_IDS)
    assert found["repeated"] == [], f"{where}: repeated ids {found['repeated']}"
    assert found["dangling"] == [], f"{where}: {found['dangling']}"
    if describes:  # the page has hints, so the check above checked something
        assert found["described"] > 0, where


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_aria_reference_points_at_exactly_one_element(
        imported_course, live_server, page, lang):
    base = f"{live_server.url}/{lang}"
    page.goto(f"{base}/lab/mlp_gradient_flow/")
    assert_labels_point_at_one_element(page, "lab", describes=True)
    page.goto(f"{base}/lab/mlp_gradient_flow/?depth=1000&width=wide")  # the error state
    assert page.locator(".lab-field-error").count() == 2
    assert_labels_point_at_one_element(page, "lab with errors", describes=True)
    page.goto(f"{base}/courses/redes-neurais/problemas-de-vanishing-e-exploding-gradient/")
    assert_labels_point_at_one_element(page, "lesson")
    form = page.locator(".exercise-form").filter(has=page.locator("input[type=text]")).first
    form.locator("input[type=text]").fill("abc")
    form.locator("button[type=submit]").click()  # the page's script swaps the exercise in
    page.locator(".exercise-error").first.wait_for()
    assert_labels_point_at_one_element(page, "lesson with a format error")
    page.goto(f"{base}/signup/")
    assert_labels_point_at_one_element(page, "signup", describes=True)
    for name, value in (("first_name", "Ana"), ("last_name", "Souza"), ("username", "ana"),
                        ("email", "ana@example.com"), ("password1", "curta"),
                        ("password2", "outra")):
        page.locator(f"form.form [name={name}]").fill(value)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert page.locator("form.form .errorlist").count() > 0  # the error state
    assert_labels_point_at_one_element(page, "signup with errors", describes=True)
    page.goto(f"{base}/login/")
    assert_labels_point_at_one_element(page, "login")
    page.locator("form.form input[name=username]").fill("nobody@example.com")
    page.locator("form.form input[name=password]").fill("wrong password")
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert_labels_point_at_one_element(page, "login refused")


def _lesson_path(lesson, lang: str) -> str:
    with translation.override(lang):
        return lesson.get_absolute_url()
