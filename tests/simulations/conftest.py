"""Fixtures of the simulations' Django layer: an empty cache per test."""

import copy
import uuid

import pytest


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Give every test a cache namespace of its own (a new key prefix), so a hit is one
    this test caused; a Redis shared with anything else keeps everyone else's keys."""
    caches = copy.deepcopy(settings.CACHES)
    prefix = caches["default"].get("KEY_PREFIX", "")
    caches["default"]["KEY_PREFIX"] = f"{prefix}-{uuid.uuid4().hex}"
    settings.CACHES = caches
