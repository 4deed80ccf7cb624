"""Fixtures of the accounts tests: an API client, a learner, a cache of one's own."""


import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

PASSWORD = "correct horse battery staple"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user(
        username="ana", email="ana@example.com", password=PASSWORD,
        first_name="Ana", last_name="Souza",
    )


@pytest.fixture
def assert_problem_429():
    """Check a 429 problem that says when to retry, in English."""

    def check(response):
        assert response.status_code == 429, response.content
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 429 and "Too many failed logins" in body["detail"]
        return body

    return check
