"""Create learners and issue or revoke their API tokens: one path for the web and the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from knox.models import get_token_model


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
