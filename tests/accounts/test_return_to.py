"""Logging in or signing up from any page brings the learner back to that page."""

import pytest

from tests.accounts.test_signup_page import FORM

LAB = "/pt-br/lab/gradient_descent/?condition_number=30&lr_fraction=0.9"


@pytest.mark.django_db
def test_the_header_links_carry_the_page_with_its_query(client):
    page = client.get(LAB).content.decode()

    next_value = "/pt-br/lab/gradient_descent/%3Fcondition_number%3D30%26lr_fraction%3D0.9"
    assert f'href="/pt-br/login/?next={next_value}"' in page
    assert f'href="/pt-br/signup/?next={next_value}"' in page


@pytest.mark.django_db
def test_signing_up_from_a_lesson_returns_to_the_lesson(client):
    lesson = "/pt-br/courses/redes-neurais/"
    signup_link = f"/pt-br/signup/?next={lesson}"
    form_page = client.get(signup_link).content.decode()
    assert f'name="next" value="{lesson}"' in form_page

    response = client.post(signup_link, {**FORM, "next": lesson})

    assert response["Location"] == lesson


@pytest.mark.django_db
def test_the_login_page_passes_its_destination_to_sign_up_and_to_its_own_header(client):
    page = client.get("/en/login/?next=/en/lab/gradient_descent/").content.decode()

    assert 'href="/en/signup/?next=/en/lab/gradient_descent/"' in page
    # The header's links keep the destination too, instead of pointing at the login page.
    assert 'href="/en/signup/?next=/en/lab/gradient_descent/"' in page


@pytest.mark.parametrize(("lang", "first", "last"), [
    ("pt-br", "Nome", "Sobrenome"), ("en", "First name", "Last name")])
@pytest.mark.django_db
def test_the_signup_form_names_the_fields_as_people_write_them(client, lang, first, last):
    page = client.get(f"/{lang}/signup/").content.decode()

    assert f">{first}:</label>" in page and f">{last}:</label>" in page
