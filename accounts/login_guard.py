"""A limit on failed logins, the same on every login path (web, admin, API).

Failures are counted per *account at a client address* (the username, lowercased,
with the address) and per *client address*, in Django's cache: Redis when ``REDIS_URL``
is set, so every app process enforces one limit (while Redis is unreachable, each
process counts on its own: docs/adr/0004-cache-outage.md). Past a limit, logins from that address
(for that account, or for any) are refused for the rest of a window of
``LOGIN_LOCKOUT_SECONDS`` that started with the first counted failure.

Why not lock the account itself: an attacker could then keep a learner out forever by
failing on purpose from anywhere. Keyed by address, the lock stops guessing from that
address and leaves the learner, elsewhere, unaffected; the per-address limit stops one
address spraying many accounts. The decision is written up in
docs/adr/0003-login-limits.md.

The guard is an authentication backend listed first: Django's ``authenticate()`` asks
it before any other, so every caller of ``authenticate()`` is covered without knowing
of it. Refusing, it raises ``PermissionDenied`` (which ends ``authenticate()``) and
leaves ``request.login_retry_after`` so forms and the API can say when to try again.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle

from storage.redis_cache import counter_store

# Every key of the login limit starts with this (tests give each test its own).
KEY_PREFIX = "login-failures"


def lockout_message(wait: int) -> str:
    """Return, in the active language, that logins are refused for about ``wait`` seconds."""
    minutes = max(1, round(wait / 60))
    return ngettext(
        "Too many failed logins from this address. Try again in %(minutes)d minute.",
        "Too many failed logins from this address. Try again in %(minutes)d minutes.",
        minutes) % {"minutes": minutes}


def client_address(request) -> str:
    """Return the client's address as the API's throttles see it (``NUM_PROXIES``)."""
    return BaseThrottle().get_ident(request) or "unknown"


def _keys(request, username: str) -> list[tuple[str, int]]:
    address = client_address(request)
    account = hashlib.sha256(f"{username.strip().lower()}\x00{address}".encode()).hexdigest()
    return [(f"{KEY_PREFIX}:account:{account[:32]}", settings.LOGIN_FAILURES_PER_ACCOUNT),
            (f"{KEY_PREFIX}:address:{address}", settings.LOGIN_FAILURES_PER_ADDRESS)]


def retry_after(request, username: str) -> int | None:
    """Return the seconds until ``username`` may log in from this client, or None if now."""
    waits, store = [], counter_store(cache)
    for key, limit in _keys(request, username):
        counted = store.get_many([key, f"{key}:until"])
        if counted.get(key, 0) >= limit:
            waits.append(max(1, int(counted.get(f"{key}:until", 0) - time.time())))
    return max(waits, default=None)


def record_failure(request, username: str) -> None:
    """Count a failed login in each of its windows (a window starts at its first failure)."""
    seconds, store = settings.LOGIN_LOCKOUT_SECONDS, counter_store(cache)
    for key, _limit in _keys(request, username):
        if store.add(key, 1, seconds):
            store.set(f"{key}:until", time.time() + seconds, seconds)
        else:
            try:
                store.incr(key)
            except ValueError:  # the window ended between add and incr
                store.set(key, 1, seconds)
                store.set(f"{key}:until", time.time() + seconds, seconds)


def forget_failures(request, username: str) -> None:
    """Clear the account's count at this address after a successful login."""
    key, _limit = _keys(request, username)[0]
    counter_store(cache).delete_many([key, f"{key}:until"])


class LoginGuardBackend:
    """Refuse to authenticate from a client that is over a failure limit."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        wait = retry_after(request, username)
        if wait is not None:
            request.login_retry_after = wait
            raise PermissionDenied("too many failed logins")
        return None

    # No get_user(): a session is never this backend's, and Django's force_login() and
    # login() pick the first backend that has one.


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Count a failure, unless the guard itself refused it (that would extend the lock)."""
    username = credentials.get("username")
    if request is not None and username and not hasattr(request, "login_retry_after"):
        record_failure(request, username)


def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        forget_failures(request, user.get_username())
