"""A request that loses the database gets a 503 to retry, in the learner's language."""

from django.db import InterfaceError, OperationalError
from django.test import Client
from django.utils import translation
from rest_framework.views import APIView

from ops.outage import DatabaseOutageMiddleware


def _lose_the_database(*args, **kwargs):
    raise OperationalError("terminating connection due to administrator command")


def test_an_api_request_that_loses_the_database_gets_a_503_problem_to_retry(monkeypatch):
    monkeypatch.setattr(APIView, "initial", _lose_the_database)
    # The error is still signalled (error monitors see the outage): don't re-raise it here.
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="pt-BR")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["title"] == "Serviço indisponível" and body["code"] == "service_unavailable"
    assert body["detail"].startswith("O serviço está indisponível por um momento.")


def test_a_page_that_loses_the_database_gets_a_503_page_in_the_learners_language(rf):
    request = rf.get("/en/courses/redes-neurais/")
    with translation.override("en"):
        response = DatabaseOutageMiddleware(lambda request: None).process_exception(
            request, InterfaceError("connection already closed"))

    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert '<html lang="en">' in page and "Reload this page in 5 seconds." in page


def test_other_errors_are_left_to_django(rf):
    middleware = DatabaseOutageMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/en/"), ValueError("a bug")) is None
