"""Where am I: the home page and the course page know the learner, and lesson headings
show the lesson's own subject with the chapter named once above it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from course.models import Lesson
from progress.models import LessonProgress
from tests.exams.conftest import course_once  # noqa: F401 - the real course, imported once

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(course_once):  # noqa: F811
    return list(Lesson.objects.filter(course=course_once).select_related("chapter", "course")
                .in_reading_order())


@pytest.fixture
def learner(client):
    user = get_user_model().objects.create_user("rita", "rita@example.com", "x",
                                                first_name="Rita", last_name="Alves")
    client.force_login(user)
    return user


def url(lesson, language):
    with translation.override(language):
        return lesson.get_absolute_url()


@pytest.mark.parametrize(("language", "headline"), [
    ("pt-br", "Aprenda como redes neurais são treinadas vendo os gradientes"),
    ("en", "Learn how neural networks are trained by seeing the gradients")])
def test_a_first_visit_shows_what_gradiente_is_with_a_figure_and_where_to_start(
        client, lessons, language, headline):
    page = client.get(f"/{language}/").content.decode()

    assert headline in page
    assert 'class="sim-figure"' in page and "/figures/" in page
    assert f'class="home-start" href="{url(lessons[0], language)}"' in page
    for lesson in lessons:
        assert url(lesson, language) in page


@pytest.mark.parametrize(("language", "label"), [("pt-br", "Continue de onde parou"),
                                                  ("en", "Continue where you left off")])
def test_a_returning_learner_is_sent_back_to_the_next_lesson(
        client, lessons, learner, language, label):
    now = timezone.now()
    for lesson in lessons[:2]:
        LessonProgress.objects.create(user=learner, lesson=lesson, read_at=now, completed_at=now)
    LessonProgress.objects.create(user=learner, lesson=lessons[2], read_at=now)

    home = client.get(f"/{language}/").content.decode()
    course = client.get(f"/{language}/courses/redes-neurais/").content.decode()

    assert label in home and url(lessons[2], language) in home
    assert "home-hero" not in home
    states = {state: course.count(f'class="lesson-state-{state}"')
              for state in ("completed", "read", "not_started")}
    assert states == {"completed": 2, "read": 1, "not_started": len(lessons) - 3}
    assert course.count('aria-current="step"') == 1


@pytest.mark.parametrize("language", ["pt-br", "en"])
def test_a_lesson_heading_is_its_subject_and_the_chapter_is_named_once_above(
        client, lessons, language):
    lesson = lessons[1]
    with translation.override(language):
        chapter, title, subject = lesson.chapter.title, lesson.title, lesson.subject
    page = client.get(url(lesson, language)).content.decode()

    assert title.startswith(f"{chapter}: ") and subject == title.removeprefix(f"{chapter}: ")
    assert f'<span class="number">{lesson.full_number}.</span> {subject}</h1>' in page
    assert f"<title>{lesson.full_number}. {title} · Gradiente</title>" in page
    assert page.count(chapter) == 2  # the breadcrumb and the page title, not the heading
