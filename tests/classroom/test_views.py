"""The exercise on the lesson page: the seed's whole flow, CSRF, anonymous learners, bad input."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from course.models import Lesson
from quizzes.exercises import lesson_exercises
from quizzes.models import Attempt, Question, Variant

SEED_LESSON = "/{lang}/courses/redes-neurais/problemas-de-vanishing-e-exploding-gradient/"
SEED_KEY = "estrategia-nao-mencionada"
WRONG = "Você errou! Tente novamente."
RIGHT = "Você acertou! Parabéns, agora siga para a próxima página"


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def seed_question():
    question = Question.objects.get(key=SEED_KEY)
    choices = {c.text_en: c.pk for c in question.choices.all()}
    right = choices["Applying dropout to the network's hidden layers."]
    wrong = choices["Limiting the gradient during backpropagation with gradient clipping."]
    return question, right, wrong


def post_answer(client, question, value, lang="pt-br", token=None, **extra):
    url = f"/{lang}/exercises/{question.pk}/answer/"
    data = {f"q{question.pk}-answer": value}
    if token:
        data["csrfmiddlewaretoken"] = token
    return client.post(url, data, **extra)


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_lesson_page_shows_the_seed_exercise_in_both_languages(imported_course, client):
    html = client.get(SEED_LESSON.format(lang="pt-br")).content.decode()
    assert "Qual das seguintes estratégias <strong>NÃO</strong> é mencionada" in html
    assert "Aplicar dropout às camadas ocultas da rede." in html
    english = client.get(SEED_LESSON.format(lang="en")).content.decode()
    assert "Which of the following strategies is <strong>NOT</strong> mentioned" in english
    assert english.index("Next page") > english.index("exercise-form")  # between text and pager


@pytest.mark.parametrize(("lang", "wrong_text", "right_text", "next_title"), [
    ("pt-br", WRONG, RIGHT, "Inicialização de Pesos"),
    ("en", "That's not right! Try again.",
     "You got it right! Well done, now go on to the next page", "Weight Initialization"),
])
def test_seed_flow_wrong_then_right_with_the_next_page(imported_course, csrf_client, lang,
                                                       wrong_text, right_text, next_title):
    question, right, wrong = seed_question()
    token = csrf_token(csrf_client.get(SEED_LESSON.format(lang=lang)).content.decode())
    response = post_answer(csrf_client, question, wrong, lang, token)
    html = unescape(response.content.decode())
    assert response.status_code == 200 and wrong_text in html and right_text not in html
    assert f'name="q{question.pk}-answer"' in html  # the form stays to try again
    assert "exercise-next" not in html
    response = post_answer(csrf_client, question, right, lang, csrf_token(html))
    html = unescape(response.content.decode())
    assert right_text in html and wrong_text not in html
    next_card = html[html.index('class="exercise-next"'):]
    assert "/inicializacao-de-pesos/" in next_card[:300]
    assert ">55<" in next_card and next_title in next_card
    assert not Attempt.objects.exists()  # anonymous: nothing stored


def test_logged_in_learner_attempts_are_recorded(imported_course, csrf_client, learner):
    csrf_client.force_login(learner)
    question, right, wrong = seed_question()
    token = csrf_token(csrf_client.get(SEED_LESSON.format(lang="pt-br")).content.decode())
    post_answer(csrf_client, question, wrong, token=token)
    html = post_answer(csrf_client, question, wrong, token=token).content.decode()
    assert "does not count as another try" in html or "não conta" in html
    post_answer(csrf_client, question, right, token=token)
    attempts = Attempt.objects.filter(user=learner).order_by("created_at")
    assert [(a.is_correct, a.counts_as_try) for a in attempts] == [
        (False, True), (False, False), (True, True)]
    page = csrf_client.get(SEED_LESSON.format(lang="en")).content.decode()
    assert "Answered correctly" in page


def test_posting_without_the_csrf_token_is_refused(imported_course, csrf_client):
    question, right, _wrong = seed_question()
    csrf_client.get(SEED_LESSON.format(lang="pt-br"))
    assert post_answer(csrf_client, question, right).status_code == 403
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("value", ["", "999999", "abc", "-1"])
def test_bad_choice_is_a_form_error_never_a_server_error(imported_course, client, value):
    question, _right, _wrong = seed_question()
    response = post_answer(client, question, value)
    html = response.content.decode()
    assert response.status_code == 200
    assert "exercise-error" in html and WRONG not in html and RIGHT not in html


def test_no_choice_asks_to_choose_one(imported_course, client):
    question, _right, _wrong = seed_question()
    html = client.post(f"/pt-br/exercises/{question.pk}/answer/", {}).content.decode()
    assert "Escolha uma alternativa." in html


def test_a_typo_in_a_number_is_explained_and_not_stored(make_question, client, learner):
    question = make_question(Question.Kind.NUMERIC, answer=0.05)
    client.force_login(learner)
    html = post_answer(client, question, "0.05.1").content.decode()
    assert "Não consegui ler “0.05.1” como um número." in html
    assert not Attempt.objects.exists()
    assert RIGHT in post_answer(client, question, "0,05").content.decode()


@pytest.mark.parametrize(("lang", "too_long", "not_finite"), [
    ("pt-br", "Certifique-se de que o valor tenha no máximo 64 caracteres (ele possui 5000).",
     "Digite um número finito."),
    ("en", "Ensure this value has at most 64 characters (it has 5000).",
     "Type a finite number."),
])
def test_a_huge_or_odd_input_is_a_form_error(make_question, client, monkeypatch, lang,
                                             too_long, not_finite):
    question = make_question(Question.Kind.NUMERIC, answer=0.05)
    drawn = []
    monkeypatch.setattr("simulations.plots.render",
                        lambda *args, **kwargs: drawn.append(args) or pytest.fail("drew"))
    for typed, message in (("9" * 5000, too_long), ("1e999", not_finite)):
        response = post_answer(client, question, typed, lang=lang)
        assert response.status_code == 200
        errors = re.search(r'id="[^"]*answer_error"[^>]*>(.*?)</', unescape(
            response.content.decode()), re.S)
        assert errors is not None and message in errors.group(1)
    assert drawn == [] and not Attempt.objects.exists()


def test_unknown_or_unpublished_question_is_not_found(single_question, client):
    assert client.post("/pt-br/exercises/987654/answer/", {}).status_code == 404
    single_question.is_published = False
    single_question.save()
    assert client.post(f"/pt-br/exercises/{single_question.pk}/answer/", {}).status_code == 404
    assert single_question.key not in client.get(single_question.lesson.get_absolute_url()
                                                 ).content.decode()


def test_getting_the_answer_url_goes_back_to_the_lesson(single_question, client):
    response = client.get(f"/en/exercises/{single_question.pk}/answer/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#exercise-{single_question.key}")


def test_with_javascript_only_the_exercise_comes_back(single_question, client, choice_ids):
    response = post_answer(client, single_question, choice_ids(single_question)[1],
                           headers={"X-Requested-With": "fetch"})
    html = response.content.decode()
    assert html.lstrip().startswith("<article") and RIGHT in html
    assert "<html" not in html and "Próxima lição" in html


def test_simulated_question_shows_the_learners_variant(imported_course, client, learner):
    question = Question.objects.get(key="razao-do-gradiente-sigmoid")
    client.force_login(learner)
    html = client.get(SEED_LESSON.format(lang="pt-br")).content.decode()
    variant = Variant.objects.get(question=question, user=learner)
    depth, width = variant.params["depth"], variant.params["width"]
    assert f"Uma rede MLP tem {depth} camadas ocultas de {width} unidades" in html
    response = post_answer(client, question, f"{variant.value:.3e}")
    assert RIGHT in response.content.decode()
    assert Attempt.objects.get().variant == variant


def test_exercises_read_one_query_for_anonymous_and_three_for_a_learner(
        imported_course, rf, learner, django_assert_num_queries):
    lesson = Lesson.objects.select_related("course", "chapter").get(
        slug="problemas-de-vanishing-e-exploding-gradient")
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(1):  # questions and choices, joined
        assert len(lesson_exercises(request, lesson)["exercises"]) == 3
    request.user = learner
    lesson_exercises(request, lesson)  # the first visit stores the learner's variants
    with django_assert_num_queries(3):  # + the learner's tries and variants
        lesson_exercises(request, lesson)


def test_a_question_the_engine_now_refuses_is_left_out_not_a_server_error(
        single_question, make_question, client, caplog):
    broken = make_question(Question.Kind.NUMERIC, simulation="mlp_gradient_flow",
                           fixed_params={"depth": 9999}, quantity="loss",
                           prompt_pt_br="Quebrada?")
    response = client.get(single_question.lesson.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and "Pergunta?" in html and "Quebrada?" not in html
    assert "cannot be computed" in caplog.text
    assert post_answer(client, broken, "1").status_code == 404
