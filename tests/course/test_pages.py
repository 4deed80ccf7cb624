"""The course list and a course's chapters (lesson pages: tests/classroom/test_pages.py)."""

import re

import pytest


def _text(html: str) -> str:
    """Return the page's visible text with whitespace folded, as a reader sees it."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", without_tags).strip()


@pytest.mark.parametrize(
    ("accept_language", "target"), [("en-US,en;q=0.9", "/en/"), ("pt-BR,pt;q=0.9", "/pt-br/"),
                                    ("de-DE", "/pt-br/")],
)
def test_root_redirects_by_accept_language(client, accept_language, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_course_list_and_chapter_page_list_numbered_lessons(imported_course, client, lang):
    title = getattr(imported_course, f"title_{lang.replace('-', '_')}")
    assert title in _text(client.get(f"/{lang}/").content.decode())
    page = _text(client.get(f"/{lang}/courses/redes-neurais/").content.decode())
    assert "18.7." in page and "18.8." in page and "18.9." in page


@pytest.mark.parametrize(("lang", "total"), [("pt-br", "minutos de leitura no total"),
                                             ("en", "minutes of reading in total")])
def test_the_course_page_states_the_sum_of_the_lessons_reading_times(
        imported_course, client, lang, total):
    field = f"reading_minutes_{lang.replace('-', '_')}"
    minutes = sum(getattr(lesson, field) for lesson in imported_course.lessons.all())
    page = _text(client.get(f"/{lang}/courses/redes-neurais/").content.decode())
    assert f"{minutes} {total}" in page


def test_the_certificate_study_time_is_the_portuguese_total_and_follows_the_content(
        imported_course, client):
    from progress.services import course_study_minutes

    def page_total() -> int:
        page = _text(client.get("/pt-br/courses/redes-neurais/").content.decode())
        return int(re.search(r"(\d+) minutos de leitura no total", page).group(1))

    before = page_total()
    assert course_study_minutes(imported_course) == before
    lesson = imported_course.lessons.order_by("pk").first()
    lesson.body_pt_br += "\n\n" + "palavra " * 1000  # five more minutes of reading
    lesson.save()
    assert course_study_minutes(imported_course) == page_total() == before + 5
