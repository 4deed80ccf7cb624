"""The Redis cache backend keeps one client per connection pool (storage/redis_cache.py)."""

import os
import uuid

import pytest

from storage.redis_cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"),
                                reason="needs REDIS_URL: a Redis to talk to")


def test_the_redis_cache_reuses_its_client_and_still_works():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"cache-test-{uuid.uuid4().hex}"})

    cache.set("answer", {"value": 42}, 30)

    assert cache.get("answer") == {"value": 42}
    assert cache.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    assert cache.add("answer", "other", 30) is False
    cache.delete("answer")
    assert cache.get("answer") is None


def test_a_count_in_window_reads_other_keys_in_its_round_trip():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"cache-test-{uuid.uuid4().hex}"})
    cache.set("generation", "abc", 30)
    cache.set("entry", {"value": [1, 2]}, 30)

    first = cache.count_in_window("now", "before", 30, ["generation", "entry", "missing"])
    second = cache.count_in_window("now", "before", 30)

    assert first == (1, 0, {"generation": "abc", "entry": {"value": [1, 2]}})
    assert second == (2, 0, {})
    assert cache.get_many(["generation", "entry", "missing"]) == first[2]
