"""The web sign-up form (the same fields and rules as the API's registration) and login forms."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .login_guard import lockout_message
from .validators import validate_email_not_registered


class SignUpForm(UserCreationForm):
    """A learner's account; first and last name are required because certificates carry them."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["first_name", "last_name", "username", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        # Django's model labels read as machine text in Portuguese ("Primeiro nome").
        self.fields["first_name"].label = _("First name")
        self.fields["last_name"].label = _("Last name")
        self.fields["email"].validators.append(validate_email_not_registered)

    def learner_fields(self) -> dict:
        """Return the arguments of ``register_learner`` from the cleaned form."""
        data = self.cleaned_data
        return {
            "username": data["username"], "email": data["email"],
            "password": data["password1"],
            "first_name": data["first_name"], "last_name": data["last_name"],
        }


class LoginLimitMessageMixin:
    """Say that the login limit refused a form's login, and for how long, instead of the
    usual "wrong username or password" (which would send the learner guessing again)."""

    def get_invalid_login_error(self):
        wait = getattr(self.request, "login_retry_after", None)
        if wait is None:
            return super().get_invalid_login_error()
        return ValidationError(lockout_message(wait), code="too_many_failures")


class LoginForm(LoginLimitMessageMixin, AuthenticationForm):
    """The learners' login form."""


class AdminLoginForm(LoginLimitMessageMixin, AdminAuthenticationForm):
    """The admin's login form."""
