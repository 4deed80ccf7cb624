"""Fixtures of the accounts tests: an API client, a learner, a cache of one's own."""

import copy
import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def own_cache_prefix():
    """Keep this run's cache keys apart from those of other runs sharing the same Redis."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"gradiente-accounts-test-{uuid.uuid4().hex}"
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    """Start each test with nothing counted against the test client's address (127.0.0.1)."""
    scopes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    cache.delete_many([f"throttle_{scope}_127.0.0.1" for scope in scopes])


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
