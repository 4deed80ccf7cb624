"""The learner's own attempts: newest first, paginated, and nobody else's (404)."""

import pytest
from django.utils import timezone

from quizzes.models import Attempt
from quizzes.services import record_attempt

from .conftest import choice_id

MY_ATTEMPTS = "/api/v1/me/attempts/"


def answer(question, user, value, language="en"):
    return record_attempt(question=question, user=user, answer=value,
                          language=language).attempt


@pytest.mark.parametrize(("lang", "feedback"), [
    ("pt-br", "Você errou! Tente novamente."),
    ("en", "That's not right! Try again."),
])
def test_my_attempts_newest_first_as_graded_in_their_language(quiz, learner, learner_api,
                                                             lang, feedback):
    wrong = answer(quiz.single, learner, choice_id(quiz.single, "Errada"), lang)
    right = answer(quiz.numeric, learner, "0,05", lang)

    response = learner_api.get(MY_ATTEMPTS, {"lang": lang})

    assert response.status_code == 200 and response["Content-Language"] == lang
    page = response.json()
    assert page["count"] == 2
    assert [a["id"] for a in page["results"]] == [right.pk, wrong.pk]
    last = page["results"][1]
    assert last["url"] == f"http://testserver/api/v1/me/attempts/{wrong.pk}/"
    assert last["question"]["id"] == quiz.single.pk and last["question"]["key"] == "single"
    assert last["question"]["lesson"]["number"] == "1.1"
    assert (last["answer"], last["correct"], last["score"]) == (
        [choice_id(quiz.single, "Errada")], False, 0.0)
    assert last["feedback"] == feedback and last["explanation"] is None
    assert last["language"] == lang and last["counts_as_try"] is True
    assert "snapshot" not in last
    assert page["results"][0]["solution"] in ("0,05", "0.05")


def test_the_order_is_stable_for_attempts_received_at_the_same_time(quiz, learner,
                                                                   learner_api):
    attempts = [answer(quiz.numeric, learner, str(value)) for value in (1, 2, 3)]
    Attempt.objects.update(created_at=timezone.now())

    first = learner_api.get(MY_ATTEMPTS, {"page_size": 2}).json()
    second = learner_api.get(first["next"]).json()

    ids = [a["id"] for a in first["results"] + second["results"]]
    assert ids == [attempt.pk for attempt in reversed(attempts)]


def test_attempts_can_be_kept_to_one_question(quiz, learner, learner_api):
    answer(quiz.single, learner, choice_id(quiz.single, "Certa"))
    answer(quiz.numeric, learner, "1")

    page = learner_api.get(MY_ATTEMPTS, {"question": quiz.numeric.pk}).json()

    assert [a["question"]["key"] for a in page["results"]] == ["numeric"]
    # The schema says an integer id: anything else is refused, not read as "no attempts".
    assert learner_api.get(MY_ATTEMPTS, {"question": "x"}).status_code == 400


def test_another_learners_attempts_are_not_listed_and_their_ids_are_404(
    quiz, learner, learner_api, other_learner_api, assert_problem,
):
    mine = answer(quiz.single, learner, choice_id(quiz.single, "Certa"))
    theirs = answer(quiz.single, other_learner_api.user, choice_id(quiz.single, "Certa"))

    assert [a["id"] for a in learner_api.get(MY_ATTEMPTS).json()["results"]] == [mine.pk]
    assert learner_api.get(f"{MY_ATTEMPTS}{mine.pk}/").json()["id"] == mine.pk
    for lang in ("pt-br", "en"):
        assert_problem(learner_api.get(f"{MY_ATTEMPTS}{theirs.pk}/", {"lang": lang}), 404,
                       code="not_found", language=lang)
    assert_problem(learner_api.get(f"{MY_ATTEMPTS}999999/"), 404, code="not_found")


@pytest.mark.parametrize("url", [MY_ATTEMPTS, f"{MY_ATTEMPTS}1/"])
def test_my_attempts_need_a_token(db, api, assert_problem, url):
    assert_problem(api.get(url), 401, code="not_authenticated")
