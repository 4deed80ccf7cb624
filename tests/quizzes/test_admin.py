"""The question admin: who may use it, validation through the admin, preview and statistics."""

import json
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from quizzes.models import Choice, Question
from quizzes.services import record_attempt

ADD_URL = "/admin/quizzes/question/add/"
DEPTHS = {"depth": {"min": 4, "max": 8}}


def question_data(lesson, *, kind="single", choices=(), **fields):
    """Return the POST data of the question admin's add form (and its choices inline)."""
    data = {
        "lesson": lesson.pk, "key": fields.pop("key", "nova"), "order": 0, "kind": kind,
        "is_published": "on", "prompt_pt_br": "Pergunta?", "prompt_en": "Question?",
        "explanation_pt_br": "Porque.", "explanation_en": "Because.",
        "feedback_correct_pt_br": "", "feedback_correct_en": "", "feedback_wrong_pt_br": "",
        "feedback_wrong_en": "", "answer": "", "rtol": "0.01", "atol": "0",
        "simulation": "", "fixed_params": "{}", "varied_params": "{}", "quantity": "",
        "choice_predicate": "", "max_tries": "", "explanation_after_tries": "",
        "solution_policy": "after_correct", "solution_after_tries": "",
        "choices-TOTAL_FORMS": len(choices), "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0, "choices-MAX_NUM_FORMS": 1000,
    }
    for n, choice in enumerate(choices):
        choice = {"text": f"Opção {n}", **choice}
        data.update({
            f"choices-{n}-order": n, f"choices-{n}-text_pt_br": choice["text"],
            f"choices-{n}-text_en": f"Option {n}", f"choices-{n}-feedback_pt_br": "",
            f"choices-{n}-feedback_en": "", f"choices-{n}-params":
                json.dumps(choice.get("params", {})),
            f"choices-{n}-predicate": choice.get("predicate", ""),
        })
        if choice.get("correct"):
            data[f"choices-{n}-is_correct"] = "on"
    for name, value in fields.items():
        data[name] = json.dumps(value) if isinstance(value, dict) else value
    return data


def errors_of(response) -> str:
    assert response.status_code == 200, "the form should come back with errors"
    return unescape(response.content.decode())


def test_instructors_group_can_author_questions_and_choices_only(db):
    codenames = set(Group.objects.get(name="Instructors").permissions.filter(
        content_type__app_label="quizzes").values_list("codename", flat=True))
    assert codenames == {f"{action}_{model}" for action in ("add", "change", "delete", "view")
                         for model in ("question", "choice")}
    course_perms = Group.objects.get(name="Instructors").permissions.filter(
        content_type__app_label="course")
    assert course_perms.filter(codename="change_lesson").exists()


def test_instructor_who_is_not_superuser_uses_the_question_admin(instructor_client, instructor,
                                                                 single_question):
    assert not instructor.is_superuser
    assert instructor_client.get("/admin/quizzes/question/").status_code == 200
    assert instructor_client.get(ADD_URL).status_code == 200
    change = instructor_client.get(f"/admin/quizzes/question/{single_question.pk}/change/")
    html = change.content.decode()
    assert 'name="prompt_pt_br"' in html and 'name="prompt_en"' in html
    assert 'name="choices-0-text_en"' in html and "jquery-ui" not in html.lower()
    assert instructor_client.get("/admin/quizzes/attempt/").status_code == 403


