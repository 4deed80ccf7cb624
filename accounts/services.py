"""Create learners, issue or revoke their API tokens (one path for the web and the app),
and lock a learner while their answers and progress are written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from knox.models import get_token_model

from storage import sql


@dataclass(frozen=True)
class IssuedToken:
    """A token as handed to the app: the only moment its plaintext exists on the server."""

    token: str
    expiry: datetime | None
    user: AbstractBaseUser


def register_learner(
    *, username: str, email: str, password: str, first_name: str, last_name: str
) -> AbstractBaseUser:
    """Create a learner account; the names are the ones a certificate will carry."""
    return get_user_model().objects.create_user(
        username=username, email=email, password=password,
        first_name=first_name, last_name=last_name,
    )


def issue_token(*, user: AbstractBaseUser, request=None) -> IssuedToken:
    """Issue a new API token for one device; only its hash is stored (django-rest-knox)."""
    instance, token = get_token_model().objects.create(user=user)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return IssuedToken(token=token, expiry=instance.expiry, user=user)


def lock_learner(user: AbstractBaseUser) -> None:
    """Take the learner's row lock for the rest of the transaction.

    Everything that counts a learner's answers or completes their lessons takes it first
    (quizzes' answers, progress's completions), so that one learner's writes happen one at
    a time and the locks are always taken in the same order: the user row first. It lives
    with the user because both of those apps need it and neither may import the other.
    A no-op on SQLite, whose writes are serialized anyway; sent as SQL (storage/sql.py)
    because every answer takes it.
    """
    sql.lock_row(get_user_model(), user.pk)
