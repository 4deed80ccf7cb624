"""Password reset on the web: Django's views, in the learner's language, with a limit.

Django's reset neither says whether an address has an account nor keeps a token after
use; what it lacks is a bound on the e-mails one client can make the site send, so each
address may ask ``PASSWORD_RESETS_PER_ADDRESS`` times per ``PASSWORD_RESET_WINDOW_SECONDS``.
The e-mail is written in the language of the page it was asked from, and its link opens
the reset page in that language.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import ngettext

from storage.redis_cache import counter_store

from .login_guard import client_address

KEY_PREFIX = "password-resets"
# How the e-mail is written, for the web page's reset and the app's alike.
EMAIL_TEMPLATE = "registration/password_reset_email.txt"
EMAIL_CONTEXT = {"site_name": "Gradiente"}


def _count_request(request) -> bool:
    """Count one reset request from this client; return False once it is over the limit."""
    key, seconds = f"{KEY_PREFIX}:{client_address(request)}", settings.PASSWORD_RESET_WINDOW_SECONDS
    store = counter_store(cache)
    if store.add(key, 1, seconds):
        return True
    try:
        count = store.incr(key)
    except ValueError:  # the window ended between add and incr
        store.set(key, 1, seconds)
        return True
    return count <= settings.PASSWORD_RESETS_PER_ADDRESS


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's form, refusing (with a message) a client that asked too often."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if self.request is not None and not _count_request(self.request):
            minutes = max(1, round(settings.PASSWORD_RESET_WINDOW_SECONDS / 60))
            raise ValidationError(ngettext(
                "Too many password reset requests from this address. Try again in "
                "%(minutes)d minute.",
                "Too many password reset requests from this address. Try again in "
                "%(minutes)d minutes.", minutes) % {"minutes": minutes},
                code="too_many_resets")
        return cleaned

    def send(self, request) -> None:
        """E-mail the link (to the account with the address, if there is one)."""
        self.save(request=request, use_https=request.is_secure(),
                  email_template_name=EMAIL_TEMPLATE, extra_email_context=EMAIL_CONTEXT)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LimitedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")
    email_template_name = EMAIL_TEMPLATE
    extra_email_context = EMAIL_CONTEXT

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")
    # The learner who proved they own the address is logged in at once, as after sign-up.
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