def test_learners_cannot_reach_the_admin(client, learner, single_question):
    client.force_login(learner)
    for url in ("/admin/", "/admin/quizzes/question/",
                f"/admin/quizzes/question/{single_question.pk}/preview/",
                f"/admin/quizzes/question/{single_question.pk}/statistics/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_outside_the_instructors_group_cannot_see_questions(client, single_question):
    staff = get_user_model().objects.create_user("staff", password="x" * 12, is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/quizzes/question/").status_code == 403
    assert client.get(f"/admin/quizzes/question/{single_question.pk}/preview/"
                      ).status_code == 403


def test_a_valid_question_is_saved_with_its_choices(instructor_client, lesson):
    data = question_data(lesson, choices=[{"correct": True}, {}, {}])
    response = instructor_client.post(ADD_URL, data)
    assert response.status_code == 302
    question = Question.objects.get(key="nova")
    assert question.prompt_en == "Question?" and question.choices.count() == 3


@pytest.mark.parametrize(("kind", "choices", "message"), [
    ("single", [{"correct": True}, {"correct": True}],
     "A single-choice question needs exactly one correct choice (it has 2)."),
    ("single", [{}, {}], "needs exactly one correct choice (it has 0)"),
    ("multiple", [{}, {}], "A multiple-choice question needs at least one correct choice."),
    ("single", [{"correct": True}], "Give at least two choices."),
])
def test_choice_counts_are_checked(instructor_client, lesson, kind, choices, message):
    response = instructor_client.post(ADD_URL, question_data(lesson, kind=kind,
                                                             choices=choices))
    assert message in errors_of(response)
    assert not Question.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    ({}, "A numeric question needs a correct value or a simulation that computes it."),
    ({"answer": "1", "rtol": "-0.1"}, "Tolerances cannot be negative."),
    ({"answer": "1", "atol": "-1"}, "Tolerances cannot be negative."),
    ({"answer": "-1", "log_scale": "on"}, "On a log10 scale the correct value must be positive."),
    ({"simulation": "mlp_gradient_flow", "quantity": "loss", "varied_params":
      {"depth": {"min": 4, "max": 100}}}, "Invalid for the simulation when"),
    ({"simulation": "mlp_gradient_flow", "quantity": "loss", "varied_params":
      {"colour": ["red"]}}, "Unknown parameter “colour”"),
    ({"simulation": "mlp_gradient_flow", "quantity": "loss", "varied_params":
      {"activation": ["sigmoid", "swish"]}}, "Must be one of"),
    ({"simulation": "mlp_gradient_flow", "quantity": "loss", "varied_params":
      {"depth": {"min": 8, "max": 4}}}, "min is greater than max"),
    ({"simulation": "mlp_gradient_flow", "quantity": "no_such_key", "varied_params": DEPTHS},
     "unknown name 'no_such_key'"),
    ({"simulation": "mlp_gradient_flow", "quantity": "__import__('os')"}, "unknown function"),
    ({"simulation": "mlp_gradient_flow", "varied_params": DEPTHS},
     "Say which quantity of the result is the answer."),
    ({"answer": "1", "solution_policy": "after_tries"}, "Say after how many tries."),
])
def test_numeric_and_simulation_settings_are_checked(instructor_client, lesson, fields,
                                                     message):
    response = instructor_client.post(ADD_URL, question_data(lesson, kind="numeric", **fields))
    assert message in errors_of(response)
    assert not Question.objects.exists()


def test_a_simulated_question_with_valid_ranges_is_saved(instructor_client, lesson):
    data = question_data(lesson, kind="numeric", simulation="mlp_gradient_flow",
                         quantity="grad_ratio_first_to_last", varied_params=DEPTHS,
                         fixed_params={"activation": "tanh", "init": "glorot_normal"},
                         log_scale="on", atol="0.5", rtol="0")
    assert instructor_client.post(ADD_URL, data).status_code == 302
    assert Question.objects.get().varied_params == DEPTHS


def test_single_choice_predicates_must_pick_exactly_one_choice(instructor_client, lesson):
    stable = "0.1 <= grad_ratio_first_to_last <= 10"
    choices = [{"params": {"activation": "relu", "init": "he_normal"}},
               {"params": {"activation": "tanh", "init": "glorot_normal"}}]
    data = question_data(lesson, simulation="mlp_gradient_flow", varied_params=DEPTHS,
                         choice_predicate=stable, choices=choices)
    assert "choices are correct; a single-choice question needs exactly one" in errors_of(
        instructor_client.post(ADD_URL, data))
    choices[1]["params"] = {"activation": "sigmoid", "init": "normal"}
    data = question_data(lesson, simulation="mlp_gradient_flow", varied_params=DEPTHS,
                         choice_predicate=stable, choices=choices)
    assert instructor_client.post(ADD_URL, data).status_code == 302


