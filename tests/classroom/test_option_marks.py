"""After answering, the chosen option is marked right or wrong on itself, in words (not
colour alone), with its own feedback beside it; the other options carry no mark."""

import re

import pytest

from tests.classroom.test_views import post_answer

pytestmark = pytest.mark.django_db

MARKS = {"pt-br": ("sua resposta: certa", "sua resposta: errada"),
         "en": ("your answer: right", "your answer: wrong")}


def option_items(html: str) -> list[str]:
    return re.findall(r"<li(?: class=\"[^\"]*\")?><label for=.*?</li>", html, flags=re.S)


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_a_wrong_choice_is_marked_wrong_on_the_option_itself(single_question, client,
                                                             choice_ids, lang):
    wrong = choice_ids(single_question)[0]

    html = post_answer(client, single_question, wrong, lang=lang,
                       headers={"X-Requested-With": "fetch"}).content.decode()

    items = option_items(html)
    assert len(items) == 3
    marked = [item for item in items if "option-mark" in item]
    assert len(marked) == 1 and f'value="{wrong}"' in marked[0]
    assert 'class="option-wrong"' in marked[0] and MARKS[lang][1] in marked[0]


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_the_right_choice_is_marked_right(single_question, client, choice_ids, lang):
    right = choice_ids(single_question)[1]

    html = post_answer(client, single_question, right, lang=lang,
                       headers={"X-Requested-With": "fetch"}).content.decode()

    (marked,) = [item for item in option_items(html) if "option-mark" in item]
    assert f'value="{right}"' in marked and 'class="option-right"' in marked
    assert MARKS[lang][0] in marked


def test_an_options_feedback_is_beside_it(imported_course, client):
    from quizzes.models import Question

    question = next(q for q in Question.objects.filter(kind="single", is_published=True)
                    .prefetch_related("choices") if any(c.feedback for c in q.choices.all())
                    and not q.simulation)
    choice = next(c for c in question.choices.all() if c.feedback)

    html = post_answer(client, question, choice.pk, lang="pt-br",
                       headers={"X-Requested-With": "fetch"}).content.decode()

    (marked,) = [item for item in option_items(html) if "option-mark" in item]
    assert 'class="option-feedback"' in marked
