"""A lesson's questions in the API: the learner's variant, their state, and no answer leaks."""

import json

import pytest

from quizzes.models import Variant
from quizzes.services import record_attempt

from .conftest import choice_id

QUESTIONS = "/api/v1/courses/course/lessons/lesson-1-1/questions/"
# Keys that would give an answer away: never in a question before it is due.
ANSWER_KEYS = {"is_correct", "answer", "value", "correct_choices", "correct"}


def keys_in(data) -> set[str]:
    """Every key of every object in a JSON document."""
    if isinstance(data, dict):
        return set(data) | set().union(*(keys_in(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(keys_in(item) for item in data)) if data else set()
    return set()


def by_key(questions):
    return {question["key"]: question for question in questions}


def answer(question, user, value):
    return record_attempt(question=question, user=user, answer=value, language="en")


@pytest.mark.parametrize(("lang", "prompt", "choice"), [
    ("pt-br", "Pergunta single?", "Errada"),
    ("en", "Question single?", "Errada (en)"),
])
def test_the_lesson_lists_its_questions_in_order_in_each_language(
    quiz, learner_api, lang, prompt, choice,
):
    response = learner_api.get(quiz.url, {"lang": lang})

    assert response.status_code == 200
    assert response["Content-Language"] == lang
    lesson = response.json()
    assert list(lesson).index("questions") == list(lesson).index("figures") + 1
    questions = lesson["questions"]
    assert [q["key"] for q in questions] == ["single", "multiple", "numeric", "simulated"]
    assert [q["number"] for q in questions] == [1, 2, 3, 4]
    single = questions[0]
    assert single["prompt"] == prompt and single["prompt_html"] == f"<p>{prompt}</p>\n"
    assert [c["text"] for c in single["choices"]][0] == choice
    assert set(single["choices"][0]) == {"id", "text", "text_html"}
    assert single["state"] == {"answered": False, "solved": False, "tries_used": 0,
                               "tries_left": None, "max_tries": None, "can_answer": True}
    assert single["explanation"] is None and single["solution"] is None
    assert single["attempts_url"] == (
        f"http://testserver/api/v1/questions/{quiz.single.pk}/attempts/")


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_the_questions_endpoint_pages_the_same_questions(quiz, learner_api, lang):
    lesson = learner_api.get(quiz.url, {"lang": lang}).json()

    response = learner_api.get(QUESTIONS, {"lang": lang, "page_size": 3})

    assert response.status_code == 200
    assert response["Content-Language"] == lang
    page = response.json()
    assert page["count"] == 4 and page["results"] == lesson["questions"][:3]
    assert page["next"].endswith("page=2&page_size=3")
    assert "Authorization" in response["Vary"] and "Accept-Language" in response["Vary"]


def test_a_simulated_question_shows_the_learners_variant_in_its_prompt_but_not_its_answer(
    quiz, learner, learner_api,
):
    simulated = by_key(learner_api.get(quiz.url, {"lang": "en"}).json()["questions"])[
        "simulated"]

    variant = Variant.objects.get(question=quiz.simulated, user=learner)
    depth = variant.params["depth"]
    assert simulated["prompt"] == f"With {depth} layers, what is the ratio?"
    assert simulated["parameters"]["depth"] == depth
    assert simulated["shown"] and simulated["lab_url"].startswith("http://testserver/en/lab/")
    text = json.dumps(simulated)
    assert repr(variant.value) not in text and f"{variant.value:.4g}" not in text
    assert not keys_in(simulated) & ANSWER_KEYS


def test_nothing_gives_an_answer_away_before_it_is_due(quiz, learner, learner_api, api):
    answer(quiz.single, learner, choice_id(quiz.single, "Errada"))  # wrong: not yet due

    for client in (learner_api, api):  # the learner, and an anonymous reader
        for url in (quiz.url, QUESTIONS):
            body = client.get(url, {"lang": "en"}).json()
            questions = body.get("questions") or body.get("results")
            assert not keys_in(questions) & ANSWER_KEYS
            assert all(q["solution"] is None for q in questions)


def test_a_correct_answer_shows_the_choices_verdicts_the_explanation_and_the_solution(
    quiz, learner, learner_api,
):
    answer(quiz.single, learner, choice_id(quiz.single, "Certa"))

    single = by_key(learner_api.get(quiz.url, {"lang": "en"}).json()["questions"])["single"]

    assert single["state"]["solved"] and single["state"]["tries_used"] == 1
    assert [c["is_correct"] for c in single["choices"]] == [False, True, False]
    assert single["choices"][0]["feedback"] == "About Errada"
    assert single["explanation"] == "Because." and single["explanation_html"]
    assert single["solution"] == {"text": "Certa (en)", "value": None,
                                  "choices": [choice_id(quiz.single, "Certa")]}


def test_the_policy_shows_the_solution_after_two_wrong_tries_and_the_explanation_after_one(
    quiz, learner, learner_api,
):
    def numeric():
        return by_key(learner_api.get(quiz.url).json()["questions"])["numeric"]

    assert numeric()["explanation"] is None
    answer(quiz.numeric, learner, "0.5")
    after_one = numeric()
    assert after_one["explanation"] == "Porque sim." and after_one["solution"] is None
    assert after_one["state"]["tries_left"] == 2
    assert not keys_in(after_one) & ANSWER_KEYS

    answer(quiz.numeric, learner, "0.6")

    after_two = numeric()
    assert after_two["solution"] == {"text": "0,05", "value": 0.05, "choices": None}
    assert after_two["state"] == {"answered": True, "solved": False, "tries_used": 2,
                                  "tries_left": 1, "max_tries": 3, "can_answer": True}


def test_a_simulated_questions_computed_value_appears_once_answered_correctly(
    quiz, learner, learner_api,
):
    learner_api.get(quiz.url)
    value = Variant.objects.get(question=quiz.simulated, user=learner).value

    answer(quiz.simulated, learner, value)

    simulated = by_key(learner_api.get(quiz.url).json()["questions"])["simulated"]
    assert simulated["state"]["solved"]
    assert simulated["solution"]["value"] == pytest.approx(value)


def test_no_tries_left_locks_the_question(quiz, learner, learner_api):
    for typed in ("1", "2", "3"):
        answer(quiz.numeric, learner, typed)

    numeric = by_key(learner_api.get(quiz.url).json()["questions"])["numeric"]

    assert numeric["state"]["tries_left"] == 0 and not numeric["state"]["can_answer"]


def test_anonymous_readers_get_the_shared_variant_and_no_state(quiz, api, learner_api):
    first = by_key(api.get(quiz.url).json()["questions"])
    again = by_key(api.get(QUESTIONS).json()["results"])

    assert first == again
    assert first["simulated"]["state"]["tries_used"] == 0
    assert not Variant.objects.exists()  # nothing stored for anonymous readers


def test_each_learner_sees_their_own_state(quiz, learner, learner_api, other_learner_api):
    answer(quiz.single, learner, choice_id(quiz.single, "Certa"))

    mine = by_key(learner_api.get(quiz.url).json()["questions"])["single"]
    theirs = by_key(other_learner_api.get(quiz.url).json()["questions"])["single"]

    assert mine["state"]["solved"] and not theirs["state"]["solved"]
    assert theirs["solution"] is None


def test_unpublished_questions_are_not_listed(quiz, learner_api):
    quiz.multiple.is_published = False
    quiz.multiple.save()

    keys = [q["key"] for q in learner_api.get(QUESTIONS).json()["results"]]

    assert keys == ["single", "numeric", "simulated"]


def test_questions_of_an_unknown_lesson_are_a_404_problem(quiz, api, assert_problem):
    assert_problem(api.get("/api/v1/courses/course/lessons/nope/questions/"), 404,
                   code="not_found")


def test_the_seed_pages_question_in_both_languages(imported_course, api):
    url = "/api/v1/courses/redes-neurais/lessons/problemas-de-vanishing-e-exploding-gradient/"

    portuguese = api.get(url, {"lang": "pt-br"}).json()["questions"][0]
    english = api.get(url, {"lang": "en"}).json()["questions"][0]

    assert portuguese["key"] == english["key"] == "estrategia-nao-mencionada"
    assert "**NÃO**" in portuguese["prompt"] and "**NOT**" in english["prompt"]
    assert "Aplicar dropout às camadas ocultas da rede." in [
        c["text"] for c in portuguese["choices"]]
    assert "Applying dropout to the network's hidden layers." in [
        c["text"] for c in english["choices"]]
    assert not keys_in(portuguese) & ANSWER_KEYS
