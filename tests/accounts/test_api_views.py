"""The app's authentication: register, login, logout, logout everywhere, who am I."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from knox.models import AuthToken

REGISTER = "/api/v1/auth/register/"
LOGIN = "/api/v1/auth/login/"
LOGOUT = "/api/v1/auth/logout/"
LOGOUT_ALL = "/api/v1/auth/logout-all/"
ME = "/api/v1/auth/me/"

NEW_LEARNER = {
    "username": "bruno", "email": "bruno@example.com", "password": "gradients vanish slowly",
    "first_name": "Bruno", "last_name": "Lima",
}


def _errors_by_attr(response) -> dict[str, list[str]]:
    assert response["Content-Type"] == "application/problem+json"
    errors: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["attr"], []).append(error["code"])
    return errors


def _login(api, password, username="ana"):
    response = api.post(LOGIN, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.mark.django_db
def test_register_creates_the_learner_with_names_and_logs_the_device_in(api):
    response = api.post(REGISTER, NEW_LEARNER, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["user"] == {"username": "bruno", "email": "bruno@example.com",
                            "first_name": "Bruno", "last_name": "Lima"}
    assert "password" not in body["user"]
    learner = get_user_model().objects.get(username="bruno")
    assert learner.check_password(NEW_LEARNER["password"])
    assert (learner.first_name, learner.last_name) == ("Bruno", "Lima")
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get(ME).json()["username"] == "bruno"


@pytest.mark.django_db
def test_register_ignores_fields_the_server_decides(api):
    api.post(REGISTER, {**NEW_LEARNER, "is_staff": True, "is_superuser": True}, format="json")

    learner = get_user_model().objects.get(username="bruno")
    assert not learner.is_staff and not learner.is_superuser


@pytest.mark.parametrize(("lang", "message"), [
    ("pt-br", "Esta senha é muito comum."), ("en", "This password is too common."),
])
@pytest.mark.django_db
def test_register_refuses_a_weak_password_in_the_requests_language(api, lang, message):
    response = api.post(f"{REGISTER}?lang={lang}", {**NEW_LEARNER, "password": "12345678"},
                        format="json")

    assert response.status_code == 400
    assert response["Content-Language"] == lang
    assert _errors_by_attr(response)["password"] == [
        "password_too_common", "password_entirely_numeric"]
    assert message in [error["detail"] for error in response.json()["errors"]]


@pytest.mark.django_db
def test_register_requires_names_and_an_unused_email(api, learner):
    response = api.post(
        REGISTER, {**NEW_LEARNER, "email": "ANA@example.com", "first_name": "", "last_name": ""},
        format="json", HTTP_ACCEPT_LANGUAGE="en",
    )

    assert _errors_by_attr(response) == {
        "email": ["unique"], "first_name": ["blank"], "last_name": ["blank"]}
    email_error = next(e for e in response.json()["errors"] if e["attr"] == "email")
    assert email_error["pointer"] == "#/email"
    assert email_error["detail"] == "An account with this email address already exists."


@pytest.mark.django_db
def test_register_reports_the_password_with_the_other_fields_all_at_once(api, learner):
    response = api.post(REGISTER, {**NEW_LEARNER, "username": "ana", "email": "not-an-email",
                                   "password": "12345678"}, format="json")

    assert _errors_by_attr(response) == {
        "username": ["unique"], "email": ["invalid"],
        "password": ["password_too_common", "password_entirely_numeric"]}


@pytest.mark.django_db
def test_register_refuses_a_taken_username(api, learner):
    response = api.post(REGISTER, {**NEW_LEARNER, "username": "ana"}, format="json")

    assert _errors_by_attr(response) == {"username": ["unique"]}


def test_login_issues_a_new_token_per_device(api, learner, password):
    first, second = _login(api, password), _login(api, password)

    assert first != second
    assert AuthToken.objects.filter(user=learner).count() == 2


def test_tokens_are_stored_only_as_hashes(api, learner, password):
    token = _login(api, password)

    stored = AuthToken.objects.get(user=learner)
    assert token not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128  # SHA-512, hex


def test_a_token_lasts_thirty_days(api, learner, password):
    response = api.post(LOGIN, {"username": "ana", "password": password}, format="json")

    expiry = AuthToken.objects.get(user=learner).expiry
    assert timedelta(days=29, hours=23) < expiry - timezone.now() <= timedelta(days=30)
    assert response.json()["expiry"]


@pytest.mark.parametrize(("lang", "message"), [
    ("pt-br", "Impossível fazer login com as credenciais fornecidas."),
    ("en", "Unable to log in with provided credentials."),
])
def test_wrong_password_is_a_problem_about_no_field(api, learner, lang, message):
    response = api.post(LOGIN, {"username": "ana", "password": "wrong"}, format="json",
                        HTTP_ACCEPT_LANGUAGE=lang)

    assert response.status_code == 400
    assert response["Content-Language"] == lang
    [error] = response.json()["errors"]
    assert error == {"attr": None, "pointer": "#", "code": "invalid_credentials",
                     "detail": message}
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize(("lang", "message"), [
    ("pt-br", "As credenciais de autenticação não foram fornecidas."),
    ("en", "Authentication credentials were not provided."),
])
@pytest.mark.django_db
def test_me_without_a_token_is_401_naming_the_token_scheme(api, lang, message):
    response = api.get(ME, HTTP_ACCEPT_LANGUAGE=lang)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == message
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "url"), [("get", ME), ("post", LOGOUT), ("post", LOGOUT_ALL)])
@pytest.mark.parametrize("header", [None, "Token not-a-real-token", "Token"])
@pytest.mark.django_db
def test_endpoints_of_a_logged_in_learner_need_a_valid_token(api, method, url, header):
    if header:
        api.credentials(HTTP_AUTHORIZATION=header)

    response = getattr(api, method)(url)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_logout_revokes_the_token_at_once_and_only_that_one(api, learner, password):
    phone, tablet = _login(api, password), _login(api, password)
    api.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api.get(ME).status_code == 200

    assert api.post(LOGOUT).status_code == 204

    after = api.get(ME)
    assert after.status_code == 401
    assert after.json()["code"] == "authentication_failed"
    api.credentials(HTTP_AUTHORIZATION=f"Token {tablet}")
    assert api.get(ME).status_code == 200


def test_logout_all_revokes_every_device(api, learner, password):
    phone, tablet = _login(api, password), _login(api, password)
    api.credentials(HTTP_AUTHORIZATION=f"Token {phone}")

    assert api.post(LOGOUT_ALL).status_code == 204

    for token in (phone, tablet):
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get(ME).status_code == 401
    assert not AuthToken.objects.filter(user=learner).exists()


def test_logout_needs_a_token(api, learner):
    api.force_login(learner)  # a web session does not log out app devices

    assert api.post(LOGOUT).status_code == 401


def test_an_expired_token_no_longer_works(api, learner, password):
    token = _login(api, password)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.get(ME).status_code == 401


def test_the_browsable_api_works_with_the_web_session(api, learner):
    api.force_login(learner)

    response = api.get(ME, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "ana@example.com" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["username", "email", "password", "first_name", "last_name"])
@pytest.mark.parametrize("value", [0, True, 12345678.5])
def test_register_refuses_a_text_field_sent_as_another_json_type(api, field, value):
    """The schema says `type: string`; DRF alone would store 0 as "0" (a first name of
    "True" on a certificate)."""
    response = api.post(REGISTER, {**NEW_LEARNER, field: value}, format="json")

    assert response.status_code == 400
    assert _errors_by_attr(response) == {field: ["invalid"]}
    assert not get_user_model().objects.filter(username="bruno").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["username", "password"])
def test_login_refuses_credentials_sent_as_numbers(api, learner, field):
    body = {"username": "ana", "password": "x", field: 12345}

    response = api.post(LOGIN, body, format="json")

    assert response.status_code == 400
    assert _errors_by_attr(response) == {field: ["invalid"]}
