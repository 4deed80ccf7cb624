"""The certificate in words: every label, the date and the study time, in one language.

What is printed is decided here, apart from how it is drawn (certificate_page.py), so the
verification page and the PDF write dates the same way, and a corrected translation
changes the PDF's cache key (certificate_pdf.py).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Certificate


@dataclasses.dataclass(frozen=True)
class CertificateText:
    """Every word a certificate prints, in one language: the whole input of the drawing
    (and of its cache key, so a corrected translation is drawn anew)."""

    language: str
    heading: str
    certify_that: str
    learner_name: str
    completed_the_course: str
    course_title: str
    completed_on_label: str
    completed_on: str
    study_time_label: str
    study_time: str
    code_label: str
    code: str
    verify_at: str
    verification_url: str
    seal: str
    issued_at: datetime
    exam_passed: str = ""  # "and passed the chapter exam with 85%"; empty before exams


def certificate_text(*, certificate: Certificate, language: str,
                     verification_url: str) -> CertificateText:
    """Put a stored certificate into words in the language."""
    with translation.override(language):
        course_title = certificate.course.title
    return write_certificate(
        language=language, learner_name=certificate.learner_name, course_title=course_title,
        completed_on=timezone.localdate(certificate.completed_at),
        study_minutes=certificate.study_minutes, code=certificate.code,
        verification_url=verification_url, issued_at=certificate.issued_at,
        exam_percents=[exam["percent"] for exam in (certificate.record or {}).get("exams", [])],
    )


def write_certificate(*, language: str, learner_name: str, course_title: str,
                      completed_on: date, study_minutes: int, code: str,
                      verification_url: str, issued_at: datetime,
                      exam_percents: list[int] | None = None) -> CertificateText:
    """Return the certificate's words in the language (its labels, date and study time)."""
    with translation.override(language):
        return CertificateText(
            language=language,
            heading=_("Certificate of Completion"),
            certify_that=_("This is to certify that"),
            learner_name=learner_name,
            completed_the_course=_("has completed the course"),
            course_title=course_title,
            completed_on_label=_("Completed on"),
            completed_on=long_date(completed_on),
            study_time_label=_("Study time"),
            study_time=format_study_time(study_minutes),
            code_label=_("Verification code"),
            code=code,
            verify_at=_("Verify this certificate at %(url)s") % {"url": verification_url},
            verification_url=verification_url,
            seal=_("Verified certificate"),
            issued_at=issued_at,
            exam_passed=ngettext(
                "and passed the chapter exam with %(percents)s",
                "and passed the chapter exams with %(percents)s", len(exam_percents),
            ) % {"percents": ", ".join(f"{percent}%" for percent in exam_percents)}
            if exam_percents else "",
        )


def long_date(value: date) -> str:
    """Return the date written out in the active language: "March 1, 2026", and in
    Portuguese "1º de março de 2026" (months in lower case, the first of the month ordinal)."""
    if not translation.get_language().startswith("pt"):
        return formats.date_format(value, "F j, Y")
    day = "1º" if value.day == 1 else str(value.day)
    return f"{day} de {formats.date_format(value, 'F').lower()} de {value.year}"


def format_study_time(minutes: int) -> str:
    """Return "45 minutes", "2 hours" or "1 hour and 5 minutes" in the active language."""
    hours, rest = divmod(minutes, 60)
    hours_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes_text = ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest}
    if not hours:
        return minutes_text
    if not rest:
        return hours_text
    return _("%(hours)s and %(minutes)s") % {"hours": hours_text, "minutes": minutes_text}


@dataclasses.dataclass(frozen=True)
class PassedFacts:
    """What the certificate's public page says was passed, in one language."""

    lessons: list[str]  # "18.1. Title"
    exams: list[dict[str, str]]  # title, percent, pass mark and date of each chapter exam
    predates_exam: bool  # issued when lessons alone earned a certificate


def passed_facts(certificate: Certificate, language: str) -> PassedFacts:
    """Return what was passed, from the record the certificate kept when it was issued."""
    record = certificate.record or {}
    with translation.override(language):
        lessons = [f"{lesson['number']}. {_in(lesson['title'], language)}"
                   for lesson in record.get("lessons", [])]
        exams = [{
            "title": _in(exam["title"], language),
            "percent": exam["percent"], "pass_percent": exam["pass_percent"],
            "date": long_date(timezone.localdate(datetime.fromisoformat(exam["submitted_at"]))),
        } for exam in record.get("exams", [])]
    return PassedFacts(lessons, exams, certificate.predates_exam)


def _in(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("pt-br") or ""
