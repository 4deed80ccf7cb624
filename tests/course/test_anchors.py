"""Stable anchors: ``{#id}`` lines and figures' ``fig-NAME`` become ids on the page and in
the API, and the import refuses anchors and links that would not work."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from course.anchors import check_body_anchors, linked_anchors
from course.markdown import render_markdown
from course.models import Course, Lesson

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
LESSON_9 = "redes-neurais/18-backpropagation/09-inicializacao-de-pesos"
LESSON_9_URL = "/{lang}/courses/redes-neurais/inicializacao-de-pesos/"


@pytest.fixture
def content_copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _import_error(content: Path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("import_course", str(content), verbosity=0)
    assert not Course.objects.exists()
    assert not Lesson.objects.exists()
    return str(error.value)


def test_an_anchor_line_gives_the_heading_after_it_that_id():
    html = render_markdown("{#escala}\n## Por que a escala importa\n\nTexto [aqui](#escala).")
    assert '<h2 id="escala">Por que a escala importa</h2>' in html
    assert '<a href="#escala"' in html
    assert "{#escala}" not in html


def test_a_paragraph_can_carry_an_anchor_too():
    html = render_markdown("Antes.\n\n{#regra-geral}\nA regra geral: Glorot para a tanh.")
    assert '<p id="regra-geral">A regra geral: Glorot para a tanh.</p>' in html


def test_a_page_url_makes_anchor_links_absolute_and_leaves_others_alone():
    html = render_markdown("[a figura](#fig-x) e [outra página](https://example.org/#y)",
                           page_url="https://gradiente.example/cursos/c/l/")
    assert 'href="https://gradiente.example/cursos/c/l/#fig-x"' in html
    assert 'href="https://example.org/#y"' in html


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{#Maiusculas}\n## Título", "malformed anchor line"),
        ("{#com espaco}\n## Título", "malformed anchor line"),
        ("{.classe}\n## Título", "malformed anchor line"),
        ("{#a}\n\n## Título", "directly followed"),
        ("{#a}\n[[figure:x]]", "directly followed"),
        ("Texto\n{#a}\n## Título", "blank line before"),
        ("{#fig-x}\n## Título", "figures' own"),
        ("{#main}\n## Título", "already uses"),
        ("{#exercise-q}\n## Título", "already uses"),
        ("{#a}\n## Um\n\n{#a}\n## Dois", "#a is used twice"),
        ("{#a}\n## Um\n\nVeja [isto](#b).", "link to #b"),
    ],
)
def test_anchor_problems_are_named(body, problem):
    problems = check_body_anchors(body)
    assert problems and problem in str(problems[0])


def test_anchor_like_lines_in_code_and_display_math_are_not_anchors():
    body = "```\n{#nao-e-ancora}\n```\n\n$$\n{x}\n$$\n"
    assert check_body_anchors(body) == []


def test_figures_are_anchors_that_links_can_use():
    assert check_body_anchors("Veja [a figura](#fig-curvas).\n\n[[figure:curvas]]\n") == []


def test_linked_anchors_reads_markdown_links_and_images():
    text = "[a](#um) e [b](#dois \"título\") e [c](https://x/#tres) ![d](#quatro)"
    assert linked_anchors(text) == ["um", "dois", "quatro"]


@pytest.mark.parametrize(
    ("file_name", "old", "new", "named_file", "problem"),
    [
        ("pt-br.md", "{#escala}", "{#Escala}", "pt-br.md", "malformed anchor line '{#Escala}'"),
        ("pt-br.md", "{#glorot}", "{#escala}", "pt-br.md", "anchor #escala is used twice"),
        ("en.md", "{#vieses}", "{#biases}", "pt-br.md", "anchor #biases is missing in pt-br"),
        ("pt-br.md", "{#vieses}\n", "", "pt-br.md", "anchor #vieses is missing in pt-br"),
        ("en.md", "## Why not start with zeros",
         "## Why not start with zeros\n\nSee [the section](#nowhere).", "en.md",
         "link to #nowhere"),
    ],
)
def test_the_import_refuses_a_bad_anchor_naming_file_and_anchor(
        db, content_copy, file_name, old, new, named_file, problem):
    _edit(content_copy / LESSON_9 / file_name, old, new)
    message = _import_error(content_copy)
    assert f"{LESSON_9}/{named_file}" in message
    assert problem in message


@pytest.mark.parametrize("field", ["explanation", "prompt"])
@pytest.mark.parametrize("language", ["pt-br", "en"])
def test_the_import_refuses_a_question_linking_to_a_missing_anchor(
        db, content_copy, field, language):
    path = content_copy / LESSON_9 / "questions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][0][field][language] += " [Veja](#secao-que-nao-existe)."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    message = _import_error(content_copy)
    assert "questions.yaml" in message
    assert "#secao-que-nao-existe" in message
    assert f"{field} ({language})" in message


def test_the_import_refuses_a_link_in_choice_feedback_to_a_missing_anchor(db, content_copy):
    path = content_copy / LESSON_9 / "questions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    choice = data["questions"][1]["choices"][1]
    choice["feedback"] = {"pt-br": "Veja [a seção](#nada).", "en": "See [it](#he)."}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    message = _import_error(content_copy)
    assert "#nada" in message and "feedback of choice 2 (pt-br)" in message


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


@pytest.mark.parametrize("language", ["pt-br", "en"])
def test_every_link_of_the_lesson_page_lands_on_an_id_of_the_page(
        client, imported_course, language):
    """Headings, paragraphs and figures carry their ids, and no author anchor collides with
    an id the page itself uses (the page's ids are all distinct)."""
    page = client.get(LESSON_9_URL.format(lang=language)).content.decode()
    ids = _ids(page)
    assert len(ids) == len(set(ids))
    for anchor in ("escala", "he", "glorot-com-relu", "fig-init-variance"):
        assert anchor in ids
    assert '<figure class="sim-figure" id="fig-init-variance">' in page
    body = page.split('<div class="lesson-body">')[1].split("</article>")[0]
    for target in re.findall(r'href="#([^"]+)"', body):
        assert target in ids
