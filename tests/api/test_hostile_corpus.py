"""Every field and query parameter of every operation in the schema, fed hostile values.

The operations, their parameters and their body fields are read from the OpenAPI schema,
so a new endpoint is covered the day it is added. Each request must be answered without
a server error, and every error must be an RFC 9457 problem.
"""

import json
import re
from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.services import issue_token
from api.throttling import ScopedRateThrottle
from quizzes.services import record_attempt

SURROGATE = "\ud800"


def nested(levels: int):
    value = 1
    for _ in range(levels):
        value = [value]
    return value


# Values no client should send and every field must survive. Strings are sent as they are;
# the surrogate only in JSON (as "\ud800"), where it can be written at all.
CORPUS = [
    SURROGATE, "²", "١٢٣", "1e400", "-1e400", "1e-400", "NaN", "Infinity", "-0",
    "9" * 400, "0x10", " 1 ", "\x00", "a\x00b", "x" * 20_000, "' OR 1=1 --",
    "<script>alert(1)</script>", "../../etc/passwd", "%00", "",
    -1, 0, 2**63, 2**64, -(2**63) - 1, 10**400, 1e308, 5e-324, 0.1, True, None,
    [], {}, nested(40),
    {"a": {"b": {"c": [1, "x"]}}}, [1, "2", None], ["x"] * 1000,
]
HEADER_CORPUS = ["²", "x" * 5000, "\t", "' OR 1=1 --", "*", 'W/"x"', "", "é"]


def schema_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            fields = {}
            if body:
                ref = body["schema"]["$ref"].rsplit("/", 1)[1]
                fields = components[ref].get("properties", {})
            yield path, method, operation.get("parameters", []), fields


def as_query_text(value) -> str | None:
    if isinstance(value, str):
        return None if value == SURROGATE else value
    return json.dumps(value)


@pytest.fixture
def hostile_client(quiz, learner_api, learner, monkeypatch):
    """The learner's client, unthrottled (a 429 would hide what the value did)."""
    monkeypatch.setattr(ScopedRateThrottle, "allow_request", lambda *args: True)
    attempt = record_attempt(question=quiz.numeric, user=learner, answer="0.05",
                             language="en").attempt
    # Logout revokes the token: each operation gets a new one (see send()).
    learner_api.new_token = lambda: learner_api.credentials(
        HTTP_AUTHORIZATION=f"Token {issue_token(user=learner).token}")
    learner_api.valid_path = {
        "course_slug": "course", "lesson_slug": "lesson-1-1", "question_id": quiz.numeric.pk,
        "attempt_id": attempt.pk, "slug": "activations", "fmt": "png", "name": "none",
        "key": "0" * 64,  # a simulation job that does not exist
        "chapter_slug": "chapter-1", "number": 1, "position": 1,  # an exam that does not exist
    }
    return learner_api


def fill_path(path: str, values: dict, override: dict | None = None) -> str:
    values = {**values, **(override or {})}
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def assert_handled(response, what: str) -> None:
    assert response.status_code != 401, f"{what}: the learner's token no longer works"
    assert response.status_code < 500, f"{what}: {response.status_code} {response.content[:300]}"
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/problem+json"), what
        assert {"type", "title", "status", "detail"} <= response.json().keys(), what


def send(client: APIClient, method: str, url: str, *, query=None, body=None, headers=None):
    """Send one request as the learner; after a logout, give the learner a new token."""
    kwargs = {"HTTP_IDEMPOTENCY_KEY": "hostile-key", **(headers or {})}
    if body is not None:
        kwargs["data"] = body
        kwargs["content_type"] = "application/json"
    if query:
        url = f"{url}?{urlencode(query)}"
    response = getattr(client, method)(url, **kwargs)
    if "logout" in url:
        client.new_token()
    return response


def test_no_query_or_path_parameter_value_breaks_any_operation(hostile_client):
    for path, method, parameters, _fields in schema_operations():
        base = fill_path(path, hostile_client.valid_path)
        for parameter in parameters:
            for value in CORPUS:
                text = as_query_text(value)
                if text is None:
                    continue
                what = f"{method.upper()} {path} {parameter['name']}={text[:40]!r}"
                if parameter["in"] == "query":
                    response = send(hostile_client, method, base, query={parameter["name"]: text})
                elif parameter["in"] == "path":
                    url = fill_path(path, hostile_client.valid_path,
                                    {parameter["name"]: text.replace("/", "%2F") or "x"})
                    response = send(hostile_client, method, url)
                else:
                    continue
                assert_handled(response, what)


def test_no_header_value_breaks_any_operation(hostile_client):
    for path, method, parameters, _fields in schema_operations():
        base = fill_path(path, hostile_client.valid_path)
        for parameter in (p for p in parameters if p["in"] == "header"):
            meta = "HTTP_" + parameter["name"].upper().replace("-", "_")
            for value in HEADER_CORPUS:
                response = send(hostile_client, method, base, headers={meta: value})
                assert_handled(response, f"{method.upper()} {path} {parameter['name']}: {value!r}")


def test_no_body_field_value_breaks_any_operation(hostile_client):
    for path, method, _parameters, fields in schema_operations():
        url = fill_path(path, hostile_client.valid_path)
        for field in fields:
            for value in CORPUS:
                body = json.dumps({field: value}, ensure_ascii=True)
                key = f"k{hash((field, str(value)))}"
                response = send(hostile_client, method, url, body=body,
                                headers={"HTTP_IDEMPOTENCY_KEY": key})
                what = f"{method.upper()} {path} body {field}={str(value)[:40]!r}"
                assert_handled(response, what)


@pytest.mark.parametrize("raw", [
    b"", b"{", b"null", b"[]", b'"text"', b"\x00" * 100, b"\xff\xfe", b"{" * 100_000,
    b'{"answer": NaN}', b'{"answer": Infinity}', b'{"a": "' + b"x" * 3_000_000 + b'"}',
])
def test_no_raw_body_breaks_any_operation_that_takes_one(hostile_client, raw):
    for path, method, _parameters, fields in schema_operations():
        if not fields:
            continue
        url = fill_path(path, hostile_client.valid_path)
        response = hostile_client.generic(method.upper(), url, raw,
                                          content_type="application/json",
                                          HTTP_IDEMPOTENCY_KEY="raw-key")
        assert_handled(response, f"{method.upper()} {path} raw {raw[:20]!r}")
