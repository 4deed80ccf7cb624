"""A lesson in the API: number, page, text in both forms, figures, neighbours."""

import pytest

LESSON_88 = "/api/v1/courses/redes-neurais/lessons/problemas-de-vanishing-e-exploding-gradient/"
LESSONS = "http://testserver/api/v1/courses/redes-neurais/lessons/"


@pytest.mark.parametrize(("lang", "title", "phrase"), [
    ("pt-br", "Backpropagation e Treinamento de Redes Neurais: "
              "Problemas de Vanishing e Exploding Gradient", "gradiente"),
    ("en", "Backpropagation and Training Neural Networks: "
           "Vanishing and Exploding Gradient Problems", "gradient"),
])
def test_lesson_18_8_in_each_language(course_text, api, lang, title, phrase):
    response = api.get(LESSON_88, {"lang": lang})

    assert response.status_code == 200
    assert response["Content-Language"] == lang
    lesson = response.json()
    assert list(lesson) == [
        "number", "slug", "page", "title", "summary", "chapter", "course",
        "reading_minutes", "body_markdown", "body_html", "figures", "questions", "previous",
        "next", "web_url",
    ]
    assert (lesson["number"], lesson["page"], lesson["title"]) == ("18.8", 54, title)
    assert lesson["reading_minutes"] > 0
    assert phrase in lesson["body_markdown"] and phrase in lesson["body_html"]
    assert "[[figure:" in lesson["body_markdown"]
    assert "[[figure:" not in lesson["body_html"]
    assert "<script" not in lesson["body_html"]
    assert lesson["chapter"]["number"] == 18
    assert lesson["course"]["slug"] == "redes-neurais"
    assert lesson["web_url"] == (
        f"http://testserver/{lang}/courses/redes-neurais/"
        "problemas-de-vanishing-e-exploding-gradient/")


def test_lesson_links_to_the_lessons_before_and_after_with_their_page_and_reading_time(
    course_text, api,
):
    lesson = api.get(LESSON_88, {"lang": "en"}).json()

    assert lesson["previous"]["number"] == "18.7" and lesson["previous"]["page"] == 53
    assert lesson["next"] == {
        "number": "18.9", "slug": "inicializacao-de-pesos",
        "title": "Backpropagation and Training Neural Networks: Weight Initialization",
        "page": 55, "reading_minutes": lesson["next"]["reading_minutes"],
        "url": f"{LESSONS}inicializacao-de-pesos/",
    }
    assert lesson["next"]["reading_minutes"] > 0


def test_first_and_last_lessons_have_no_neighbour_on_that_side(make_lesson, api):
    make_lesson(1, 1)
    make_lesson(1, 2)

    first = api.get("/api/v1/courses/course/lessons/lesson-1-1/").json()
    last = api.get("/api/v1/courses/course/lessons/lesson-1-2/").json()

    assert first["previous"] is None and first["next"]["number"] == "1.2"
    assert last["next"] is None and last["previous"]["number"] == "1.1"


def test_figures_carry_an_absolute_image_url_and_alt_text_in_the_language(
    make_lesson, api, monkeypatch,
):
    def describe_figure(lesson, spec, language):
        return {"url": f"/img/{spec['name']}.png", "alt": f"alt {language}",
                "caption": f"caption {language}", "width": 800, "height": 450}

    monkeypatch.setattr("course.figures.describe_figure", describe_figure)
    make_lesson(body_en="Before.\n\n[[figure:flow]]\n\nAfter.",
                figures=[{"name": "flow"}, {"name": "unused"}])

    lesson = api.get("/api/v1/courses/course/lessons/lesson-1-1/", {"lang": "en"}).json()

    assert lesson["figures"][0] == {
        "name": "flow", "anchor": "fig-flow", "url": "http://testserver/img/flow.png",
        "alt": "alt en",
        "caption": "caption en", "width": 800, "height": 450,
    }
    assert 'src="/img/flow.png"' in lesson["body_html"]
    assert 'alt="alt en"' in lesson["body_html"]


def test_an_untranslated_lesson_falls_back_to_portuguese(make_lesson, api):
    make_lesson(title_en="", body_en="")

    lesson = api.get("/api/v1/courses/course/lessons/lesson-1-1/", {"lang": "en"}).json()

    assert lesson["title"] == "Lição 1.1"
    assert lesson["body_markdown"] == "Texto."


@pytest.mark.django_db
def test_an_unknown_lesson_or_a_lesson_of_another_course_is_a_404_problem(
    make_lesson, api, assert_problem,
):
    make_lesson(1, 1, course_slug="one")
    make_lesson(1, 2, course_slug="two")

    for url in ("/api/v1/courses/one/lessons/nope/", "/api/v1/courses/one/lessons/lesson-1-2/"):
        assert_problem(api.get(url), 404, code="not_found")
