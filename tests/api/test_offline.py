"""A lesson downloaded for offline use, and answers given offline sent later."""

import base64
import datetime as dt

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from quizzes.models import Attempt, Question

from .conftest import choice_id

PACKAGE = "/api/v1/courses/course/lessons/lesson-1-1/package/"
FIGURE = {
    "name": "flow", "simulation": "mlp_gradient_flow",
    "params": {"depth": 3, "width": 8, "batch_size": 4},
    "series": [{"params": {"activation": "sigmoid"}}],
    "caption": {"pt-br": "Legenda", "en": "Caption"},
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def quiz_with_figure(quiz):
    quiz.lesson.figures = [FIGURE]
    quiz.lesson.body_en = "Before.\n\n[[figure:flow]]\n\nAfter."
    quiz.lesson.body_pt_br = "Antes.\n\n[[figure:flow]]\n\nDepois."
    quiz.lesson.save()
    return quiz


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_the_package_holds_the_lesson_its_questions_and_its_images(quiz_with_figure,
                                                                   learner_api, lang):
    lesson = learner_api.get(quiz_with_figure.url, {"lang": lang}).json()

    response = learner_api.get(PACKAGE, {"lang": lang})

    assert response.status_code == 200 and response["Content-Language"] == lang
    package = response.json()
    assert package["format"] == "gradiente-lesson-package/1"
    assert package["language"] == lang
    assert package["lesson"] == lesson  # the same body, questions in the learner's variant
    [image] = package["images"]
    assert image["name"] == "flow" and image["media_type"] == "image/png"
    assert base64.b64decode(image["data"]).startswith(PNG_SIGNATURE)
    assert f'src="{image["src"]}"' in lesson["body_html"].replace("&amp;", "&")
    assert image["url"] == lesson["figures"][0]["url"]
    assert image["alt"] == lesson["figures"][0]["alt"]
    online = learner_api.get(image["src"])
    assert online["ETag"] == image["etag"]


def test_the_package_has_an_etag_and_varies_per_learner(quiz_with_figure, learner_api):
    first = learner_api.get(PACKAGE)

    assert learner_api.get(PACKAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert {"Accept-Language", "Authorization", "Cookie"} <= {
        value.strip() for value in first["Vary"].split(",")}


def test_an_anonymous_reader_can_download_it_too(quiz, api):
    package = api.get(PACKAGE).json()

    assert [q["key"] for q in package["lesson"]["questions"]] == [
        "single", "multiple", "numeric", "simulated"]
    assert package["images"] == []


def test_answers_given_offline_are_graded_on_arrival_and_keep_when_they_were_given(
    quiz, learner_api,
):
    questions = {q["key"]: q for q in learner_api.get(PACKAGE).json()["lesson"]["questions"]}
    answered_at = timezone.now() - dt.timedelta(hours=3)
    body = {"answer": choice_id(quiz.single, "Certa"), "answered_at": answered_at.isoformat(),
            "shown": questions["single"]["shown"]}

    response = learner_api.post(questions["single"]["attempts_url"], body, format="json",
                                HTTP_IDEMPOTENCY_KEY="offline-1")
    retry = learner_api.post(questions["single"]["attempts_url"], body, format="json",
                             HTTP_IDEMPOTENCY_KEY="offline-1")  # the connection dropped

    assert response.status_code == 201 and retry.json() == response.json()
    outcome = response.json()
    assert outcome["correct"] and outcome["explanation"] == "Porque sim."
    assert parse_datetime(outcome["answered_at"]) == answered_at
    assert parse_datetime(outcome["received_at"]) > answered_at
    attempt = Attempt.objects.get()
    assert attempt.answered_at == answered_at and attempt.created_at > answered_at


def test_an_offline_answer_to_a_question_changed_meanwhile_is_not_graded(quiz, learner_api):
    shown = {q["key"]: q for q in learner_api.get(PACKAGE).json()["lesson"]["questions"]}[
        "simulated"]
    Question.objects.filter(pk=quiz.simulated.pk).update(fixed_params={
        **quiz.simulated.fixed_params, "width": 12})

    response = learner_api.post(shown["attempts_url"], {
        "answer": "1e-3", "shown": shown["shown"],
        "answered_at": (timezone.now() - dt.timedelta(days=2)).isoformat()},
        format="json", HTTP_IDEMPOTENCY_KEY="offline-2")

    assert response.status_code == 200
    assert response.json()["format_error"]["code"] == "changed"
    assert not Attempt.objects.exists()


def test_the_package_of_an_unknown_lesson_is_a_404_problem(quiz, api, assert_problem):
    assert_problem(api.get("/api/v1/courses/course/lessons/nope/package/"), 404)
