"""The anonymous answer form is no unlimited grading oracle: answers per address are limited."""

import pytest
from django.utils import translation

from api.throttling import ScopedRateThrottle
from classroom.answer_throttle import wait_message


@pytest.fixture
def two_answers_a_minute(monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "answers", "2/minute")


def answer(client, question, choice, address="203.0.113.7", **extra):
    return client.post(f"/en/exercises/{question.pk}/answer/",
                       {f"q{question.pk}-answer": choice}, REMOTE_ADDR=address, **extra)


def test_anonymous_answers_past_the_rate_are_refused_with_a_message(
        single_question, client, two_answers_a_minute):
    right = single_question.choices.get(is_correct=True).pk
    for _ in range(2):
        assert answer(client, single_question, right).status_code == 200
    refused = answer(client, single_question, right)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "Too many answers from this address." in page
    assert "exercise-feedback" not in page  # not graded
    # In place, for the page's script, too; another address still answers.
    fetched = answer(client, single_question, right, HTTP_X_REQUESTED_WITH="fetch")
    assert fetched.status_code == 429 and "Too many answers" in fetched.content.decode()
    assert answer(client, single_question, right, address="198.51.100.1").status_code == 200


def test_a_logged_in_learner_is_limited_by_the_questions_tries_instead(
        single_question, client, learner, two_answers_a_minute):
    client.force_login(learner)
    wrong = single_question.choices.filter(is_correct=False).first().pk
    for _ in range(4):
        assert answer(client, single_question, wrong).status_code == 200


def test_the_message_is_translated():
    with translation.override("pt-br"):
        assert wait_message(30).startswith("Respostas demais deste endereço.")
