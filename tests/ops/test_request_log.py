"""Every request gets an id, returned to the client and written on its JSON log lines."""

import json
import logging

import pytest

from ops.request_log import JsonFormatter, RequestIdFilter


@pytest.fixture
def access_lines(caplog):
    caplog.set_level(logging.INFO, logger="gradiente.access")
    return caplog


def test_a_new_request_gets_a_new_id(client, access_lines):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_id_is_kept_and_logged_with_the_route(client, access_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234abcd")

    assert response["X-Request-ID"] == "proxy-1234abcd"
    record = access_lines.records[-1]
    assert (record.method, record.path, record.route, record.status) == (
        "GET", "/healthz", "healthz", 200)
    assert record.duration_ms >= 0


def test_an_odd_id_from_outside_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>" * 20)
    assert len(response["X-Request-ID"]) == 32 and "<" not in response["X-Request-ID"]


def test_a_log_line_is_one_json_object_with_the_request_id_and_extras():
    record = logging.LogRecord("gradiente.access", logging.INFO, __file__, 1, "request %s",
                               ("done",), None)
    record.status = 201
    RequestIdFilter().filter(record)

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "request done" and line["level"] == "INFO"
    assert line["status"] == 201 and line["request_id"] == "-"
    assert line["logger"] == "gradiente.access" and "time" in line
