"""The chapter's exam as declared in content/: a sane pass mark that its introduction
quotes, and every lesson of the chapter (however many are written) contributes a question."""

from __future__ import annotations

import pytest

from course.content_files import ContentError, read_course
from exams.content import FILE_NAME, read_exam
from quizzes.content import read_questions

from .conftest import LESSONS

EXAM_FILE = LESSONS / FILE_NAME


def test_the_exam_is_declared_with_a_sane_pass_mark():
    exam = read_exam(EXAM_FILE)
    assert 50 <= exam["pass_percent"] <= 90
    for field in ("intro_pt_br", "intro_en"):
        assert f"{exam['pass_percent']} %" in exam[field]
    assert exam["title_pt_br"] and exam["title_en"]


def test_the_exam_comes_after_every_lesson():
    chapter = read_course(LESSONS.parent).chapters[0]
    assert read_exam(EXAM_FILE)["page"] > max(lesson.page for lesson in chapter.lessons)


def test_every_lesson_contributes_a_question():
    """A lesson with a question checked by simulation gives it in a new variant; one
    without gives a fixed question (exams/draw.py): either way, none is left out."""
    chapter = read_course(LESSONS.parent).chapters[0]
    for lesson in chapter.lessons:
        _path, questions = read_questions(lesson)
        assert any(question.get("published", True) for question in questions), lesson.slug


@pytest.mark.parametrize(("text", "problem"), [
    ("page: 63\ntitle: {pt-br: P, en: E}\n", "missing key 'pass_percent'"),
    ("page: 63\npass_percent: 170\ntitle: {pt-br: P, en: E}\n", "at most 100"),
    ("page: 63\npass_percent: 70\ntitle: {pt-br: P}\n", "every language"),
    ("page: 63\npass_percent: 70\npassmark: 1\ntitle: {pt-br: P, en: E}\n", "unknown key"),
])
def test_a_bad_exam_file_is_refused_with_a_clear_error(tmp_path, text, problem):
    path = tmp_path / FILE_NAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=problem):
        read_exam(path)
