"""The lab link of a simulation-checked question never reads off the key before it is due.

A "predict" question's link runs a practice configuration (the varied parameters drawn
again, and another seed) until the question is solved or its tries are spent; a
"measure" question's runs the exact variant.
The web page and the API give the same link.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from quizzes.expressions import evaluate_number
from quizzes.models import Question, Variant
from quizzes.services import record_attempt
from simulations import registry


def link_query(url: str) -> dict:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def api_link(learner_api, quiz) -> str:
    questions = learner_api.get(quiz.url, {"lang": "en"}).json()["questions"]
    return next(q for q in questions if q["key"] == "simulated")["lab_url"]


def web_link(learner, quiz) -> str:
    client = Client()
    client.force_login(learner)
    page = client.get(quiz.lesson.get_absolute_url()).content.decode()
    links = re.findall(r'<p class="exercise-lab"><a href="([^"]+)"', page)
    assert len(links) == 1
    return links[0].replace("&amp;", "&")


def links(learner, learner_api, quiz) -> list[dict]:
    """Return the simulated question's lab link on the web page and in the API."""
    found = [link_query(web_link(learner, quiz)), link_query(api_link(learner_api, quiz))]
    assert found[0] == found[1]
    return found


def run_value(query: dict, question: Question) -> float:
    simulation = registry.get(question.simulation)
    raw = {name: value for name, value in query.items() if name != "seed"}
    result = simulation.run(simulation.validate(raw), int(query["seed"])).to_dict()
    return evaluate_number(question.quantity, result, dict(simulation.quantities))


def solve(question, learner):
    variant = Variant.objects.get(question=question, user=learner)
    record_attempt(question=question, user=learner, answer=variant.value, language="en")


def test_a_predict_question_links_a_practice_configuration_until_it_is_solved(
        quiz, learner, learner_api):
    question = quiz.simulated
    assert question.lab_mode == Question.LabMode.PREDICT  # the default
    before = links(learner, learner_api, quiz)
    variant = Variant.objects.get(question=question, user=learner)
    query = before[0]
    assert int(query["seed"]) != variant.seed
    varied = set(question.varied_params)
    assert any(query[name] != str(variant.params[name]) for name in varied)
    assert all(query[name] == str(value)  # what the question fixes stays as it is
               for name, value in variant.params.items() if name not in varied)
    assert run_value(query, question) != pytest.approx(variant.value)

    solve(question, learner)
    after = links(learner, learner_api, quiz)[0]
    assert int(after["seed"]) == variant.seed
    assert run_value(after, question) == pytest.approx(variant.value)


def test_a_predict_question_links_the_exact_run_once_the_tries_are_spent(
        quiz, learner, learner_api):
    question = quiz.simulated
    Question.objects.filter(pk=question.pk).update(max_tries=1)
    links(learner, learner_api, quiz)  # stores the variant
    record_attempt(question=question, user=learner, answer=1e9, language="en")
    variant = Variant.objects.get(question=question, user=learner)
    assert int(links(learner, learner_api, quiz)[0]["seed"]) == variant.seed


def test_a_measure_question_links_the_learners_exact_variant(quiz, learner, learner_api):
    question = quiz.simulated
    Question.objects.filter(pk=question.pk).update(lab_mode=Question.LabMode.MEASURE)
    query = links(learner, learner_api, quiz)[0]
    variant = Variant.objects.get(question=question, user=learner)
    assert int(query["seed"]) == variant.seed
    assert run_value(query, question) == pytest.approx(variant.value)


def test_the_api_says_what_the_lab_link_shows(quiz, learner_api):
    questions = learner_api.get(quiz.url, {"lang": "en"}).json()["questions"]
    assert {q["key"]: q["lab_mode"] for q in questions}["simulated"] == "predict"
