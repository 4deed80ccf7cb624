"""Django's Redis cache, keeping its Redis client instead of building one per operation.

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` for every cache call,
and building one (its table of response callbacks) costs more than the round trip it
makes on a loopback Redis: several of them per API request (throttling, the cached
lesson bodies, their generations). A client over a connection pool is thread-safe, and
Django's cache objects are per thread anyway, so one client per pool is kept.

:meth:`RedisCache.count_in_window` counts a request and reads the previous window's count
in one round trip (Django's ``incr`` alone needs two: it checks first that the key
exists); the API's throttles count every request with it (api/throttling.py).
"""

from __future__ import annotations

from django.core.cache.backends import redis


class ReusedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def count_in_window(self, key: str, previous_key: str, timeout: int) -> tuple[int, int]:
        """Add one to the counter ``key`` (it expires ``timeout`` seconds later); return its
        new value and that of the counter ``previous_key``. One round trip, atomic."""
        key, previous_key = self.make_and_validate_key(key), self.make_and_validate_key(
            previous_key)
        client = self._cache.get_client(key, write=True)
        current, _expiry_set, previous = (
            client.pipeline(transaction=False).incr(key).expire(key, timeout)
            .get(previous_key).execute())
        return current, int(previous or 0)

    def uncount(self, key: str) -> None:
        """Take one back from the counter ``key`` (a request that was refused)."""
        key = self.make_and_validate_key(key)
        self._cache.get_client(key, write=True).decr(key)
