"""The learner's progress page, the lesson page marking a read, and the public
certificate pages (progress/views.py)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from progress.models import Certificate, LessonProgress
from progress.services import issue_certificate, mark_lesson_read, revoke_certificate

from .conftest import PASSWORD


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def certificate(learner, small_course):
    return issue_certificate(user=learner, course=small_course.course,
                             completed_at=timezone.make_aware(timezone.datetime(2026, 3, 12, 15)))


def test_progress_page_asks_to_log_in(client, db):
    response = client.get("/en/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/login/?next=/en/me/")


def test_opening_a_lesson_marks_it_read_for_a_logged_in_learner_only(
    client, learner, small_course
):
    lesson = small_course.lessons[0]
    client.get(f"/pt-br/courses/course/{lesson.slug}/")
    assert not LessonProgress.objects.exists()
    client.login(username=learner.username, password=PASSWORD)
    client.get(f"/pt-br/courses/course/{lesson.slug}/")
    client.get(f"/pt-br/courses/course/{lesson.slug}/")
    progress = LessonProgress.objects.get()
    assert progress.lesson == lesson and progress.read_at is not None


def test_progress_page_shows_bars_counts_accuracy_and_where_to_continue(
    client, learner, small_course, answer
):
    answer(learner, small_course.questions["1.1a"], right=True)
    answer(learner, small_course.questions["1.1b"], right=False)
    answer(learner, small_course.questions["1.1b"], right=True)
    mark_lesson_read(user=learner, lesson=small_course.lessons[1])
    client.login(username=learner.username, password=PASSWORD)
    response = client.get("/en/me/")
    assert response.status_code == 200
    html = response.content.decode()
    page = _text(html)
    assert '<progress class="progress-bar progress-bar-course" max="100" value="66"' in html
    assert 'max="100" value="100"' in html and 'max="100" value="0"' in html  # chapters
    assert "2 of 3 lessons completed" in page
    assert "First-try accuracy: 50% (1 of 2 questions right the first time)" in page
    assert "Continue: 2.1. Lesson 2.1" in page
    assert f'href="/en/courses/course/{small_course.lessons[2].slug}/"' in html


def test_progress_page_links_the_certificate_in_both_languages(
    client, learner, certificate
):
    client.login(username=learner.username, password=PASSWORD)
    html = client.get("/pt-br/me/").content.decode()
    assert f"/pt-br/certificates/{certificate.code}/" in html
    assert f"/pt-br/certificates/{certificate.code}/pdf/" in html
    assert f"/en/certificates/{certificate.code}/pdf/" in html


@pytest.mark.parametrize(("lang", "date", "course_title"), [
    ("en", "March 12, 2026", "Course"), ("pt-br", "12 de março de 2026", "Curso"),
])
def test_a_valid_code_shows_the_name_course_and_date(
    client, certificate, lang, date, course_title
):
    response = client.get(f"/{lang}/certificates/{certificate.code}/")
    assert response.status_code == 200
    page = _text(response.content.decode())
    assert "Ana Beatriz Souza" in page
    assert course_title in page
    assert date in page
    assert certificate.code in page


def test_the_public_page_shows_nothing_else_about_the_learner(client, learner, certificate):
    html = client.get(f"/en/certificates/{certificate.code}/").content.decode()
    assert learner.email not in html and "ana.private" not in html
    assert learner.username not in html
    assert f"/admin/auth/user/{learner.pk}" not in html
    assert 'name="robots" content="noindex' in html  # names stay out of search engines


def test_an_unknown_code_is_a_404_that_says_so(client, db):
    response = client.get("/en/certificates/AAAAA-BBBBB-CCCCC-DDDDD/")
    assert response.status_code == 404
    assert "No certificate has the code" in _text(response.content.decode())


def test_a_revoked_code_says_revoked_and_its_pdf_is_gone(client, certificate):
    revoke_certificate(certificate=certificate, reason="plagiarism reported by a.b@example.com")
    response = client.get(f"/en/certificates/{certificate.code}/")
    page = _text(response.content.decode())
    assert response.status_code == 200
    assert "This certificate was revoked on" in page and "no longer valid" in page
    assert "This certificate is valid" not in page
    assert "plagiarism" not in page  # the reason is for instructors only
    assert client.get(f"/en/certificates/{certificate.code}/pdf/").status_code == 410


def test_a_code_typed_in_lower_case_or_with_look_alikes_finds_the_certificate(
    client, certificate
):
    typed = certificate.code.lower().replace("0", "o").replace("1", "l").replace("-", " ")
    response = client.get("/en/certificates/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/en/certificates/{certificate.code}/"
    response = client.get(f"/en/certificates/{certificate.code.lower()}/")
    assert response["Location"] == f"/en/certificates/{certificate.code}/"


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_the_pdf_is_served_in_the_pages_language(client, certificate, lang):
    response = client.get(f"/{lang}/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    url = f"http://testserver/{lang}/certificates/{certificate.code}/"
    assert f"/URI ({url})".encode() in response.content
    assert f"{lang}-{certificate.code}.pdf" in response["Content-Disposition"]


def test_an_unknown_codes_pdf_is_a_404(client, db):
    assert client.get("/en/certificates/AAAAA-BBBBB-CCCCC-DDDDD/pdf/").status_code == 404


def test_certificates_are_issued_once_even_if_the_page_is_reloaded(
    client, learner, small_course, answer
):
    client.login(username=learner.username, password=PASSWORD)
    for key in ("1.1a", "1.1b", "2.1"):
        answer(learner, small_course.questions[key])
    for _ in range(3):
        client.get(f"/en/courses/course/{small_course.lessons[1].slug}/")
    assert Certificate.objects.count() == 1
