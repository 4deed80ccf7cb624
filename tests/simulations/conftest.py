"""Fixtures of the simulations' Django layer: a fresh cache per test."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache, so a hit is one this test caused."""
    cache.clear()
    yield
    cache.clear()
