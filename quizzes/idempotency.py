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

Exactly once is the database's job, not Python's: a request *claims* its key by
inserting an :class:`~quizzes.models.IdempotencyKey` row, committed before the work
starts, and the unique constraint on (learner, key) lets one insert win whatever the
timing. The winner does the work and stores its response in one transaction with it; a
loser reads the row (409 while it is being answered, the replay once it is done). A
failure releases the claim, so a retry can succeed. A claim whose request died (its
worker killed) is taken over after ``ABANDONED_AFTER``; the attempt's own unique key
still keeps that rare retry from counting twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_TTL = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=2)
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
    record, claimed = _claim(user, key, fingerprint)
    if not claimed:
        if record.fingerprint != fingerprint:
            raise KeyReused
        if record.state == IdempotencyKey.State.PROCESSING:
            raise KeyInUse
        return StoredResponse(record.status_code, record.response, record.headers, replayed=True)
    try:
        with transaction.atomic():
            response = respond()
            IdempotencyKey.objects.filter(pk=record.pk).update(
                state=IdempotencyKey.State.DONE, status_code=response.status,
                response=response.body, headers=response.headers,
            )
    except BaseException:
        # Nothing was recorded (the transaction rolled back): let a retry try again.
        IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyKey.State.PROCESSING
                                      ).delete()
        raise
    return response


def purge_expired_keys(*, now=None) -> int:
    """Delete the keys older than ``KEY_TTL``; return how many."""
    cutoff = (now or timezone.now()) - KEY_TTL
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _claim(user: Any, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """Insert the key's row (committed at once) and return it with True; or the existing
    row with False. An expired row is deleted and the key claimed anew; a row whose
    request was abandoned is taken over."""
    record = None
    for _round in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=fingerprint, created_at=now), True
        except IntegrityError:
            record = IdempotencyKey.objects.filter(user=user, key=key).first()
        if record is None:  # released or purged meanwhile: claim it again
            continue
        same_row = IdempotencyKey.objects.filter(pk=record.pk, created_at=record.created_at)
        if record.created_at < now - KEY_TTL:
            same_row.delete()
            continue
        abandoned = (record.state == IdempotencyKey.State.PROCESSING
                     and record.created_at < now - ABANDONED_AFTER)
        if abandoned and record.fingerprint == fingerprint and same_row.filter(
                state=IdempotencyKey.State.PROCESSING).update(created_at=now):
            record.created_at = now
            return record, True
        return record, False
    if record is None:
        raise KeyInUse
    return record, False
