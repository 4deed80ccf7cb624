"""Failed logins are limited per account at an address and per address, on every path."""

import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from accounts import login_guard

WRONG = "not the password"


def web_login(client, username, password, *, lang="en", address="10.0.0.1"):
    return client.post(f"/{lang}/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def admin_login(client, username, password, *, address="10.0.0.1"):
    return client.post("/admin/login/?next=/admin/", {
        "username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def api_login(api, username, password, *, address="10.0.0.1"):
    return api.post("/api/v1/auth/login/?lang=en", {"username": username, "password": password},
                    format="json", REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def admin_user(django_user_model, password):
    return django_user_model.objects.create_superuser("root", "root@example.com", password)


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5)
def test_web_login_refuses_the_right_password_after_five_wrong_ones(client, learner, password):
    for _ in range(5):
        assert "Please enter a correct username" in web_login(client, "ana", WRONG).content.decode()

    response = web_login(client, "ana", password)

    assert response.status_code == 200 and not logged_in(client)
    assert "Too many failed logins from this address. Try again in 15 minutes." in (
        response.content.decode())


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3)
def test_the_refusal_is_written_in_portuguese_on_portuguese_pages(client, learner, password):
    for _ in range(3):
        web_login(client, "ana", WRONG, lang="pt-br")

    page = web_login(client, "ana", password, lang="pt-br").content.decode()

    assert "Muitas tentativas de login sem sucesso a partir deste endereço" in page


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5)
def test_admin_login_counts_toward_the_same_limit(client, admin_user, password):
    for _ in range(5):
        admin_login(client, "root", WRONG)

    response = admin_login(client, "root", password)

    assert response.status_code == 200 and not logged_in(client)
    assert "Too many failed logins" in response.content.decode()


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5)
def test_the_api_answers_429_with_retry_after(api, learner, password, assert_problem_429):
    for _ in range(5):
        assert api_login(api, "ana", WRONG).status_code == 400

    response = api_login(api, "ana", password)

    assert_problem_429(response)
    assert 0 < int(response["Retry-After"]) <= 15 * 60


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5)
def test_failures_on_one_path_lock_the_others(client, api, learner, password):
    for _ in range(5):
        api_login(api, "ana", WRONG)

    web_login(client, "ana", password)

    assert not logged_in(client)


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=5)
def test_an_attacker_elsewhere_cannot_lock_the_learner_out(client, learner, password):
    for _ in range(20):
        web_login(client, "ana", WRONG, address="203.0.113.9")

    web_login(client, "ana", password, address="198.51.100.7")

    assert logged_in(client)


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=100, LOGIN_FAILURES_PER_ADDRESS=6)
def test_one_address_guessing_many_accounts_is_stopped(client, learner, password):
    for number in range(6):
        web_login(client, f"someone{number}", WRONG)

    web_login(client, "ana", password)
    assert not logged_in(client)
    web_login(client, "ana", password, address="10.0.0.2")
    assert logged_in(client)


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=2, LOGIN_LOCKOUT_SECONDS=3)
def test_the_lock_ends_with_its_window(client, learner, password):
    web_login(client, "ana", WRONG)
    window_started_before = time.monotonic()
    web_login(client, "ana", WRONG)
    web_login(client, "ana", password)
    assert not logged_in(client)

    time.sleep(max(0.0, window_started_before + 3.1 - time.monotonic()))
    web_login(client, "ana", password)

    assert logged_in(client)


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3)
def test_a_successful_login_clears_the_accounts_count(client, learner, password):
    for _ in range(2):
        web_login(client, "ana", WRONG)
    web_login(client, "ana", password)
    client.logout()
    for _ in range(2):
        web_login(client, "ana", WRONG)

    web_login(client, "ana", password)

    assert logged_in(client)


def test_the_counts_live_in_the_shared_cache(rf, settings):
    """Another app process (a cache client of its own) sees the same count."""
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("needs REDIS_URL: the counts of all processes are shared in Redis")
    request = rf.post("/en/login/", REMOTE_ADDR="10.9.9.9")
    login_guard.record_failure(request, "zoe")
    other_process = caches.create_connection("default")
    key = f"{login_guard.KEY_PREFIX}:address:10.9.9.9"
    assert other_process.get(key) == 1
