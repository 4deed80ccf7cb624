"""Courses in the API: the paginated catalogue and a course's table of contents."""

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator

from course.models import Course

from .conftest import CONTENT_DIR

COURSE = "/api/v1/courses/redes-neurais/"
# The lesson numbers the course's files declare, in order (the chapter grows).
LESSON_NUMBERS = sorted(
    yaml.safe_load(path.read_text(encoding="utf-8"))["number"]
    for path in (CONTENT_DIR / "redes-neurais").glob("*/*/lesson.yaml")
)


@pytest.mark.parametrize(("lang", "title"), [
    ("pt-br", "Redes Neurais e Deep Learning"), ("en", "Neural Networks and Deep Learning"),
])
def test_course_list_in_each_language(course_text, api, lang, title):
    response = api.get("/api/v1/courses/", {"lang": lang})

    assert response.status_code == 200
    assert response["Content-Language"] == lang
    body = response.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    [course] = body["results"]
    assert list(course) == ["slug", "title", "summary", "lesson_count", "url"]
    assert course["title"] == title
    assert course["lesson_count"] == len(LESSON_NUMBERS)
    assert course["url"] == f"http://testserver{COURSE}"


@pytest.mark.django_db
def test_course_list_is_paginated_in_a_stable_order(api):
    for slug, order in [("c", 2), ("a", 2), ("b", 1)]:
        Course.objects.create(slug=slug, title_pt_br=slug.upper(), order=order)
    Course.objects.create(slug="hidden", title_pt_br="Hidden", is_published=False)

    first = api.get("/api/v1/courses/", {"page_size": 2}).json()
    second = api.get(first["next"]).json()

    assert first["count"] == 3
    assert [c["slug"] for c in first["results"] + second["results"]] == ["b", "a", "c"]
    assert second["next"] is None


@pytest.mark.django_db
def test_a_page_past_the_end_is_a_404_problem(api, assert_problem):
    body = assert_problem(api.get("/api/v1/courses/", {"page": 9}), 404, code="not_found")

    assert body["detail"] == "Página inválida."


@pytest.mark.parametrize(("lang", "chapter_title", "lesson_title"), [
    ("pt-br", "Backpropagation e Treinamento de Redes Neurais",
     "Backpropagation e Treinamento de Redes Neurais: Inicialização de Pesos"),
    ("en", "Backpropagation and Training Neural Networks",
     "Backpropagation and Training Neural Networks: Weight Initialization"),
])
def test_course_detail_lists_chapters_and_lesson_summaries(
    course_text, api, lang, chapter_title, lesson_title,
):
    response = api.get(COURSE, HTTP_ACCEPT_LANGUAGE=lang)

    assert response.status_code == 200
    assert response["Content-Language"] == lang
    body = response.json()
    assert list(body) == ["slug", "title", "summary", "url", "web_url", "chapters"]
    assert body["web_url"] == f"http://testserver/{lang}/courses/redes-neurais/"
    [chapter] = body["chapters"]
    assert (chapter["number"], chapter["title"]) == (18, chapter_title)
    assert [lesson["number"] for lesson in chapter["lessons"]] == [
        f"18.{number}" for number in LESSON_NUMBERS]
    last = next(lesson for lesson in chapter["lessons"] if lesson["number"] == "18.9")
    assert list(last) == ["number", "slug", "title", "page", "reading_minutes", "url"]
    assert (last["title"], last["page"]) == (lesson_title, 55)
    assert last["reading_minutes"] > 0
    assert last["url"] == f"http://testserver{COURSE}lessons/inicializacao-de-pesos/"


@pytest.mark.django_db
def test_an_unknown_or_unpublished_course_is_a_404_problem(api, assert_problem):
    Course.objects.create(slug="draft", title_pt_br="Rascunho", is_published=False)

    for slug in ("draft", "nope"):
        body = assert_problem(api.get(f"/api/v1/courses/{slug}/", {"lang": "en"}), 404,
                              code="not_found", language="en")
        assert body["detail"] == "Not found."
        assert body["instance"] == f"/api/v1/courses/{slug}/"


@pytest.mark.django_db
@pytest.mark.parametrize(("page_size", "valid"), [
    ("1", True), ("100", True), ("0", False), ("101", False), ("-3", False), ("abc", False),
    ("null", False), ("2.5", False),
])
def test_page_size_is_taken_exactly_within_the_schemas_bounds(api, assert_problem, page_size,
                                                              valid):
    """The schema says 1 to 100; anything else is a 400 that names the parameter, not a
    silent twenty (nor a silent hundred for 500)."""
    operation = SchemaGenerator().get_schema(request=None, public=True)["paths"][
        "/api/v1/courses/"]["get"]
    declared = {p["name"]: p["schema"] for p in operation["parameters"]}["page_size"]
    assert (declared["minimum"], declared["maximum"]) == (1, 100)

    response = api.get("/api/v1/courses/", {"page_size": page_size, "lang": "en"})

    if valid:
        assert response.status_code == 200
    else:
        body = assert_problem(response, 400, language="en")
        assert body["errors"][0]["attr"] == "page_size"
