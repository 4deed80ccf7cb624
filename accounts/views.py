"""The web sign-up page: create the account, log it in, and go where the learner was going."""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import RedirectURLMixin
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.views.generic import FormView

from .forms import SignUpForm
from .services import register_learner


class SignUpView(RedirectURLMixin, FormView):
    form_class = SignUpForm
    template_name = "accounts/signup.html"

    def form_valid(self, form):
        learner = register_learner(**form.learner_fields())
        login(self.request, learner, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)

    def get_default_redirect_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL)
