"""Property-based run of schemathesis over the whole published schema, in process.

Every operation (ours and the simulations') gets generated requests (25 each), with a
learner's token; answers go to real questions most of the time. No answer may be a
server error, and every answer must be one the schema declares: status, content type,
headers and body. The schema is generated here as /api/schema/ serves it (schemathesis'
fixture-based loader does not run under pytest 9).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import ScopedRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]

with translation.override("en"):
    schema = schemathesis.openapi.from_dict(
        SchemaGenerator().get_schema(request=None, public=True))


@pytest.fixture
def app_under_test(settings):
    """The project's WSGI application, as schemathesis calls it (as host "localhost").

    As Django's test client does, requests must not close the database connection: it
    holds the test's transaction (PostgreSQL would lose it; SQLite's in-memory one not).
    """
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow])
def test_every_operation_answers_as_the_schema_says(
    case, course_text, quiz, learner_token, app_under_test, monkeypatch,
):
    # Hundreds of answers per run: past the per-minute limit, every one would be a 429.
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "attempts", "100000/minute")
    if "question_id" in (case.path_parameters or {}):
        # Answer real questions (a random id is only ever a 404): every kind, in turn.
        questions = [quiz.single, quiz.multiple, quiz.numeric, quiz.simulated]
        index = abs(hash(repr(case.body))) % (len(questions) + 1)
        if index < len(questions):
            case.path_parameters["question_id"] = questions[index].pk
    case.call_and_validate(app=app_under_test, checks=CHECKS,
                           headers={"Authorization": f"Token {learner_token}"})
