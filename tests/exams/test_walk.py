"""A learner walks from lesson 18.1 to the certificate, on the web and through the API, in
both languages: every lesson answered as its page (or the app) answers, then the exam."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from api.throttling import ScopedRateThrottle
from exams.models import ExamAttempt, ExamItem
from exams.sheet import item_snapshot, item_variant
from progress.models import Certificate
from progress.services import course_study_minutes
from progress.workload import course_workload
from quizzes.learner_variants import learner_variant
from quizzes.models import Question
from quizzes.services import question_snapshot

from .conftest import PASSWORD, right_answer


def typed(answer, language: str):
    """Return the answer as a learner types it in the language (numbers with their comma)."""
    if isinstance(answer, float):
        text = repr(answer)
        return text.replace(".", ",") if language == "pt-br" else text
    return answer


def lesson_answers(user, lesson, language: str) -> dict[str, object]:
    """Return the lesson's right answers as its page's form posts them, per question."""
    posted = {}
    for question in Question.objects.filter(lesson=lesson, is_published=True):
        variant = learner_variant(question=question, user=user)
        snapshot = question_snapshot(question=question, language=language, variant=variant)
        posted[question.pk] = {
            f"q{question.pk}-answer": typed(right_answer(snapshot, variant and variant.answer),
                                            language),
            f"q{question.pk}-shown": variant.token if variant else "",
        }
    return posted


@pytest.mark.parametrize("language", ["pt-br", "en"])
def test_web_walk_from_the_first_lesson_to_the_certificate(client, exam, learner, language):
    client.login(username=learner.username, password=PASSWORD)
    course = exam.chapter.course
    with translation.override(language):
        lessons = list(course.lessons.select_related("chapter", "course").in_reading_order())
        exam_url = exam.get_absolute_url()
        for lesson in lessons:
            assert client.get(lesson.get_absolute_url()).status_code == 200
            for question_id, data in lesson_answers(learner, lesson, language).items():
                response = client.post(f"/{language}/exercises/{question_id}/answer/", data)
                assert response.status_code == 200
        assert exam_url in client.get(lessons[-1].get_absolute_url()).content.decode()
    assert not Certificate.objects.filter(user=learner).exists()  # the exam is still to pass

    client.post(exam_url, {"action": "start"})
    attempt = ExamAttempt.objects.get(user=learner)
    answers = {"action": "submit"}
    for item in ExamItem.objects.filter(attempt=attempt):
        answers[f"question-{item.position}"] = typed(
            right_answer(item_snapshot(item, language), item_variant(item)), language)
    result = client.get(client.post(exam_url, answers)["Location"]).content.decode()
    assert "100%" in result

    certificate = Certificate.objects.get(user=learner, course=course)
    workload = course_workload(course, reading_minutes=course_study_minutes(course))
    assert certificate.study_minutes == workload.minutes
    page = client.get(f"/{language}/certificates/{certificate.code}/").content.decode()
    assert re.search(r"100% \(\S+ \S+ 70%\)", page)
    assert f"{lessons[0].full_number}. " in page and f"{lessons[-1].full_number}. " in page


@pytest.mark.parametrize("language", ["pt-BR", "en"])
def test_api_walk_from_the_first_lesson_to_the_certificate(exam, learner, language, monkeypatch):
    # Sixty-odd right answers in seconds: a script, which the answer limit would slow down.
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "attempts", "100000/minute")
    api = APIClient()
    api.force_authenticate(learner)
    lang = language.lower()
    course = exam.chapter.course
    for lesson in course.lessons.select_related("chapter").in_reading_order():
        body = api.get(f"/api/v1/courses/{course.slug}/lessons/{lesson.slug}/",
                       HTTP_ACCEPT_LANGUAGE=language).json()
        for shown in body["questions"]:
            question = Question.objects.get(pk=shown["id"])
            variant = learner_variant(question=question, user=learner)
            snapshot = question_snapshot(question=question, language=lang, variant=variant)
            answered = api.post(f"/api/v1/questions/{question.pk}/attempts/",
                                {"answer": right_answer(snapshot, variant and variant.answer),
                                 "shown": shown["shown"]}, format="json",
                                HTTP_ACCEPT_LANGUAGE=language)
            assert answered.status_code == 201 and answered.json()["correct"]
    base = f"/api/v1/courses/{course.slug}/chapters/{exam.chapter.slug}/exam/"
    started = api.post(f"{base}attempts/", HTTP_ACCEPT_LANGUAGE=language).json()
    for shown in started["questions"]:
        item = ExamItem.objects.get(attempt__user=learner, position=shown["position"])
        api.put(f"{base}attempts/1/questions/{item.position}/answer/",
                {"answer": right_answer(item_snapshot(item, lang), item_variant(item))},
                format="json")
    assert api.post(f"{base}attempts/1/submit/").json()["passed"]
    [certificate] = api.get("/api/v1/me/certificates/", HTTP_ACCEPT_LANGUAGE=language
                            ).json()["results"]
    assert certificate["study_minutes"] == Certificate.objects.get(user=learner).study_minutes
