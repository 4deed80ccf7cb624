"""A learner reads lesson 18.8 in a real browser, in both languages, and turns the page."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("lang", "next_label", "next_title"),
    [
        ("pt-br", "Próxima página", "Inicialização de Pesos"),
        ("en", "Next page", "Weight Initialization"),
    ],
)
def test_learner_reads_the_lesson_and_follows_the_next_page(
    imported_course, live_server, page, screenshot_dir, lang, next_label, next_title
):
    page.goto(f"{live_server.url}/{lang}/courses/redes-neurais/"
              "problemas-de-vanishing-e-exploding-gradient/")
    assert page.locator("h1").inner_text().startswith("18.8.")
    assert page.locator(".lesson-body h2").count() >= 5
    assert page.locator(".lesson-body li").count() == 5  # the five mitigation strategies
    page.screenshot(path=str(screenshot_dir / f"lesson-18.8-{lang}.png"), full_page=True)

    next_card = page.locator("a[rel=next]")
    # The card's label is set in capitals by the stylesheet: compare the words.
    assert next_label.casefold() in next_card.inner_text().casefold()
    next_card.click()
    page.wait_for_url(f"**/{lang}/courses/redes-neurais/inicializacao-de-pesos/")
    assert next_title in page.locator("h1").inner_text()
    assert page.locator(".lesson-body math").count() > 0  # formulas render as MathML
    page.screenshot(path=str(screenshot_dir / f"lesson-18.9-{lang}.png"), full_page=True)


def test_language_switch_keeps_the_same_lesson(imported_course, live_server, page):
    page.goto(f"{live_server.url}/pt-br/courses/redes-neurais/inicializacao-de-pesos/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/courses/redes-neurais/inicializacao-de-pesos/")
    assert "Weight Initialization" in page.locator("h1").inner_text()
