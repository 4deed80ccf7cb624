"""Instructors author lessons in the admin, which loads nothing from outside the site."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from course.models import Lesson


@pytest.fixture
def instructor(db):
    user = User.objects.create_user("ana", password="pw-ana-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


def test_instructor_edits_a_lesson_and_its_derived_fields_follow(imported_course, client,
                                                                instructor):
    client.force_login(instructor)
    lesson = Lesson.objects.get(number=9)
    url = f"/admin/course/lesson/{lesson.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["body_en"] = "## New\n\nOnly a few words here."
    data["figures"] = "[]"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    lesson.refresh_from_db()
    assert lesson.body_html_en == "<h2>New</h2>\n<p>Only a few words here.</p>\n"
    assert lesson.reading_minutes_en == 1


def test_admin_pages_load_no_script_or_style_from_another_host(imported_course, client,
                                                              instructor):
    client.force_login(instructor)
    lesson = Lesson.objects.get(number=8)
    for url in ["/admin/", "/admin/course/lesson/", f"/admin/course/lesson/{lesson.pk}/change/"]:
        html = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
        assert external == [], url


def test_learner_cannot_reach_the_admin(db, client):
    learner = User.objects.create_user("leo", password="pw-leo-123")
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_demo_instructor_exists_only_with_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="DEBUG"):
        call_command("create_demo_instructor", verbosity=0)
    assert not User.objects.filter(username="instructor").exists()
    settings.DEBUG = True
    call_command("create_demo_instructor", verbosity=0)
    demo = User.objects.get(username="instructor")
    assert demo.is_staff and not demo.is_superuser
    assert demo.groups.filter(name="Instructors").exists()
