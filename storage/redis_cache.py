"""Django's Redis cache, keeping its Redis client and living through a Redis outage.

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` for every cache call,
and building one (its table of response callbacks) costs more than the round trip it
makes on a loopback Redis: several of them per API request (throttling, the cached
lesson bodies, their generations). A client over a connection pool is thread-safe, and
Django's cache objects are per thread anyway, so one client per pool is kept.

:meth:`RedisCache.count_in_window` counts a request and reads the previous window's count
in one round trip (Django's ``incr`` alone needs two: it checks first that the key
exists); the API's throttles count every request with it (api/throttling.py), and read
in the same round trip what the view says it will read (an answer's content generation).

When Redis cannot be reached (Django's backend would raise on every call, so every page
would be a 500), the cache degrades instead (docs/adr/0004-cache-outage.md): reads miss,
writes are dropped (``add`` says "added": there is nothing shared to collide with; the
database's constraints are what guarantee exactly-once), and counters (throttles, the
login limit through :func:`counter_store`) count in this process's memory. After a
failure Redis is left alone for ``OUTAGE_RETRY_SECONDS`` (so a request does not wait for
a timeout on every call), then tried again: when it is back it is used, no restart.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from django.core.cache.backends import redis
from django.core.cache.backends.locmem import LocMemCache
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

UNREACHABLE = (redis_errors.ConnectionError, redis_errors.TimeoutError)
# How often, at most, an ongoing outage is logged again.
WARNING_INTERVAL_SECONDS = 60


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


class _Outage:
    """Whether a Redis server is reachable, shared by the threads of this process."""

    def __init__(self, retry_seconds: float):
        self.retry_seconds = retry_seconds
        self.down = False  # from a failure to the next success
        self.down_until = 0.0  # time.monotonic() before which Redis is not tried
        self.warned_at = None
        self.lock = threading.Lock()

    def skips(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, location: str, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down, self.down_until = True, now + self.retry_seconds
            if self.warned_at is None or now - self.warned_at >= WARNING_INTERVAL_SECONDS:
                self.warned_at = now
                logger.warning("Redis at %s is unreachable (%s): the cache is degraded "
                               "(reads miss, writes dropped, counters per process)",
                               location, error.__class__.__name__)

    def succeeded(self, location: str, local: LocMemCache) -> None:
        if not self.down:
            return
        with self.lock:
            if self.down:
                self.down, self.warned_at = False, None
                local.clear()  # what was counted during the outage is done with
                logger.warning("Redis at %s is reachable again: the cache is shared again",
                               location)


_outages: dict[str, _Outage] = {}


def _degrades(fallback):
    """Make a cache method call ``fallback(self, *args, **kwargs)`` while Redis is down."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self.outage.skips():
                return fallback(self, *args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self.outage.failed(self._location, error)
                return fallback(self, *args, **kwargs)
            self.outage.succeeded(self._location, self.local)
            return result

        return wrapper

    return decorate


def _miss(self, key, default=None, version=None):
    return default


def _key_not_found(self, key, delta=1, version=None):
    raise ValueError(f"Key '{key}' not found.")  # as Django's incr says of a missing key


def _added(self, *args, **kwargs):
    return True


def _dropped(self, *args, **kwargs):
    return None


def _none_written(self, *args, **kwargs):
    return []  # set_many: the keys that failed (none: the write is dropped on purpose)


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("OUTAGE_RETRY_SECONDS", 1.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self._location = server
        self.outage = _outages.setdefault(server, _Outage(retry_seconds))
        # Shared by every thread of this process (local-memory caches share by name).
        self.local = LocMemCache(f"redis-outage:{server}", {"MAX_ENTRIES": 10_000})

    get = _degrades(_miss)(redis.RedisCache.get)
    get_many = _degrades(lambda self, keys, version=None: {})(redis.RedisCache.get_many)
    has_key = _degrades(lambda self, key, version=None: False)(redis.RedisCache.has_key)
    add = _degrades(_added)(redis.RedisCache.add)
    set = _degrades(_dropped)(redis.RedisCache.set)
    set_many = _degrades(_none_written)(redis.RedisCache.set_many)
    touch = _degrades(lambda self, *args, **kwargs: False)(redis.RedisCache.touch)
    delete = _degrades(lambda self, *args, **kwargs: False)(redis.RedisCache.delete)
    delete_many = _degrades(_dropped)(redis.RedisCache.delete_many)
    incr = _degrades(_key_not_found)(redis.RedisCache.incr)
    clear = _degrades(_dropped)(redis.RedisCache.clear)

    def is_down(self) -> bool:
        """Return whether Redis failed and has not answered since."""
        return self.outage.down

    @_degrades(lambda self, key, previous_key, timeout, also_get=(): (*_count_locally(
        self.local, key, previous_key, timeout), {}))
    def count_in_window(self, key: str, previous_key: str, timeout: int,
                        also_get: Sequence[str] = ()) -> tuple[int, int, dict[str, Any]]:
        """Add one to the counter ``key`` (it expires ``timeout`` seconds later); return its
        new value, that of the counter ``previous_key`` and the values of the keys
        ``also_get`` as ``get_many`` returns them (so a request's other reads can share
        the round trip). One round trip, atomic."""
        key, previous_key = self.make_and_validate_key(key), self.make_and_validate_key(
            previous_key)
        client = self._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=False).incr(key).expire(key, timeout).get(
            previous_key)
        if also_get:
            pipeline.mget([self.make_and_validate_key(name) for name in also_get])
        current, _expiry_set, previous, *read = pipeline.execute()
        values = read[0] if read else []
        loads = self._cache._serializer.loads
        found = {name: loads(value) for name, value in zip(also_get, values, strict=True)
                 if value is not None}
        return current, int(previous or 0), found

    @_degrades(lambda self, key: _uncount_locally(self.local, key))
    def uncount(self, key: str) -> None:
        """Take one back from the counter ``key`` (a request that was refused)."""
        key = self.make_and_validate_key(key)
        self._cache.get_client(key, write=True).decr(key)


def counter_store(cache):
    """Return where to keep counters: ``cache``, or while its Redis is unreachable this
    process's memory (so a limit still holds, per process, during an outage)."""
    is_down = getattr(cache, "is_down", None)  # also through django.core.cache.cache
    if is_down is not None and is_down():
        return cache.local
    return cache


def _count_locally(local: LocMemCache, key: str, previous_key: str,
                   timeout: int) -> tuple[int, int]:
    local.add(key, 0, timeout)
    try:
        return local.incr(key), local.get(previous_key, 0)
    except ValueError:  # expired between add and incr
        local.set(key, 1, timeout)
        return 1, local.get(previous_key, 0)


def _uncount_locally(local: LocMemCache, key: str) -> None:
    try:
        local.decr(key)
    except ValueError:  # counted in Redis before the outage: nothing here to take back
        pass
