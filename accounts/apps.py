from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Failed and successful logins, whichever path they came by, feed the login limit.
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .login_guard import on_logged_in, on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="accounts.login_guard.failed")
        user_logged_in.connect(on_logged_in, dispatch_uid="accounts.login_guard.logged_in")
