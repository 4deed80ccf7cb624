"""Certificates issued before chapter exams existed are kept as they were, and their
public page says so (progress/migrations/0002_certificate_record.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from progress.models import Certificate

CODE = "7K2MQ-X9P4T-WA8HN-C3RDE"
COMPLETED_AT = datetime(2026, 3, 2, 18, 5, tzinfo=UTC)


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_the_migration_leaves_earlier_certificates_as_they_were(django_user_model):
    _migrate([("progress", "0001_initial")])
    apps = MigrationExecutor(connection).loader.project_state(
        [("progress", "0001_initial")]).apps
    user = apps.get_model("auth", "User").objects.create(username="ana", first_name="Ana")
    course = apps.get_model("course", "Course").objects.create(slug="redes", title_pt_br="R")
    apps.get_model("progress", "Certificate").objects.create(
        user=user, course=course, code=CODE, learner_name="Ana Souza", study_minutes=51,
        completed_at=COMPLETED_AT)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    certificate = Certificate.objects.get(code=CODE)
    assert (certificate.learner_name, certificate.study_minutes, certificate.completed_at,
            certificate.revoked_at) == ("Ana Souza", 51, COMPLETED_AT, None)
    assert certificate.record == {} and certificate.predates_exam


@pytest.mark.parametrize(("language", "says"), [
    ("pt-br", "antes de o curso ter uma prova"), ("en", "before the course had a chapter exam")])
def test_an_earlier_certificate_says_it_predates_the_exam(client, make_lesson,
                                                          django_user_model, language, says):
    lesson = make_lesson()
    user = django_user_model.objects.create_user(username="ana", password="x")
    Certificate.objects.create(user=user, course=lesson.course, code=CODE, learner_name="Ana",
                               study_minutes=51, completed_at=COMPLETED_AT)
    page = client.get(f"/{language}/certificates/{CODE}/").content.decode()
    assert says in page
