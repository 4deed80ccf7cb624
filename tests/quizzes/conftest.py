"""Fixtures for the quizzes tests: questions, learners and instructors."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from quizzes.models import Choice, Question


@pytest.fixture
def lesson(make_lesson):
    make_lesson(1, 2, title_pt_br="Próxima lição", title_en="Next lesson", page=55)
    return make_lesson(1, 1, page=54)


@pytest.fixture
def make_question(lesson):
    """Build a question with choices given as (pt-br text, correct) or dicts of fields."""

    def make(kind=Question.Kind.SINGLE, choices=(), *, key=None, target=None, **fields):
        target = target or lesson
        key = key or f"q{Question.objects.count() + 1}"
        question = Question.objects.create(
            lesson=target, key=key, kind=kind,
            prompt_pt_br=fields.pop("prompt_pt_br", "Pergunta?"),
            prompt_en=fields.pop("prompt_en", "Question?"),
            explanation_pt_br=fields.pop("explanation_pt_br", "Porque sim."),
            explanation_en=fields.pop("explanation_en", "Because."),
            **fields,
        )
        for order, choice in enumerate(choices):
            values = choice if isinstance(choice, dict) else {
                "text_pt_br": choice[0], "text_en": f"{choice[0]} (en)", "is_correct": choice[1]}
            Choice.objects.create(question=question, order=order, **values)
        return question

    return make


@pytest.fixture
def single_question(make_question):
    return make_question(Question.Kind.SINGLE, [("Errada", False), ("Certa", True),
                                                ("Outra", False)])


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user("ana", password="senha-longa-123")


@pytest.fixture
def other_learner(db):
    return get_user_model().objects.create_user("bruno", password="senha-longa-123")


@pytest.fixture
def instructor(db):
    user = get_user_model().objects.create_user("prof", password="senha-longa-123",
                                                is_staff=True)
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


@pytest.fixture
def instructor_client(client, instructor):
    """The instructor's browser, asking for English (the admin's default is Portuguese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(instructor)
    return client


@pytest.fixture
def choice_ids():
    """Return a question's choice ids in their order."""

    def ids(question):
        return list(question.choices.order_by("order").values_list("id", flat=True))

    return ids
