"""Finishing is a moment: the last lesson's right answer leads to the exam, and passing the
exam says what it means for the certificate (issued and linked, or the lessons still due)."""

from __future__ import annotations

import pytest
from django.utils import translation

from exams.services import start_attempt, submit_attempt
from progress.models import Certificate
from quizzes.models import Question

from .conftest import PASSWORD, answer_attempt, complete_every_lesson
from .test_walk import lesson_answers

WORDS = {
    "pt-br": {"exam_next": "Próxima página: a prova do capítulo", "done": "Você concluiu",
              "certificate": "Ver seu certificado", "left": "Conclua também"},
    "en": {"exam_next": "Next page: the chapter exam", "done": "You finished",
           "certificate": "See your certificate", "left": "Complete these"},
}


def passed_attempt(exam, learner):
    attempt, _created = start_attempt(exam=exam, user=learner, language="pt-br")
    answer_attempt(attempt, learner)
    return submit_attempt(attempt=attempt, user=learner)


def result_page(client, exam, attempt, language) -> str:
    with translation.override(language):
        url = exam.get_absolute_url().rstrip("/") + f"/attempts/{attempt.number}/"
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", ["pt-br", "en"])
def test_the_last_lessons_right_answer_leads_to_the_exam(client, exam, learner, language):
    client.login(username=learner.username, password=PASSWORD)
    last = exam.chapter.lessons.order_by("-number").first()
    question = Question.objects.filter(lesson=last, is_published=True).first()
    data = lesson_answers(learner, last, language)[question.pk]

    response = client.post(f"/{language}/exercises/{question.pk}/answer/", data,
                           headers={"X-Requested-With": "fetch"})

    page = response.content.decode()
    with translation.override(language):
        assert exam.get_absolute_url() in page
    assert WORDS[language]["exam_next"] in page


@pytest.mark.parametrize("language", ["pt-br", "en"])
def test_passing_the_exam_after_every_lesson_links_the_issued_certificate(
        client, exam, learner, language):
    complete_every_lesson(learner, exam.chapter.course)
    attempt = passed_attempt(exam, learner)
    client.login(username=learner.username, password=PASSWORD)

    page = result_page(client, exam, attempt, language)

    certificate = Certificate.objects.get(user=learner)
    with translation.override(language):
        assert certificate.get_absolute_url() in page
    assert WORDS[language]["done"] in page and WORDS[language]["certificate"] in page


@pytest.mark.parametrize("language", ["pt-br", "en"])
def test_passing_the_exam_with_lessons_left_lists_them(client, exam, learner, language):
    attempt = passed_attempt(exam, learner)
    client.login(username=learner.username, password=PASSWORD)

    page = result_page(client, exam, attempt, language)

    assert not Certificate.objects.filter(user=learner).exists()
    assert WORDS[language]["left"] in page
    with translation.override(language):
        for lesson in exam.chapter.lessons.all():
            assert lesson.get_absolute_url() in page


