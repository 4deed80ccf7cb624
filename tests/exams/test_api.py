"""The exam's API: start or continue, answer, submit (idempotent), list; problems in the
request's language."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from exams.models import ExamItem
from exams.sheet import item_snapshot, item_variant

from .conftest import right_answer

BASE = "/api/v1/courses/redes-neurais/chapters/backpropagation/exam/"


@pytest.fixture
def api(learner):
    client = APIClient()
    client.force_authenticate(learner)
    return client


def test_the_exam_is_described_to_everyone(exam):
    body = APIClient().get(BASE, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["page"] == exam.page and body["pass_percent"] == exam.pass_percent
    assert body["questions"] == exam.chapter.lessons.count()
    assert body["title"] == exam.title_en
    assert APIClient().post(f"{BASE}attempts/").status_code == 401


def test_start_continue_answer_submit_and_list(api, exam, learner):
    started = api.post(f"{BASE}attempts/", HTTP_ACCEPT_LANGUAGE="en")
    assert started.status_code == 201
    body = started.json()
    assert body["number"] == 1 and body["submitted_at"] is None
    assert all(question["result"] is None for question in body["questions"])
    assert "is_correct" not in str(body) and "correct_choices" not in str(body)
    assert api.post(f"{BASE}attempts/").status_code == 200  # the open one, continued

    numeric = next(q for q in body["questions"] if q["kind"] == "numeric")
    url = f"{BASE}attempts/1/questions/{numeric['position']}/answer/"
    bad = api.put(url, {"answer": "twelve"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    [error] = bad.json()["errors"]
    assert error["attr"] == "answer" and error["detail"].startswith("I could not read")
    bad_pt = api.put(url, {"answer": "doze"}, format="json", HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert bad_pt.json()["errors"][0]["detail"].startswith("Não consegui ler")

    for item in ExamItem.objects.filter(attempt__user=learner):
        answer = right_answer(item_snapshot(item, "en"), item_variant(item))
        saved = api.put(f"{BASE}attempts/1/questions/{item.position}/answer/",
                        {"answer": answer}, format="json")
        assert saved.status_code == 200 and saved.json()["answer"] is not None

    submitted = api.post(f"{BASE}attempts/1/submit/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (submitted["percent"], submitted["passed"]) == (100, True)
    assert all(q["result"]["correct"] and q["result"]["explanation"]
               for q in submitted["questions"])
    again = api.post(f"{BASE}attempts/1/submit/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert again == submitted
    closed = api.put(url, {"answer": "1"}, format="json")
    assert closed.status_code == 409 and closed.json()["code"] == "attempt_submitted"

    listed = api.get(f"{BASE}attempts/").json()
    assert [(row["number"], row["percent"], row["passed"]) for row in listed["results"]] == [
        (1, 100, True)]
    assert api.post(f"{BASE}attempts/").status_code == 201  # a retake, once submitted


def test_another_learners_attempt_is_not_found(api, exam, django_user_model):
    api.post(f"{BASE}attempts/")
    other = APIClient()
    other.force_authenticate(django_user_model.objects.create_user(username="o", password="x"))
    assert other.get(f"{BASE}attempts/1/").status_code == 404
    assert other.post(f"{BASE}attempts/1/submit/").status_code == 404
