"""Django's Redis cache, keeping its Redis client instead of building one per operation.

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` for every cache call,
and building one (its table of response callbacks) costs more than the round trip it
makes on a loopback Redis: several of them per API request (throttling, the cached
lesson bodies, their generations). A client over a connection pool is thread-safe, and
Django's cache objects are per thread anyway, so one client per pool is kept.
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
