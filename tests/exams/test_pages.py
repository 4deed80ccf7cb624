"""The exam's web pages: reachable, explained to visitors, a form that keeps its answers,
errors in the page's language, and a result that links back to the lessons."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from exams.models import ExamAttempt
from exams.services import start_attempt
from exams.sheet import item_snapshot, item_variant

from .conftest import PASSWORD, right_answer


def _url(exam, language: str) -> str:
    with translation.override(language):
        return exam.get_absolute_url()


@pytest.mark.parametrize(("language", "invitation"), [
    ("pt-br", "Entre para fazer a prova"), ("en", "Sign in to take the exam")])
def test_visitors_read_what_the_exam_is_and_are_invited_to_sign_in(client, exam, language,
                                                                    invitation):
    response = client.get(_url(exam, language))
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override(language):
        assert exam.title in page
    assert invitation in page
    assert "/login/?next=" in page


def test_course_page_and_last_lesson_lead_to_the_exam(client, exam):
    url = _url(exam, "en")
    course_page = client.get(exam.chapter.course.get_absolute_url().replace("/pt-br/", "/en/"))
    assert url in course_page.content.decode()
    last = exam.chapter.lessons.order_by("-number").first()
    with translation.override("en"):
        lesson_page = client.get(last.get_absolute_url()).content.decode()
        first_page = client.get(exam.chapter.lessons.get(number=1).get_absolute_url())
    assert url in lesson_page and url not in first_page.content.decode()


def test_a_bad_number_is_a_form_error_in_portuguese_and_saved_answers_survive(client, exam,
                                                                              learner):
    client.login(username=learner.username, password=PASSWORD)
    url = _url(exam, "pt-br")
    client.post(url, {"action": "start"})
    attempt = ExamAttempt.objects.get(user=learner)
    numeric = attempt.items.filter(question__kind="numeric").order_by("position").first()
    response = client.post(url, {"action": "save", f"question-{numeric.position}": "doze"})
    assert response.status_code == 400
    assert "Não consegui ler “doze” como um número" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    response = client.post(url, {"action": "save", f"question-{numeric.position}": "0,05"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'value="0,05"' in page and "respostas estão salvas" in page


def test_handing_in_shows_score_and_explanations_linked_to_lessons(client, exam, learner):
    client.login(username=learner.username, password=PASSWORD)
    attempt, _ = start_attempt(exam=exam, user=learner, language="en")
    data = {"action": "submit"}
    for item in attempt.items.all():
        answer = right_answer(item_snapshot(item, "en"), item_variant(item))
        data[f"question-{item.position}"] = answer if not isinstance(answer, list) else answer
    response = client.post(_url(exam, "en"), data)
    assert response.status_code == 302
    result = client.get(response["Location"]).content.decode()
    assert "Passed: 100% (pass mark 70%)" in result
    lesson_links = set(re.findall(r'href="(/en/courses/redes-neurais/[a-z0-9-]+/)#', result))
    assert lesson_links  # explanations' #anchors lead to the lesson's paragraphs
    assert client.post(_url(exam, "en"), {"action": "submit"}).status_code == 200  # no open one
    assert ExamAttempt.objects.get(user=learner).percent == 100


def test_another_learners_result_is_not_found(client, exam, learner, django_user_model):
    attempt, _ = start_attempt(exam=exam, user=learner, language="en")
    other = django_user_model.objects.create_user(username="other", password=PASSWORD)
    client.login(username=other.username, password=PASSWORD)
    chapter = exam.chapter
    url = reverse("exams:result", kwargs={"course_slug": chapter.course.slug,
                                          "chapter_slug": chapter.slug, "number": attempt.number})
    assert client.get(url).status_code == 404
