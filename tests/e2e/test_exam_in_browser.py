"""A learner who completed every lesson takes the chapter exam in a real browser, with the
keyboard only for the answers, hands it in, and opens the certificate's page."""

import pytest
from django.contrib.auth import get_user_model

from exams.models import ExamAttempt
from exams.sheet import item_snapshot, item_variant
from progress.models import Certificate
from tests.exams.learners import complete_every_lesson, right_answer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_learner_takes_the_exam_and_reaches_the_certificate(imported_course, live_server, page,
                                                            screenshot_dir):
    user = get_user_model().objects.create_user(username="ana", password="pw-ana-123",
                                                first_name="Ana", last_name="Souza")
    complete_every_lesson(user, imported_course)
    page.goto(f"{live_server.url}/en/login/")
    page.fill("#id_username", "ana")
    page.fill("#id_password", "pw-ana-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    last = imported_course.lessons.order_by("-chapter__number", "-number").first()
    page.goto(f"{live_server.url}/en/courses/redes-neurais/{last.slug}/")  # leads to the exam
    page.locator("a.exam-card").click()
    page.get_by_role("button", name="Start the exam").click()
    attempt = ExamAttempt.objects.get(user=user)
    for item in attempt.items.order_by("position"):
        answer = right_answer(item_snapshot(item, "en"), item_variant(item))
        name = f"question-{item.position}"
        if isinstance(answer, float):
            page.locator(f"input[name={name}]").focus()
            page.keyboard.type(repr(answer))
        else:
            for choice in answer if isinstance(answer, list) else [answer]:
                page.locator(f"input[name={name}][value='{choice}']").focus()
                page.keyboard.press("Space")
    page.screenshot(path=str(screenshot_dir / "exam-en.png"), full_page=True)
    page.get_by_role("button", name="Hand in the exam").click()
    page.wait_for_url("**/exam/attempts/1/")
    assert "Passed: 100%" in page.locator("#exam-verdict").inner_text()
    certificate = Certificate.objects.get(user=user)
    page.goto(f"{live_server.url}/en/certificates/{certificate.code}/")
    assert "100%" in page.locator(".exam-passed").inner_text()
