"""The API's throttles, counted with one atomic increment in the shared cache.

DRF's rate throttles keep each client's recent request times as a list that every
request reads, trims and writes back: two round trips to the cache per request, and two
requests of one client handled at the same moment by two processes both read the same
list, so one of them is not counted. These keep a counter per window instead (a minute,
for "60/minute"), incremented atomically (Redis ``INCR``): one round trip, exact however
many processes share the cache. The rate applies to a sliding window, estimated as the
current window's count plus the previous window's, weighted by how much of it the
sliding window still covers (as Cloudflare's rate limiting does), so a client cannot
send twice the rate across a window's end. Rates, scopes and the 429 with
``Retry-After`` are DRF's; a refused request is not counted, as in DRF.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework import exceptions, throttling


class ThrottledWithReason(exceptions.Throttled):
    """A 429 whose detail says why in words of its own (DRF's would append its own)."""

    def __init__(self, *, wait: float, reason: str):
        super().__init__(wait=wait)
        self.reason = reason


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's ScopedRateThrottle (the view's ``throttle_scope``), counted per window."""

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        window, self.position = divmod(self.timer(), self.duration)
        counter = f"{key}_{int(window)}"
        # Each counter is read during its window and the next one.
        also_get = getattr(view, "read_with_throttle", ())
        self.current, self.previous, found = _count(
            self.cache, counter, f"{key}_{int(window) - 1}", 2 * self.duration, also_get)
        # What the view reads anyway, read in this round trip (see read_with_throttle).
        request.read_with_throttle = {name: found.get(name) for name in also_get}
        # The previous window's count, weighted by how much of it the sliding window covers.
        estimate = self.current + self.previous * (1 - self.position / self.duration)
        if estimate <= self.num_requests:
            # Kept so that the view can give it back (see refund_throttles).
            request.counted_throttles = [*getattr(request, "counted_throttles", ()),
                                         (self.cache, counter)]
            return True
        _uncount(self.cache, counter)
        self.current -= 1
        return False

    def wait(self) -> float:
        """Return the seconds until the estimate leaves room for one more request."""
        room = self.num_requests - 1  # requests counted besides the next one
        if self.current <= room and self.previous:
            # The previous window's share fades out during this one.
            fades = self.duration * (1 - (room - self.current) / self.previous)
            if fades <= self.duration:
                return max(0.0, fades - self.position)
        until_next_window = self.duration - self.position
        if self.current <= room:
            return until_next_window
        # Then this window's count fades during the next one.
        return until_next_window + self.duration * (1 - room / self.current)


def refund_throttles(request) -> None:
    """Give back what this request counted: it turned out to be no new request (a retry
    answered from the stored response, or one told to wait for its first copy)."""
    for cache, counter in getattr(request, "counted_throttles", ()):
        _uncount(cache, counter)
    request.counted_throttles = []


def read_with_throttle(request, key: str) -> Any:
    """Return the cache's value of ``key`` as the request's throttle read it (None if it
    is not there, or was not read: then the view is to read it itself).

    A view that reads a cache key on every request names it in its
    ``read_with_throttle``: the throttle reads it in the round trip that counts the
    request, moments before the view would have, and saves a round trip.
    """
    return getattr(request, "read_with_throttle", {}).get(key)


def _count(cache, key: str, previous_key: str, timeout: int,
           also_get: Sequence[str]) -> tuple[int, int, dict[str, Any]]:
    """Count one request in ``key``; return it with the count of ``previous_key`` and the
    values of the keys ``also_get`` (those there)."""
    if hasattr(cache, "count_in_window"):  # Redis: one round trip (storage/redis_cache.py)
        return cache.count_in_window(key, previous_key, timeout, also_get)
    cache.add(key, 0, timeout)  # the local-memory cache of a single process
    return cache.incr(key), cache.get(previous_key, 0), cache.get_many(also_get)


def _uncount(cache, key: str) -> None:
    if hasattr(cache, "uncount"):
        cache.uncount(key)
    else:
        cache.decr(key)
