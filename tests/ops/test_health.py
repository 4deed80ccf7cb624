"""Liveness never touches the database; readiness says which dependency is missing."""

import pytest
from django.db import OperationalError
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_liveness_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_checks_the_database_and_the_cache(client):
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert any("SELECT 1" in query["sql"] for query in queries)


@pytest.mark.django_db
def test_readiness_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("ops.health.connection.cursor", refuse)
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def test_health_checks_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
