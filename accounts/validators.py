"""Checks shared by the sign-up form and the API's registration."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_email_not_registered(email: str) -> None:
    """Refuse an email address another account already uses (compared case-insensitively)."""
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("An account with this email address already exists."), code="unique"
        )
