"""Property-based run of schemathesis over the whole published schema, in process.

Every operation (ours and the simulations') gets generated requests, schema-valid ones
(*positive*) and schema-violating ones (*negative*), with a learner's token; answers go
to real questions most of the time. No answer may be a server error, every answer must
be one the schema declares (status, content type, headers and body), every request the
schema refuses must be refused (4xx), and every request it allows must be accepted:
2xx or 304, or 404 where the data names nothing (an unknown slug or id, a page past the
end). The few refusals of valid data that no schema can state are listed below, each
declared in the schema's responses and said in its words.

Bounded and repeatable: a fixed seed, hypothesis derandomized, a few examples per
operation; about a minute of CPU on the 2-core machine. The schema is generated here as
/api/schema/ serves it (schemathesis' fixture-based loader does not run under pytest 9).
"""

import json
import zlib

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import ScopedRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import issue_token

from .conftest import LEARNER_PASSWORD

MAX_EXAMPLES = 12  # per operation, in the fuzzing phase; the coverage phase adds its own
# No NUL in generated text: the API refuses it in every body, before any view (a rule
# of api/parsers.py that a schema cannot state for every string and every extra member;
# tests/api/test_hostile_corpus.py sends it everywhere).
CONFIG = SchemathesisConfig.from_str(f"""
seed = 20261201
[generation]
mode = "all"
deterministic = true
max-examples = {MAX_EXAMPLES}
allow-x00 = false
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "304", "404"]
""")

# Schema-valid requests that the server refuses for reasons a schema cannot state: the
# state of the data or the clock. Each is a 400 or 422 problem with this code at this
# field (None: the request as a whole), documented in the operation's description.
STATE_REFUSALS = {
    "POST /api/v1/questions/{question_id}/attempts/": {
        (400, "answered_at", "future"),  # ahead of the server's clock
        (422, None, "idempotency_key_reused"),  # a key already sent with another body
    },
    "POST /api/v1/auth/register/": {
        (400, "username", "unique"), (400, "email", "unique"),  # taken already
        # Django's password rules: length, common words, digits only, like a name.
        (400, "password", "password_too_short"), (400, "password", "password_too_common"),
        (400, "password", "password_entirely_numeric"),
        (400, "password", "password_too_similar"),
        (400, "email", "invalid"),  # Django's email check is stricter than format: email
    },
}

with translation.override("en"):
    schema = schemathesis.openapi.from_dict(
        SchemaGenerator().get_schema(request=None, public=True), config=CONFIG)


def refused_for_state(case, response) -> bool:
    """Say whether the response refuses valid data for a reason listed in STATE_REFUSALS."""
    allowed = STATE_REFUSALS.get(f"{case.method.upper()} {case.path}", set())
    if not allowed or response.status_code not in (400, 422):
        return False
    problem = json.loads(response.content)
    errors = problem.get("errors") or [{"attr": None, "code": problem.get("code")}]
    return all((response.status_code, error["attr"], error["code"]) in allowed
               for error in errors)


def positive_data_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, less the refusals no schema can state."""
    if refused_for_state(case, response):
        return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance,
          negative_data_rejection, positive_data_accepted]


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


def stable_hash(value) -> int:
    """A hash that is the same in every run (Python's hash of a str is not)."""
    return zlib.crc32(repr(value).encode("utf-8", "surrogatepass"))


def use_real_data(case, quiz, learner) -> None:
    """Point a request at things that exist, most of the time, so that the acceptance of
    valid data is tested (a random id or slug is only ever a 404, a random password a
    refused login). The rest keep their generated values: those 404s are tested too."""
    parameters = case.path_parameters or {}
    if "question_id" in parameters:  # every kind of question, in turn
        questions = [quiz.single, quiz.multiple, quiz.numeric, quiz.simulated]
        index = stable_hash(case.body) % (len(questions) + 1)
        if index < len(questions):
            parameters["question_id"] = questions[index].pk
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return  # a negative case's values are wrong on purpose
    real = {"course_slug": quiz.lesson.chapter.course.slug, "lesson_slug": quiz.lesson.slug}
    if case.path == "/api/v1/simulations/{slug}/":
        # Not run/ nor plot.{fmt}: their parameters are each simulation's own, which one
        # operation for every simulation cannot declare (an open object in the schema).
        real["slug"] = "mlp_gradient_flow"
    if not case.path.startswith("/api/v1/simulations/") or "slug" in real:
        for name in parameters.keys() & real.keys():
            if stable_hash((name, parameters[name])) % 4:  # three times in four
                parameters[name] = real[name]
    if case.path == "/api/v1/auth/login/" and isinstance(case.body, dict):
        case.body.update(username=learner.username, password=LEARNER_PASSWORD)


@schema.parametrize()
@hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                     database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow,
                                            HealthCheck.filter_too_much])
def test_every_operation_answers_as_the_schema_says(
    case, course_text, quiz, learner, learner_token, app_under_test, monkeypatch,
):
    # Hundreds of answers and logins per run: past the limits, every one would be a 429.
    for scope in ("attempts", "auth"):
        monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, scope, "100000/minute")
    monkeypatch.setattr(django_settings, "PASSWORD_RESETS_PER_ADDRESS", 100000)
    use_real_data(case, quiz, learner)
    if case.path.startswith("/api/v1/auth/logout"):
        learner_token = issue_token(user=learner).token  # an earlier example logged out
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    # A real learner's token in place of the generated one; none where a negative case
    # left the header out on purpose (it tests that the token is required).
    headers = {}
    if positive or "Authorization" in (case.headers or {}):
        headers["Authorization"] = f"Token {learner_token}"
    case.call_and_validate(app=app_under_test, checks=CHECKS, headers=headers)
