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
