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
