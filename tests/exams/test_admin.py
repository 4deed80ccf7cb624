"""Instructors see the exam and learners' attempts in the admin; attempts are read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from exams.services import start_attempt

from .conftest import PASSWORD


@pytest.fixture
def instructor(db, django_user_model):
    user = django_user_model.objects.create_user(username="prof", password=PASSWORD,
                                                 is_staff=True)
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


def test_instructors_see_the_exam_and_read_attempts_without_changing_them(
        client, exam, learner, instructor):
    attempt, _ = start_attempt(exam=exam, user=learner, language="pt-br")
    client.login(username=instructor.username, password=PASSWORD)
    assert exam.title_pt_br in client.get("/admin/exams/exam/").content.decode()
    assert learner.username in client.get("/admin/exams/examattempt/").content.decode()
    page = client.get(f"/admin/exams/examattempt/{attempt.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # read-only
    assert client.post(f"/admin/exams/examattempt/{attempt.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert client.get("/admin/exams/exam/add/").status_code == 403  # declared in content
