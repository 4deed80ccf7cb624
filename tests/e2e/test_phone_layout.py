"""On a phone (390 × 844): figures drawn for its width, the lab's plot above its form.

The check is what a reader sees: the figure's text at a legible size (the image is shown
at most a little smaller than it was drawn, so 10-point tick labels stay about 10 points)
and, in the lab, the plot on the first screen.
"""

import pytest

from simulations.plots import style

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LESSON = "/{lang}/courses/redes-neurais/gradiente-descendente-e-taxa-de-aprendizado/"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    yield context.new_page()
    context.close()


def wait_for_image(page, image) -> None:
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())


def shown_scale(image) -> float:
    """Return the displayed width over the width the figure was drawn for (CSS px)."""
    displayed, natural = image.evaluate("img => [img.clientWidth, img.naturalWidth]")
    return displayed / (natural / style.PNG_SCALE)


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_a_lesson_figure_is_drawn_for_the_phone_and_opens_at_full_size(
        imported_course, live_server, phone, screenshot_dir, lang):
    phone.goto(live_server.url + LESSON.format(lang=lang))
    image = phone.locator("figure.sim-figure img").first
    wait_for_image(phone, image)

    assert image.evaluate("img => img.currentSrc").endswith("layout=narrow")
    # Drawn 800 px wide, the figure would be shown at under half its size here.
    assert shown_scale(image) > 0.75
    link = phone.locator("figure.sim-figure a.figure-zoom").first
    assert "layout=narrow" not in link.get_attribute("href")
    phone.screenshot(path=str(screenshot_dir / f"phone-lesson-18.3-{lang}.png"), full_page=False)


def test_a_wide_screen_keeps_the_wide_figure(imported_course, live_server, page):
    page.goto(live_server.url + LESSON.format(lang="en"))
    image = page.locator("figure.sim-figure img").first
    wait_for_image(page, image)

    assert "layout=narrow" not in image.evaluate("img => img.currentSrc")


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_the_lab_shows_the_plot_first_on_a_phone(live_server, phone, screenshot_dir, lang):
    phone.goto(f"{live_server.url}/{lang}/lab/gradient_descent/")
    plot = phone.locator(".lab-output img")
    wait_for_image(phone, plot)

    plot_box, form_box = plot.bounding_box(), phone.locator(".lab-form").bounding_box()
    assert plot_box["y"] < form_box["y"]
    # At least half the plot on the first screen, not 1,600 px down below the form.
    assert plot_box["y"] + plot_box["height"] / 2 <= PHONE["height"]
    assert shown_scale(plot) > 0.75
    phone.screenshot(path=str(screenshot_dir / f"phone-lab-{lang}.png"), full_page=False)
