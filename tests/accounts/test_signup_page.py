"""The web sign-up page: a form in both languages that creates a learner and logs them in."""

import pytest
from django.contrib.auth import get_user_model

FORM = {
    "first_name": "Carla", "last_name": "Dias", "username": "carla",
    "email": "carla@example.com", "password1": "gradients vanish slowly",
    "password2": "gradients vanish slowly",
}


@pytest.mark.parametrize(("lang", "heading", "name_label"), [
    ("pt-br", "Criar conta", "Sobrenome"), ("en", "Sign up", "First name"),
])
@pytest.mark.django_db
def test_signup_page_asks_for_names_in_each_language(client, lang, heading, name_label):
    response = client.get(f"/{lang}/signup/")

    assert response.status_code == 200
    page = response.content.decode()
    assert heading in page and name_label in page
    assert 'name="last_name"' in page and 'name="email"' in page


@pytest.mark.django_db
def test_signing_up_creates_the_learner_logs_them_in_and_follows_next(client):
    response = client.post("/en/signup/", {**FORM, "next": "/en/courses/redes-neurais/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/courses/redes-neurais/"
    learner = get_user_model().objects.get(username="carla")
    assert (learner.first_name, learner.last_name, learner.email) == (
        "Carla", "Dias", "carla@example.com")
    assert client.session["_auth_user_id"] == str(learner.pk)


@pytest.mark.django_db
def test_signup_never_redirects_to_another_site(client):
    response = client.post("/en/signup/", {**FORM, "next": "https://evil.example/"})

    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_signup_requires_names_and_refuses_a_used_email(client):
    get_user_model().objects.create_user("ana", "carla@example.com", "x")

    response = client.post("/pt-br/signup/", {**FORM, "first_name": "", "last_name": ""})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"first_name", "last_name", "email"}
    assert form.errors["email"] == ["Já existe uma conta com este endereço de email."]
    assert not get_user_model().objects.filter(username="carla").exists()
