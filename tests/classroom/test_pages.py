"""The lesson page: number, title, text, the next page's card, languages, safety, queries."""

import re

from django.test import Client

LESSON_88 = "/{lang}/courses/redes-neurais/problemas-de-vanishing-e-exploding-gradient/"


def _text(html: str) -> str:
    """Return the page's visible text with whitespace folded, as a reader sees it."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", without_tags).strip()


def test_portuguese_lesson_shows_number_title_and_next_page_card(imported_course, client):
    response = client.get(LESSON_88.format(lang="pt-br"))
    assert response.status_code == 200
    page = _text(response.content.decode())
    assert (
        "18.8. Backpropagation e Treinamento de Redes Neurais: "
        "Problemas de Vanishing e Exploding Gradient"
    ) in page
    assert "Estratégias de Mitigação" in page
    assert (
        # The card names the lesson's own subject: the chapter is named once, above.
        "Próxima página 55 · Inicialização de Pesos 4 minutos"
    ) in page
    assert "Página anterior 53 ·" in page


def test_english_lesson_is_translated_and_links_the_next_page(imported_course, client):
    response = client.get(LESSON_88.format(lang="en"))
    page = _text(response.content.decode())
    assert response["Content-Language"] == "en"
    assert "18.8. Backpropagation and Training Neural Networks" in page
    assert "Mitigation Strategies" in page
    assert (
        "Next page 55 · Weight Initialization"
    ) in page
    assert "4 minutes" in page
    html = response.content.decode()
    assert 'href="/en/courses/redes-neurais/inicializacao-de-pesos/"' in html


def test_language_switch_keeps_the_learner_on_the_same_lesson(imported_course, client):
    html = client.get(LESSON_88.format(lang="en")).content.decode()
    assert f'href="{LESSON_88.format(lang="pt-br")}"' in html
    assert ">Português<" in html


def test_unknown_lesson_is_a_404(imported_course, client):
    assert client.get("/en/courses/redes-neurais/no-such-lesson/").status_code == 404


def test_script_in_a_lesson_body_never_reaches_the_page(make_lesson, client):
    lesson = make_lesson(body_pt="Oi <script>alert('x')</script> **forte**")
    html = Client().get(f"/pt-br/courses/course/{lesson.slug}/").content.decode()
    assert "<script>alert" not in html
    assert "<strong>forte</strong>" in html


def test_lesson_page_reads_the_lesson_in_a_bounded_number_of_queries(
    imported_course, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get(LESSON_88.format(lang="pt-br"))
