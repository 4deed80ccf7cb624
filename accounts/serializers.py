"""What the app sends to register and log in, and what it gets back."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from api.fields import StrictCharField, StrictEmailField
from api.throttling import ThrottledWithReason

from .login_guard import lockout_message
from .validators import validate_email_not_registered


class UserSerializer(serializers.ModelSerializer):
    """The learner as the app shows them; the names are those printed on certificates."""

    # Plain text, not an email field: accounts made in the admin may have none.
    email = serializers.CharField(read_only=True, help_text="Empty when the account has none.")

    class Meta:
        model = get_user_model()
        fields = ["username", "email", "first_name", "last_name"]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    """A new learner's account. Every field is required: the names go on certificates."""

    # The model's text fields as strings only, as the schema says (api/fields.py).
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.CharField: StrictCharField,
                                models.EmailField: StrictEmailField}

    password = StrictCharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"},
        help_text="Checked against the password rules: long enough, not common, not only "
                  "digits, not like the other fields.",
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "email", "password", "first_name", "last_name"]
        extra_kwargs = {
            "email": {"required": True, "allow_blank": False,
                      "validators": [validate_email_not_registered]},
            "first_name": {"required": True, "allow_blank": False},
            "last_name": {"required": True, "allow_blank": False},
        }

    def validate_password(self, value: str) -> str:
        """Check the password with the other fields' errors, not after them: a learner
        fixing a form sees every problem at once. The rule that a password must not be
        like the other fields reads them as sent (they may themselves be invalid)."""
        sent = self.initial_data if isinstance(self.initial_data, Mapping) else {}
        candidate = get_user_model()(**{
            name: sent[name] for name in ("username", "email", "first_name", "last_name")
            if isinstance(sent.get(name), str)})
        try:
            password_validation.validate_password(value, user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError(get_error_detail(error)) from None
        return value


class LoginSerializer(serializers.Serializer):
    """A learner's credentials; on success ``validated_data["user"]`` is the learner."""

    username = StrictCharField()
    password = StrictCharField(write_only=True, trim_whitespace=False,
                                     style={"input_type": "password"})

    def validate(self, attrs: dict) -> dict:
        user = authenticate(
            self.context.get("request"), username=attrs["username"], password=attrs["password"]
        )
        wait = getattr(self.context.get("request"), "login_retry_after", None)
        if user is None and wait is not None:
            raise ThrottledWithReason(wait=wait, reason=lockout_message(wait))
        if user is None:
            # DRF's own wording, already translated in its catalogue.
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="invalid_credentials"
            )
        return {"user": user}


class TokenSerializer(serializers.Serializer):
    """A newly issued token: send it as ``Authorization: Token <token>`` until ``expiry``."""

    token = serializers.CharField(
        help_text="Shown once: keep it in the device's secure storage."
    )
    expiry = serializers.DateTimeField(allow_null=True)
    user = UserSerializer()
