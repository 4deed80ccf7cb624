"""Every page type loads under the strict Content-Security-Policy without a violation."""

import pytest
from django.contrib.auth import get_user_model

from course.models import Lesson
from quizzes.models import Question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Collects what the browser refused; Playwright adds it outside the page's policy.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status < 400, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.cspViolations")


# Refusals the policy is there for: Redoc asks for its logo from its makers' CDN, which the
# site never loads from (the page works without it).
EXPECTED_REFUSALS = {"img-src https://cdn.redoc.ly/redoc/logo-mini.svg"}


@pytest.fixture
def watched_page(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def test_learner_pages_have_no_violation(imported_course, live_server, watched_page):
    lesson = Lesson.objects.get(slug="problemas-de-vanishing-e-exploding-gradient")
    paths = ["/en/", "/pt-br/courses/redes-neurais/", lesson.get_absolute_url(),
             "/en/lab/", "/pt-br/lab/mlp_gradient_flow/", "/en/login/", "/pt-br/signup/",
             "/api/docs/", "/api/redoc/"]
    violations = {path: [v for v in visit(watched_page, live_server.url + path)
                         if v not in EXPECTED_REFUSALS] for path in paths}
    assert violations == {path: [] for path in paths}


def test_admin_pages_have_no_violation(imported_course, live_server, watched_page):
    get_user_model().objects.create_superuser("root", "root@example.com", "pw-for-the-test")
    page = watched_page
    assert visit(page, f"{live_server.url}/admin/login/") == []
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-for-the-test")
    page.click("input[type=submit]")
    question = Question.objects.filter(choices__isnull=False).first()
    change = f"/admin/quizzes/question/{question.pk}/"
    paths = ["/admin/", "/admin/quizzes/question/", f"{change}change/", f"{change}statistics/",
             "/admin/course/lesson/"]
    violations = {path: visit(page, live_server.url + path) for path in paths}
    assert violations == {path: [] for path in paths}
