"""The project as gunicorn runs it in the fault tests (``fault_app:application``).

Two test settings, from the environment the test gives: the static files the test
session collected (pages read their manifest), and how long an answer's in-flight
marker lasts (``quizzes.idempotency.IN_FLIGHT_SECONDS``: the longest an answer may
take, 60 s; a retry after a killed worker gets 409s that long, so the test shortens it).
"""

import os

import django
from django.conf import settings

settings.STATIC_ROOT = os.environ["FAULT_TEST_STATIC_ROOT"]
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the settings

from quizzes import idempotency  # noqa: E402

application = get_wsgi_application()
if "FAULT_TEST_IN_FLIGHT_SECONDS" in os.environ:
    idempotency.IN_FLIGHT_SECONDS = int(os.environ["FAULT_TEST_IN_FLIGHT_SECONDS"])
