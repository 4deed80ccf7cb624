"""The language of API responses: ?lang=, then Accept-Language, then Portuguese."""

import pytest
from django.test import RequestFactory

from api.language import language_of_api_request

COURSES = "/api/v1/courses/"


@pytest.mark.parametrize(("query", "accept_language", "expected"), [
    ("", "", "pt-br"),
    ("", "en-US,en;q=0.9", "en"),
    ("", "de-DE,de;q=0.9,en;q=0.5", "en"),
    ("", "fr, *;q=0.1", "pt-br"),
    ("", "pt-PT", "pt-br"),
    ("lang=en", "pt-BR", "en"),
    ("lang=pt-br", "en", "pt-br"),
    ("lang=fr", "en", "en"),  # not served (and refused, see below): the header decides
    ("lang=", "en", "en"),
    ("lang=xx-!!", "not a header;;", "pt-br"),
])
def test_language_of_api_request(query, accept_language, expected):
    request = RequestFactory().get(f"{COURSES}?{query}", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert language_of_api_request(request) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status"), [
    (COURSES, 200), ("/api/v1/courses/nope/", 404), ("/api/v1/unknown/", 404),
    ("/api/v1/auth/me/", 401), ("/api/schema/", 200),
])
def test_every_api_response_says_its_language_and_varies_on_accept_language(
    api, url, status,
):
    response = api.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == status
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_language_cookie_of_the_web_pages_does_not_choose_the_apis(api, settings):
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert api.get(COURSES)["Content-Language"] == "pt-br"


@pytest.mark.django_db
def test_web_pages_keep_their_language_from_the_url(client):
    response = client.get("/en/", HTTP_ACCEPT_LANGUAGE="pt-BR")

    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_a_language_the_api_does_not_serve_is_a_field_problem(api, assert_problem):
    response = api.get(f"{COURSES}?lang=eng", HTTP_ACCEPT_LANGUAGE="en")

    body = assert_problem(response, 400, language="en")
    assert body["errors"][0]["attr"] == "lang"
    assert body["errors"][0]["detail"] == "Choose one of: pt-br, en."


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["lang=", "lang=pt-BR", "lang=EN", "lang=en-gb",
                                   "lang=en&lang=en", "lang=en&lang=pt-br"])
def test_lang_is_refused_unless_spelled_as_the_schemas_enum(api, assert_problem, query):
    """The schema's enum lists `en` and `pt-br`: the server takes exactly those, once."""
    response = api.get(f"{COURSES}?{query}", HTTP_ACCEPT_LANGUAGE="en")

    body = assert_problem(response, 400, language="en")
    assert body["errors"][0]["attr"] == "lang"
