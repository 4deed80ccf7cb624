"""The project as gunicorn runs it in the fault tests (``fault_app:application``).

One test setting, from the environment the test gives: the static files the test
session collected (pages read their manifest).
"""

import os

import django
from django.conf import settings

settings.STATIC_ROOT = os.environ["FAULT_TEST_STATIC_ROOT"]
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the settings

application = get_wsgi_application()