def test_a_bad_predicate_is_explained(instructor_client, lesson):
    data = question_data(lesson, kind="multiple", simulation="mlp_gradient_flow",
                         choices=[{"predicate": "loss >"}, {"correct": True}])
    assert "Choice 1: invalid formula" in errors_of(instructor_client.post(ADD_URL, data))


@pytest.mark.parametrize(("lang", "prompt", "solution"), [("pt-br", "Pergunta?", "Certa"),
                                                          ("en", "Question?", "Certa (en)")])
def test_preview_in_either_language(instructor_client, single_question, lang, prompt,
                                    solution):
    url = f"/admin/quizzes/question/{single_question.pk}/preview/?lang={lang}"
    html = unescape(instructor_client.get(url).content.decode())
    assert prompt in html and solution in html


def test_preview_shows_a_sample_variant_and_its_computed_answer(instructor_client,
                                                                make_question):
    question = make_question(Question.Kind.NUMERIC, simulation="mlp_gradient_flow",
                             varied_params=DEPTHS, quantity="grad_ratio_first_to_last",
                             prompt_en="Depth {depth}?", log_scale=True, rtol=0, atol=0.5)
    url = f"/admin/quizzes/question/{question.pk}/preview/?lang=en&learner=ana"
    response = instructor_client.get(url)
    html = unescape(response.content.decode())
    variant = response.context["variant"].answer
    assert f"Depth {variant.params['depth']}?" in html
    assert "grad_ratio_first_to_last" in html and "hidden_grad_norms[0]" in html
    assert response.context["solution"] == f"{variant.value:.4g}"
    graded = instructor_client.post(url, {f"q{question.pk}-answer": f"{variant.value:.4e}"})
    assert "You got it right!" in unescape(graded.content.decode())
    assert not question.attempts.exists()


def test_statistics_per_question_and_per_varied_parameter(instructor_client, make_question,
                                                          django_user_model):
    question = make_question(Question.Kind.SINGLE, simulation="mlp_gradient_flow",
                             varied_params={"activation": ["sigmoid", "relu"]},
                             choices=[("A", True), ("B", False), ("C", False)])
    a, b, c = question.choices.order_by("order")
    for n in range(12):
        user = django_user_model.objects.create_user(f"learner{n}")
        first = a if n % 3 == 0 else (b if n % 3 == 1 else c)
        result = record_attempt(question=question, user=user, answer=first.pk, language="en")
        variant_activation = result.variant.answer.params["activation"]
        assert variant_activation in ("sigmoid", "relu")
        if not result.outcome.correct:
            record_attempt(question=question, user=user, answer=a.pk, language="en")
    response = instructor_client.get(f"/admin/quizzes/question/{question.pk}/statistics/")
    stats = response.context["stats"]
    assert stats.learners == 12 and stats.attempts == 20
    assert stats.first_try_correct == pytest.approx(4 / 12) and stats.correct_eventually == 1
    # Choices are named in the instructor's language (English here).
    assert stats.wrong_choices[0][1] == 4 and stats.wrong_choices[0][0] in ("B (en)", "C (en)")
    shares = {share.label: share for share in stats.by_parameter["activation"]}
    assert set(shares) <= {"sigmoid", "relu"} and sum(s.learners for s in shares.values()) == 12
    html = response.content.decode()
    assert "Share correct by activation" in html


def test_choice_admin_permissions_are_the_instructors(db):
    permissions = Permission.objects.filter(content_type__app_label="quizzes",
                                            content_type__model="choice")
    assert permissions.count() == 4 and Choice._meta.model_name == "choice"


def test_validation_speaks_portuguese_to_a_portuguese_instructor(instructor_client, lesson):
    instructor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "pt-BR"
    response = instructor_client.post(ADD_URL, question_data(
        lesson, kind="numeric", answer="", rtol="-1"))
    assert "As tolerâncias não podem ser negativas." in errors_of(response)
