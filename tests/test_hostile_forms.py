"""The HTML forms (login, sign-up, answer, lab, certificate check) fed the hostile corpus.

Form bodies are bytes: values are percent-encoded by hand, so that invalid UTF-8 (the
bytes of a lone surrogate) and NULs arrive as an attacker would send them. Every request
must be answered with a page (or a redirect), never a server error.
"""

from urllib.parse import quote, unquote

import pytest

from simulations import registry
from simulations.engine.core import ParameterError, normalized

from .api.conftest import quiz  # noqa: F401 (a fixture)

CORPUS = [
    "%ED%A0%80", "%FF%FE", "%00", "a%00b", quote("²"), quote("١٢٣"), "1e400", "-1e400",
    "1e-400", "NaN", "Infinity", "9" * 400, "0x10", "0%2C5", quote("1,3 × 10⁻³"), "x" * 20_000,
    quote("' OR 1=1 --"), quote("<script>alert(1)</script>"), "", "-1", str(2**64),
]


def post_raw(client, url, fields: dict[str, str]):
    body = "&".join(f"{name}={value}" for name, value in fields.items())
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def assert_page(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


FORMS = {
    "/en/login/": ["username", "password", "next"],
    "/pt-br/signup/": ["first_name", "last_name", "username", "email", "password1",
                       "password2", "next"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", FORMS)
def test_login_and_signup_survive_every_value_in_every_field(client, url):
    for field in FORMS[url]:
        for value in CORPUS:
            fields = {name: "ok" for name in FORMS[url]} | {field: value}
            assert_page(post_raw(client, url, fields), f"{url} {field}={value[:30]}")


def test_the_answer_form_survives_every_value(client, quiz):  # noqa: F811
    for question in (quiz.single, quiz.multiple, quiz.numeric, quiz.simulated):
        url = f"/en/exercises/{question.pk}/answer/"
        prefix = f"q{question.pk}"
        for value in CORPUS:
            for fields in ({f"{prefix}-answer": value}, {f"{prefix}-shown": value},
                           {f"{prefix}-answer": "1", f"{prefix}-shown": value}):
                assert_page(post_raw(client, url, fields), f"{question.key} {fields}")


@pytest.mark.django_db
@pytest.mark.parametrize("slug", list(registry.SIMULATIONS))
def test_every_lab_field_survives_every_value(client, slug):
    simulation = registry.get(slug).engine
    names = [spec.name for spec in simulation.specs()] + ["seed", "kind", "format"]
    drawn = set()
    for name in names:
        for value in CORPUS:
            if name in simulation.params_cls.__dataclass_fields__:
                # One configuration is drawn once: the same valid value again is no news.
                configuration = runnable(simulation, name, unquote(value))
                if configuration in drawn:
                    continue
                drawn.add(configuration)
            response = client.get(f"/pt-br/lab/{slug}/?{name}={value}")
            assert_page(response, f"lab {slug} {name}={value[:30]}")


def runnable(simulation, name: str, value: str):
    """Return the normalized parameters the lab would run, or the raw value if invalid."""
    try:
        return tuple(normalized(simulation.validate({name: value})).items())
    except ParameterError:
        return (name, value)


@pytest.mark.django_db
def test_the_certificate_check_survives_every_value(client):
    for value in CORPUS:
        assert_page(client.get(f"/en/certificates/verify/?code={value}"), f"code={value[:30]}")


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "body"), [
    ("/pt-br/signup/", "email=a%00b%40example.com&username=x"),
    ("/en/login/", "username=a%00b&password=x"),
])
def test_a_nul_in_a_form_is_a_bad_request_before_any_query(client, url, body,
                                                          django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
