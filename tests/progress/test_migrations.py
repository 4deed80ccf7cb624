"""Moving progress and certificates from course to their own app keeps every row and every
permission (course/migrations/0004, progress/migrations/0001).

The database is migrated back to where the models were the course app's, given a learner
with progress and a certificate there, and migrated forward again, as an existing
installation is on its next deploy. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from progress.models import Certificate, LessonProgress

BEFORE_THE_MOVE = [("course", "0003_progress_certificates"), ("progress", None)]
MOVED = ("certificate", "lessonprogress")
INSTRUCTOR_GRANTS = {"view_certificate", "change_certificate", "view_lessonprogress"}
CODE = "7K2MQ-X9P4T-WA8HN-C3RDE"
READ_AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
COMPLETED_AT = datetime(2026, 3, 2, 18, 5, tzinfo=UTC)

course_0003 = importlib.import_module("course.migrations.0003_progress_certificates")


def migrate(targets):
    """Migrate the test database to ``targets``; return the executor that did it."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def migrate_to_the_end() -> None:
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def learner_in_the_course_app(apps) -> dict:
    """Create, with the models as course's 0003 left them, what a learner had before."""
    user = apps.get_model("auth", "User").objects.create(
        username="ana.s", first_name="Ana", last_name="Souza")
    course = apps.get_model("course", "Course").objects.create(
        slug="redes", title="Redes", title_pt_br="Redes", title_en="Networks")
    chapter = apps.get_model("course", "Chapter").objects.create(
        course=course, number=18, slug="backprop", title="Backprop", title_pt_br="Backprop")
    lesson = apps.get_model("course", "Lesson").objects.create(
        chapter=chapter, course=course, number=8, slug="gradientes", page=54,
        title="Gradientes", title_pt_br="Gradientes")
    progress = apps.get_model("course", "LessonProgress").objects.create(
        user=user, lesson=lesson, read_at=READ_AT, completed_at=COMPLETED_AT)
    certificate = apps.get_model("course", "Certificate").objects.create(
        user=user, course=course, code=CODE, learner_name="Ana Souza", study_minutes=8,
        completed_at=COMPLETED_AT)
    return {"user": user.pk, "lesson": lesson.pk, "course": course.pk,
            "progress": progress.pk, "certificate": certificate.pk}


def instructor_grants(app_label: str) -> dict[str, int]:
    """Return the Instructors group's permissions on the moved models under ``app_label``."""
    group = Group.objects.get(name="Instructors")
    permissions = group.permissions.filter(content_type__app_label=app_label,
                                           content_type__model__in=MOVED)
    return dict(permissions.values_list("codename", "pk"))


@pytest.mark.django_db(transaction=True)
def test_moving_the_models_keeps_every_row_and_permission():
    try:
        executor = migrate(BEFORE_THE_MOVE)
        old_apps = executor.loader.project_state(BEFORE_THE_MOVE[:1]).apps
        # As course's 0003 left an existing database (an earlier test may have flushed it).
        course_0003.grant_instructor_permissions(old_apps, None)
        ContentType.objects.clear_cache()
        before = learner_in_the_course_app(old_apps)
        grants_before = instructor_grants("course")
        assert set(grants_before) == INSTRUCTOR_GRANTS

        migrate_to_the_end()

        progress = LessonProgress.objects.get()
        assert (progress.pk, progress.user_id, progress.lesson_id) == (
            before["progress"], before["user"], before["lesson"])
        assert (progress.read_at, progress.completed_at) == (READ_AT, COMPLETED_AT)
        certificate = Certificate.objects.get()
        assert (certificate.pk, certificate.code, certificate.user_id, certificate.course_id) == (
            before["certificate"], CODE, before["user"], before["course"])
        assert (certificate.learner_name, certificate.study_minutes) == ("Ana Souza", 8)
        # The same permission rows, granted as before, now under the progress app.
        assert instructor_grants("progress") == grants_before
        assert not ContentType.objects.filter(app_label="course", model__in=MOVED).exists()
        assert ContentType.objects.get_for_model(Certificate).app_label == "progress"
    finally:
        migrate_to_the_end()


@pytest.mark.django_db
def test_a_fresh_database_grants_instructors_the_progress_permissions():
    assert set(instructor_grants("progress")) == INSTRUCTOR_GRANTS
    assert not ContentType.objects.filter(app_label="course", model__in=MOVED).exists()
