"""The web sign-up form: the same fields and rules as the API's registration."""

from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

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
        self.fields["email"].validators.append(validate_email_not_registered)

    def learner_fields(self) -> dict:
        """Return the arguments of ``register_learner`` from the cleaned form."""
        data = self.cleaned_data
        return {
            "username": data["username"], "email": data["email"],
            "password": data["password1"],
            "first_name": data["first_name"], "last_name": data["last_name"],
        }
