"""Password reset on the web: the e-mail in the page's language, one use, a limit."""

import re
import uuid

import pytest
from django.core import mail


@pytest.fixture(autouse=True)
def own_reset_counts(monkeypatch):
    monkeypatch.setattr("accounts.password_reset.KEY_PREFIX", f"resets-{uuid.uuid4().hex}")


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.parametrize(("lang", "subject", "greeting"), [
    ("pt-br", "Redefina sua senha do Gradiente", "Olá, Ana Souza."),
    ("en", "Reset your Gradiente password", "Hello, Ana Souza."),
])
@pytest.mark.django_db
def test_the_reset_email_is_in_the_pages_language_and_its_link_sets_a_new_password(
        client, learner, lang, subject, greeting):
    response = client.post(f"/{lang}/password-reset/", {"email": "ana@example.com"})

    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/password-reset/sent/"
    (message,) = mail.outbox
    assert message.subject == subject and greeting in message.body
    link = reset_link(message)
    assert link.startswith(f"/{lang}/password-reset/")

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"})

    assert done["Location"] == f"/{lang}/password-reset/done/"
    learner.refresh_from_db()
    assert learner.check_password("a brand new passphrase")
    assert client.session["_auth_user_id"] == str(learner.pk)


@pytest.mark.django_db
def test_a_used_link_no_longer_works(client, learner):
    client.post("/en/password-reset/", {"email": "ana@example.com"})
    link = reset_link(mail.outbox[0])
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {
        "new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"})
    client.logout()

    again = client.get(link, follow=True)

    assert not again.context["validlink"]
    assert "This link no longer works" in again.content.decode()


@pytest.mark.django_db
def test_an_unknown_address_looks_the_same_and_sends_nothing(client, learner):
    response = client.post("/en/password-reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/en/password-reset/sent/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_client_asking_too_often_gets_a_form_error_in_its_language(
        client, learner, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS = 2
    for _ in range(2):
        client.post("/pt-br/password-reset/", {"email": "ana@example.com"})

    response = client.post("/pt-br/password-reset/", {"email": "ana@example.com"})

    assert response.status_code == 200
    assert "Muitos pedidos de redefinição de senha" in response.content.decode()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_login_page_offers_the_reset(client):
    page = client.get("/pt-br/login/").content.decode()

    assert 'href="/pt-br/password-reset/"' in page and "Esqueceu sua senha?" in page


@pytest.mark.django_db
def test_the_app_asks_for_the_email_in_its_language(api, learner):
    response = api.post("/api/v1/auth/password-reset/", {"email": "ana@example.com"},
                        format="json", HTTP_ACCEPT_LANGUAGE="pt-BR")

    assert response.status_code == 202
    (message,) = mail.outbox
    assert message.subject == "Redefina sua senha do Gradiente"
    assert reset_link(message).startswith("/pt-br/password-reset/")


@pytest.mark.django_db
def test_the_app_gets_a_field_error_and_then_a_429(api, learner, settings):
    bad = api.post("/api/v1/auth/password-reset/", {"email": "not an address"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "email"

    settings.PASSWORD_RESETS_PER_ADDRESS = 1
    api.post("/api/v1/auth/password-reset/", {"email": "ana@example.com"}, format="json")
    over = api.post("/api/v1/auth/password-reset/", {"email": "ana@example.com"},
                    format="json")

    assert over.status_code == 429 and "Retry-After" in over
    assert len(mail.outbox) == 1
