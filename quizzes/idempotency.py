"""``Idempotency-Key`` on a learner's POSTs: a retried request is answered once, recorded once.

The semantics of the IETF httpapi draft "The Idempotency-Key HTTP Header Field" and of
Stripe's API (docs/api.md, "Idempotency"):

- The key is chosen by the app, one per new request (a UUID): 1 to 64 printable ASCII
  characters, optionally quoted as the draft's structured-field string (``"…"``).
  Keys belong to the learner who sent them: two learners may use the same key.
- The same key with the same request (method, path and body, compared by a SHA-256
  *fingerprint* of their canonical form) gets the first response again, status and
  body, marked ``Idempotent-Replayed: true``; nothing new is recorded.
- The same key with another request is refused: 422.
- The same key while the first request is still being answered is refused: 409; the
  app retries a moment later and gets the stored response.
- Keys are kept for ``KEY_TTL`` (24 hours); ``manage.py purge_idempotency_keys`` deletes
  older ones, and an expired key met before the purge is treated as new.

Exactly once is the database's job, not Python's. The response is stored with its key
(an :class:`~quizzes.models.IdempotencyKey` row) in the transaction that does the work,
and the unique constraint on (learner, key) lets one such transaction commit whatever
the timing; the attempt's own unique key backs it, and the learner's row lock (taken by
``record_attempt``) makes a retry wait for the first to finish. That is all a retry
needs: it gets the stored response. The 409 is the draft's courtesy to a retry that
arrives while the first is still running. "Still running" is asked of the database too:
the transaction that answers holds a lock named after the learner and the key
(PostgreSQL's advisory transaction lock, :func:`storage.sql.try_transaction_lock`), which
a retry tries without waiting. The database releases it when that transaction ends,
however it ends: a worker killed mid-answer loses its connection, its transaction is
rolled back and the retry is answered at once, not after a time lease. Within one
process, requests being answered are also listed in memory (the same connection would
take its own lock again; SQLite has no such lock): a process that dies takes that list
with it. A retry that is told 409 by another process cannot be told 422 instead, as
that process's request body is not known: the retry a moment later gets the 422.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from storage import sql

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_TTL = timedelta(hours=24)
# Printable ASCII without spaces, optionally in the quotes of a structured-field string.
KEY_PATTERN = r'^"?[\x21-\x7e]{1,64}"?$'
_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")


class KeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still being processed. "
                       "Retry in a moment to get its response.")
    default_code = "idempotency_key_in_use"


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for a different request. "
                       "Send a new key with a new request.")
    default_code = "idempotency_key_reused"


@dataclasses.dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    headers: dict[str, str]
    replayed: bool = False


def parse_key(header: str | None) -> str:
    """Return the key a request sent ("" for none); raise a 400 for a malformed one."""
    if header is None:
        return ""
    key = header.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':  # a structured-field string
        key = key[1:-1]
    if not _KEY.match(key):
        raise exceptions.ValidationError({HEADER: [_(
            "Send 1 to 64 printable ASCII characters without spaces, such as a UUID.")]},
            code="invalid_idempotency_key")
    return key


def request_fingerprint(*, method: str, path: str, body: Any) -> str:
    """Return the SHA-256 of the request's method, path and body in canonical JSON.

    Canonical: keys sorted, no insignificant white space, so that the same data sent
    with its members in another order or spaced otherwise is the same request.
    """
    if hasattr(body, "lists"):  # a form's QueryDict: every value of every field
        body = {name: values for name, values in body.lists()}
    canonical = json.dumps([method.upper(), path, body], sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def respond_once(*, user: Any, key: str, fingerprint: str,
                 respond: Callable[[], StoredResponse]) -> StoredResponse:
    """Answer a request once per key: run ``respond`` for the first, replay it for retries.

    ``respond`` does the work (record the attempt) and returns the response; it runs in
    the transaction that stores that response with the key. Without a key it just runs.
    Raise :class:`KeyInUse` (409) or :class:`KeyReused` (422) as the draft says.
    """
    if not key:
        return respond()
    with _answering(user, key, fingerprint):
        for _round in range(2):
            try:
                with transaction.atomic():
                    if not sql.try_transaction_lock(_lock_name(user, key)):
                        raise _AnsweredElsewhere
                    response = respond()
                    sql.insert(IdempotencyKey(
                        user=user, key=key, fingerprint=fingerprint,
                        status_code=response.status, response=response.body,
                        headers=response.headers))
                return response
            except _AnsweredElsewhere:
                # Being answered by another transaction (or answered a moment ago: then
                # its response is stored by now).
                if (record := _live_record(user, key)) is not None:
                    return _replay(record, fingerprint)
                raise KeyInUse from None
            except IntegrityError:
                # Answered by a request that committed between our lock and our insert
                # (the learner's lock made this one wait for it): replay it. If the key's
                # row had expired, it is gone now: answer anew. If there is no row,
                # another constraint refused.
                record = IdempotencyKey.objects.filter(user=user, key=key).first()
                if record is None:
                    raise
                if (record := _live(record)) is not None:
                    return _replay(record, fingerprint)
        raise KeyInUse


def purge_expired_keys(*, now=None) -> int:
    """Delete the keys older than ``KEY_TTL``; return how many."""
    cutoff = (now or timezone.now()) - KEY_TTL
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class _AnsweredElsewhere(Exception):
    """Another transaction holds the key's lock: its request is being answered."""


# This process's requests being answered: (learner, key) to the request's fingerprint.
_IN_FLIGHT: dict[tuple[Any, str], str] = {}
_IN_FLIGHT_GUARD = threading.Lock()


@contextmanager
def _answering(user: Any, key: str, fingerprint: str) -> Iterator[None]:
    """List the request as being answered by this process while the block runs; raise
    :class:`KeyInUse` or :class:`KeyReused` if a request with its key already is."""
    entry = (user.pk, key)
    with _IN_FLIGHT_GUARD:
        if entry in _IN_FLIGHT:
            raise KeyInUse if _IN_FLIGHT[entry] == fingerprint else KeyReused
        _IN_FLIGHT[entry] = fingerprint
    try:
        yield
    finally:
        with _IN_FLIGHT_GUARD:
            del _IN_FLIGHT[entry]


def _lock_name(user: Any, key: str) -> str:
    return f"idempotency:{user.pk}:{key}"


def _live_record(user: Any, key: str) -> IdempotencyKey | None:
    """Return the learner's unexpired record of the key, or None."""
    record = IdempotencyKey.objects.filter(user=user, key=key).first()
    return None if record is None else _live(record)


def _live(record: IdempotencyKey) -> IdempotencyKey | None:
    """Return the record, or None if it has expired (then it is deleted: the key is new)."""
    if record.created_at >= timezone.now() - KEY_TTL:
        return record
    IdempotencyKey.objects.filter(pk=record.pk, created_at=record.created_at).delete()
    return None


def _replay(record: IdempotencyKey, fingerprint: str) -> StoredResponse:
    """Return the stored response; raise :class:`KeyReused` if it was another request's."""
    if record.fingerprint != fingerprint:
        raise KeyReused
    return StoredResponse(record.status_code, record.response, record.headers, replayed=True)
