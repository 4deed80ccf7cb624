"""Every API error is an RFC 9457 problem, in the request's language, whatever raised it."""

import pytest
from django.urls import path
from rest_framework.views import APIView

from api.problems import VALIDATION_PROBLEM_TYPE
from config.urls import urlpatterns as project_urlpatterns


class CrashingView(APIView):
    def get(self, request):
        raise RuntimeError("a bug")


def plain_view_that_crashes(request):
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    path("api/v1/crash/", CrashingView.as_view()),
    path("api/v1/plain-crash/", plain_view_that_crashes),
    *project_urlpatterns,
]
handler404 = "api.errors.page_not_found"
handler500 = "ops.outage.server_error"  # as config/urls.py


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "title", "detail"), [
    ("pt-br", "Não encontrado", "A API não tem este endereço."),
    ("en", "Not Found", "The API has no such address."),
])
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_an_unknown_api_url_is_a_404_problem_for_any_method(
    api, assert_problem, method, lang, title, detail,
):
    response = getattr(api, method)(f"/api/v1/no/such/thing/?lang={lang}")

    body = assert_problem(response, 404, code="not_found", language=lang)
    assert body == {"type": "about:blank", "title": title, "status": 404, "detail": detail,
                    "code": "not_found", "instance": "/api/v1/no/such/thing/"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/", "/api/v1/", "/api/v2/courses/"])
def test_api_roots_and_other_versions_are_404_problems_too(api, assert_problem, url):
    assert_problem(api.get(url), 404, code="not_found")


@pytest.mark.django_db
def test_a_missing_trailing_slash_gets_a_hint_not_a_redirect(api, assert_problem):
    body = assert_problem(api.post("/api/v1/auth/login", {}, HTTP_ACCEPT_LANGUAGE="en"), 404,
                          language="en")

    assert body["detail"] == "The API has no such address. Did you mean /api/v1/auth/login/?"


@pytest.mark.django_db
def test_a_wrong_method_is_a_405_problem(api, assert_problem):
    body = assert_problem(api.delete("/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="en"), 405,
                          code="method_not_allowed", language="en")

    assert body["title"] == "Method Not Allowed"
    assert body["detail"] == 'Method "DELETE" not allowed.'


@pytest.mark.django_db
def test_a_missing_token_is_a_401_problem(api, assert_problem):
    body = assert_problem(api.get("/api/v1/auth/me/"), 401, code="not_authenticated")

    assert body["title"] == "Não autorizado"


@pytest.mark.django_db
def test_a_malformed_token_header_is_a_401_problem(api, assert_problem):
    api.credentials(HTTP_AUTHORIZATION="Token two words")

    assert_problem(api.get("/api/v1/auth/me/"), 401, code="authentication_failed")


@pytest.mark.django_db
def test_invalid_input_is_a_400_validation_problem_listing_each_field(api, assert_problem):
    response = api.post("/api/v1/auth/register/", {"email": "not an email"}, format="json",
                        HTTP_ACCEPT_LANGUAGE="en")

    body = assert_problem(response, 400, code="invalid", language="en")
    assert body["type"] == VALIDATION_PROBLEM_TYPE
    assert body["title"] == "Invalid input"
    email = next(error for error in body["errors"] if error["attr"] == "email")
    assert email == {"attr": "email", "pointer": "#/email", "code": "invalid",
                     "detail": "Enter a valid email address."}
    assert "email: Enter a valid email address." in body["detail"]


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_400_problem(api, assert_problem):
    response = api.post("/api/v1/auth/login/", "{not json", content_type="application/json")

    body = assert_problem(response, 400, code="parse_error")
    assert body["type"] == "about:blank"
    assert "errors" not in body


@pytest.mark.django_db
def test_an_unsupported_media_type_is_a_415_problem(api, assert_problem):
    response = api.post("/api/v1/auth/login/", "a,b", content_type="text/csv")

    assert_problem(response, 415, code="unsupported_media_type")


@pytest.mark.django_db
def test_an_unacceptable_format_is_a_406_problem(api, assert_problem):
    assert_problem(api.get("/api/v1/courses/", HTTP_ACCEPT="text/csv"), 406,
                   code="not_acceptable")


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_bug_in_a_view_is_a_500_problem_that_reveals_nothing(api, assert_problem):
    api.raise_request_exception = False

    body = assert_problem(api.get("/api/v1/crash/", HTTP_ACCEPT_LANGUAGE="en"), 500,
                          language="en")

    assert body["detail"] == "A server error occurred."
    assert "a bug" not in str(body)


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_bug_outside_drf_under_api_is_a_500_problem(api, assert_problem):
    api.raise_request_exception = False

    body = assert_problem(api.get("/api/v1/plain-crash/"), 500)

    assert body["detail"] == "Um erro de servidor ocorreu."


@pytest.mark.django_db
def test_web_pages_keep_djangos_html_error_pages(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_browsable_api_shows_errors_as_html(api):
    response = api.get("/api/v1/auth/me/", HTTP_ACCEPT="text/html")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("text/html")
