"""Instructors see progress and revoke certificates in the admin (progress/admin.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from progress.models import Certificate
from progress.services import issue_certificate, mark_lesson_read


@pytest.fixture
def instructor(db):
    user = User.objects.create_user("prof", password="pw-prof-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


@pytest.fixture
def certificate(learner, small_course):
    return issue_certificate(user=learner, course=small_course.course)


def test_an_instructor_revokes_a_certificate_with_a_reason(client, instructor, certificate):
    client.force_login(instructor)
    url = "/admin/progress/certificate/"
    action = {"action": "revoke", "_selected_action": [certificate.pk]}
    confirm = client.post(url, action)
    assert confirm.status_code == 200 and certificate.code in confirm.content.decode()
    assert client.post(url, {**action, "reason": ""}).status_code == 200  # a reason is needed
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    done = client.post(url, {**action, "reason": "Answers copied from another learner."})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_reason == "Answers copied from another learner."
    assert "revoked on" in client.get(f"/en/certificates/{certificate.code}/").content.decode()

    client.post(url, {"action": "reinstate", "_selected_action": [certificate.pk]})
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_certificates_are_never_added_edited_or_deleted_by_hand(client, instructor, certificate):
    client.force_login(instructor)
    assert client.get("/admin/progress/certificate/add/").status_code == 403
    page = client.get(f"/admin/progress/certificate/{certificate.pk}/change/")
    assert page.status_code == 200
    assert 'name="learner_name"' not in page.content.decode()  # read-only
    assert client.get(f"/admin/progress/certificate/{certificate.pk}/delete/").status_code == 403
    assert Certificate.objects.count() == 1


def test_lesson_progress_is_a_read_only_list(client, instructor, learner, small_course):
    progress = mark_lesson_read(user=learner, lesson=small_course.lessons[0])
    client.force_login(instructor)
    page = client.get("/admin/progress/lessonprogress/")
    assert page.status_code == 200 and "ana.s" in page.content.decode()
    assert client.get("/admin/progress/lessonprogress/add/").status_code == 403
    change = client.get(f"/admin/progress/lessonprogress/{progress.pk}/change/")
    assert change.status_code == 200 and 'name="read_at' not in change.content.decode()


@pytest.mark.parametrize(("old", "new"), [
    ("/admin/course/certificate/", "/admin/progress/certificate/"),
    ("/admin/course/certificate/7/change/?_changelist_filters=x",
     "/admin/progress/certificate/7/change/?_changelist_filters=x"),
    ("/admin/course/lessonprogress/", "/admin/progress/lessonprogress/"),
])
def test_the_old_admin_addresses_lead_to_the_progress_app(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new
