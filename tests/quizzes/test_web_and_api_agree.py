"""Every learner state, on the web lesson page and in the API: both show the same thing.

A learner answers (through the service both interfaces call), then reloads the lesson
page and reads the lesson from the API. The explanation, the solution, the tries left
and whether the form takes an answer must agree, for every policy of showing them.
"""

import re
from html import unescape

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from classroom.api_cache import CONTENT_GENERATION_KEY
from quizzes.models import Question
from quizzes.services import record_attempt

RIGHT, WRONG = "0,05", "7"
POLICIES = {
    "two-tries-solution-when-correct": {"max_tries": 2},
    "three-tries-explanation-after-one-solution-after-two": {
        "max_tries": 3, "explanation_after_tries": 1,
        "solution_policy": Question.SolutionPolicy.AFTER_TRIES, "solution_after_tries": 2},
    "unlimited-explanation-after-two-no-solution": {
        "explanation_after_tries": 2, "solution_policy": Question.SolutionPolicy.NEVER},
    "one-try-solution-after-it": {
        "max_tries": 1, "solution_policy": Question.SolutionPolicy.AFTER_TRIES,
        "solution_after_tries": 1},
}
HISTORIES = {
    "fresh": [],
    "one-wrong-try": [WRONG],
    "tries-spent": [WRONG, WRONG, WRONG],  # as many as count: the rest are refused
    "solved-first-try": [RIGHT],
    "solved-after-wrong-tries": [WRONG, WRONG, RIGHT],
}


@pytest.fixture(autouse=True)
def fresh_api_cache():
    cache.delete(CONTENT_GENERATION_KEY)  # no cached lesson body of an earlier test


def web_view(html: str, key: str) -> dict:
    """Read what the lesson page shows of one exercise."""
    start = html.index(f'id="exercise-{key}"')
    article = unescape(html[start:html.index("</article>", start)])
    solution = re.search(r'class="exercise-solution"><strong>[^<]*</strong> ([^<]*)</p>',
                         article)
    tries = re.search(r'class="exercise-note exercise-tries">([^<]*)</p>', article)
    told = None
    if tries:  # "Restam 2 tentativas." or "Nenhuma tentativa restante."
        count = re.search(r"\d+", tries.group(1))
        told = int(count.group()) if count else 0
    return {
        "explanation": "Porque sim." in article and "exercise-explanation" in article,
        "solution": solution.group(1).strip() if solution else None,
        "tries_left": told,
        "can_answer": "<fieldset disabled>" not in article and "<fieldset >" in article,
    }


def api_view(question: dict) -> dict:
    """Read what the API shows of one question, as the page would say it."""
    state = question["state"]
    told = state["tries_left"] if state["answered"] and not state["solved"] else None
    return {
        "explanation": question["explanation"] == "Porque sim.",
        "solution": question["solution"]["text"] if question["solution"] else None,
        "tries_left": told,
        "can_answer": state["can_answer"],
    }


@pytest.mark.parametrize("history", HISTORIES)
@pytest.mark.parametrize("policy", POLICIES)
def test_the_page_after_a_reload_shows_what_the_api_shows(
        make_question, learner, client, policy, history):
    question = make_question(Question.Kind.NUMERIC, answer=0.05, rtol=0.01, **POLICIES[policy])
    for answer in HISTORIES[history]:
        record_attempt(question=question, user=learner, answer=answer, language="pt-br")
    client.force_login(learner)
    lesson = question.lesson
    html = client.get(lesson.get_absolute_url()).content.decode()
    api = APIClient()
    api.force_authenticate(learner)
    body = api.get(f"/api/v1/courses/{lesson.course.slug}/lessons/{lesson.slug}/",
                   {"lang": "pt-br"}).json()
    (shown,) = [q for q in body["questions"] if q["key"] == question.key]

    assert web_view(html, question.key) == api_view(shown)


def test_the_walk_sees_a_solved_question_explained_on_both(make_question, learner, client):
    """The reload case that disagreed: a solved question showed only a badge on the web."""
    question = make_question(Question.Kind.NUMERIC, answer=0.05, rtol=0.01)
    record_attempt(question=question, user=learner, answer=RIGHT, language="pt-br")
    client.force_login(learner)
    html = client.get(question.lesson.get_absolute_url()).content.decode()
    assert web_view(html, question.key) == {"explanation": True, "solution": "0,05",
                                            "tries_left": None, "can_answer": True}
