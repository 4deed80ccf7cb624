"""The published OpenAPI schema validates and describes everything; its docs load offline."""

import re

import pytest
import yaml
from django.core.management import call_command

OUR_TAGS = {"auth", "courses", "lessons", "questions", "attempts"}
PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def published_schema(tmp_path_factory):
    """The schema as `spectacular --validate --fail-on-warn` writes it: it fails on any
    OpenAPI error and on any warning of drf-spectacular (an undescribed view, say)."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", "en",
                 "--file", str(path))
    return yaml.safe_load(path.read_text())


def _our_operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if OUR_TAGS & set(operation.get("tags", [])):
                yield f"{method.upper()} {path}", operation


def test_schema_validates_and_lists_our_operations(published_schema):
    assert {name for name, _op in _our_operations(published_schema)} == {
        "POST /api/v1/auth/register/", "POST /api/v1/auth/login/",
        "POST /api/v1/auth/logout/", "POST /api/v1/auth/logout-all/", "GET /api/v1/auth/me/",
        "POST /api/v1/auth/password-reset/",
        "GET /api/v1/courses/", "GET /api/v1/courses/{course_slug}/",
        "GET /api/v1/courses/{course_slug}/lessons/{lesson_slug}/",
        "GET /api/v1/courses/{course_slug}/lessons/{lesson_slug}/package/",
        "GET /api/v1/courses/{course_slug}/lessons/{lesson_slug}/questions/",
        "POST /api/v1/questions/{question_id}/attempts/",
        "GET /api/v1/me/attempts/", "GET /api/v1/me/attempts/{attempt_id}/",
    }


def test_every_operation_parameter_and_response_is_described(published_schema):
    for name, operation in _our_operations(published_schema):
        assert operation["summary"] and operation["description"], name
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (name, parameter["name"])
        for status, response in operation["responses"].items():
            assert response["description"], (name, status)
            assert "Content-Language" in response["headers"], (name, status)


def test_every_error_is_documented_as_a_problem(published_schema):
    for name, operation in _our_operations(published_schema):
        errors = {status: response for status, response in operation["responses"].items()
                  if status >= "400"}
        assert {"404", "405", "500"} <= errors.keys(), name
        for status, response in errors.items():
            assert list(response["content"]) == ["application/problem+json"], (name, status)
            assert response["content"]["application/problem+json"]["schema"] == PROBLEM


def test_auth_errors_and_throttling_are_documented_where_they_can_happen(published_schema):
    operations = dict(_our_operations(published_schema))

    assert "401" in operations["GET /api/v1/auth/me/"]["responses"]
    assert "401" not in operations["POST /api/v1/auth/login/"]["responses"]
    login = operations["POST /api/v1/auth/login/"]["responses"]
    assert "Retry-After" in login["429"]["headers"]
    assert "400" in login
    assert "429" not in operations["GET /api/v1/courses/"]["responses"]


def test_details_document_their_etag_and_304(published_schema):
    operations = dict(_our_operations(published_schema))
    for name in ("GET /api/v1/courses/{course_slug}/",
                 "GET /api/v1/courses/{course_slug}/lessons/{lesson_slug}/",
                 "GET /api/v1/courses/{course_slug}/lessons/{lesson_slug}/package/"):
        responses = operations[name]["responses"]
        assert "ETag" in responses["200"]["headers"] and "304" in responses
        assert "If-None-Match" in {p["name"] for p in operations[name]["parameters"]}


def test_answering_documents_its_idempotency_key_and_every_error(published_schema):
    operation = dict(_our_operations(published_schema))[
        "POST /api/v1/questions/{question_id}/attempts/"]
    responses = operation["responses"]

    key = {p["name"]: p for p in operation["parameters"]}["Idempotency-Key"]
    assert key["in"] == "header" and "retry" in key["description"]
    assert key["schema"]["pattern"]
    assert {"200", "201", "400", "401", "404", "409", "422", "429"} <= responses.keys()
    assert {"Idempotent-Replayed", "Location"} <= responses["201"]["headers"].keys()
    assert "Retry-After" in responses["429"]["headers"]
    for status, code in (("409", "idempotency_key_in_use"), ("422", "idempotency_key_reused")):
        content = responses[status]["content"]["application/problem+json"]
        assert content["schema"] == PROBLEM
        [example] = content["examples"].values()
        assert example["value"]["code"] == code and example["value"]["title"] in (
            "Conflict", "Unprocessable Content")
    assert published_schema["components"]["schemas"]["AnswerRequest"]["required"] == ["answer"]


def test_learner_dependent_bodies_document_their_vary_header(published_schema):
    operations = dict(_our_operations(published_schema))
    for name in ("GET /api/v1/courses/{course_slug}/lessons/{lesson_slug}/",
                 "GET /api/v1/courses/{course_slug}/lessons/{lesson_slug}/package/"):
        assert "Vary" in operations[name]["responses"]["200"]["headers"]


def test_no_answer_field_is_documented_outside_the_solution(published_schema):
    choice = published_schema["components"]["schemas"]["QuestionChoice"]
    question = published_schema["components"]["schemas"]["Question"]

    assert set(choice["required"]) == {"id", "text", "text_html"}  # is_correct: only when due
    assert question["properties"]["solution"]["nullable"] is True


def test_problem_component_has_the_rfc_9457_members(published_schema):
    problem = published_schema["components"]["schemas"]["Problem"]

    assert {"type", "title", "status", "detail", "instance", "errors"} <= problem[
        "properties"].keys()


def test_a_password_is_never_in_a_response_schema(published_schema):
    components = published_schema["components"]["schemas"]

    assert "password" in components["RegistrationRequest"]["properties"]
    for name, component in components.items():
        if not name.endswith("Request"):
            assert "password" not in component.get("properties", {}), name


@pytest.mark.django_db
def test_the_schema_is_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Gradiente API"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_documentation_pages_load_nothing_from_another_host(client, url):
    response = client.get(url)
    page = response.content.decode()

    assert response.status_code == 200
    assert not re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page, re.IGNORECASE)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["?lang=pt-br", "", "?lang=en"])
def test_the_served_schema_is_in_english_whatever_the_request_asks(client, asked):
    schema = client.get(f"/api/schema/{asked}", HTTP_ACCEPT_LANGUAGE="pt-BR").content.decode()

    assert "Pontuação" not in schema and "Obrigatório" not in schema
    assert "Required. 150 characters" in schema


def test_simulation_runs_and_plots_document_their_202_and_the_job_to_poll(published_schema):
    paths = published_schema["paths"]
    for path in ("/api/v1/simulations/{slug}/run/", "/api/v1/simulations/{slug}/plot.{fmt}"):
        responses = paths[path]["get"]["responses"]
        accepted = responses["202"]
        assert accepted["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Job"}
        assert {"Location", "Retry-After"} <= set(accepted["headers"])
        for status in ("429", "503"):
            assert responses[status]["content"]["application/problem+json"]["schema"] == PROBLEM
    job = paths["/api/v1/simulations/jobs/{key}/"]["get"]
    assert job["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Job"}
    status = published_schema["components"]["schemas"]["Job"]["properties"]["status"]
    if "allOf" in status:  # drf-spectacular names the enum as a component of its own
        status = published_schema["components"]["schemas"][
            status["allOf"][0]["$ref"].rsplit("/", 1)[1]]
    assert set(status["enum"]) == {"pending", "done", "failed"}


def test_image_formats_are_an_enum_of_what_is_served(published_schema):
    from simulations import plots

    for path in ("/api/v1/simulations/{slug}/plot.{fmt}",
                 "/api/v1/simulations/figures/{course_slug}/{lesson_slug}/{name}.{fmt}"):
        parameters = {p["name"]: p for p in published_schema["paths"][path]["get"]["parameters"]}
        assert parameters["fmt"]["schema"]["enum"] == list(plots.FORMATS) == ["png", "svg"]
