"""The certificate PDF (progress/certificate_pdf.py, with certificate_text.py,
certificate_page.py and certificate_layout.py): A4 landscape, either language, the
verification URL printed and linked, the same bytes every time."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from progress.certificate_pdf import certificate_pdf, draw_certificate
from progress.certificate_text import (
    CertificateText,
    certificate_text,
    format_study_time,
    long_date,
    write_certificate,
)
from progress.services import issue_certificate

URL = "https://gradiente.example/{lang}/certificates/7K2MQ-X9P4T-WA8HN-C3RDE/"


def pdf_text(pdf: bytes) -> str:
    """Return the text drawn on the page: the strings of every TJ operator, one per line.

    Matplotlib writes TrueType text (pdf.fonttype 42) as two-byte character codes in
    compressed content streams; this reads them back without a PDF library."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for array in re.findall(rb"\[((?:[^\]\\]|\\.)*)\]\s*TJ", content, re.S):
            strings = re.findall(rb"\(((?:[^()\\]|\\.)*)\)", array, re.S)
            raw = b"".join(re.sub(rb"\\(.)", rb"\1", string, flags=re.S) for string in strings)
            lines.append(raw.decode("utf-16-be", errors="replace"))
    return "\n".join(lines)


def _text(lang: str, **changes) -> CertificateText:
    fields = {
        "language": lang, "learner_name": "Ana Beatriz Souza",
        "course_title": {"en": "Neural Networks and Deep Learning",
                         "pt-br": "Redes Neurais e Deep Learning"}[lang],
        "completed_on": date(2026, 3, 12), "study_minutes": 12,
        "code": "7K2MQ-X9P4T-WA8HN-C3RDE", "verification_url": URL.format(lang=lang),
        "issued_at": datetime(2026, 3, 12, 18, 0, tzinfo=UTC),
    }
    return write_certificate(**{**fields, **changes})


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_the_pdf_is_an_a4_landscape_page_with_the_url_printed_and_linked(lang):
    pdf = draw_certificate(_text(lang))
    assert pdf.startswith(b"%PDF-")
    [box] = re.findall(rb"/MediaBox \[ *([\d. ]+?) *\]", pdf)
    width, height = (float(value) for value in box.split()[2:])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = pdf_text(pdf)
    assert URL.format(lang=lang) in text
    assert "Ana Beatriz Souza" in text
    assert _text(lang).course_title in text
    assert "7K2MQ-X9P4T-WA8HN-C3RDE" in text
    assert f"/URI ({URL.format(lang=lang)})".encode() in pdf  # clickable


def test_poppler_reads_the_same_text(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(draw_certificate(_text("en")))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Ana Beatriz Souza" in text
    assert URL.format(lang="en") in text


def test_the_same_certificate_gives_the_same_bytes():
    assert draw_certificate(_text("en")) == draw_certificate(_text("en"))


@pytest.mark.parametrize(("lang", "date_text"), [
    ("en", "March 12, 2026"), ("pt-br", "12 de março de 2026"),
])
def test_the_words_are_in_the_certificates_language(lang, date_text):
    text = _text(lang, study_minutes=125)
    assert text.completed_on == date_text
    assert text.verify_at.endswith(URL.format(lang=lang))
    assert date_text in pdf_text(draw_certificate(text))


def test_the_pdf_metadata_is_the_certificates_own():
    pdf = draw_certificate(_text("en"))
    assert b"/CreationDate (D:20260312180000Z)" in pdf
    assert b"/Producer (Gradiente (matplotlib))" in pdf or b"Gradiente" in pdf
    assert b"7K2MQ-X9P4T-WA8HN-C3RDE" in pdf


def test_a_very_long_name_and_course_title_still_fit():
    pdf = draw_certificate(_text(
        "pt-br", learner_name="Maria da Conceição Albuquerque de Souza Vasconcellos e Silva "
                              "Bragança",
        course_title="Backpropagation e Treinamento de Redes Neurais: Problemas de Vanishing e "
                     "Exploding Gradient e Inicialização de Pesos",
    ))
    text = pdf_text(pdf)
    assert "Bragança" in text and "Inicialização de Pesos" in text


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["March 1, 2026", "December 24, 2026"]),
    ("pt-br", ["1º de março de 2026", "24 de dezembro de 2026"]),
])
def test_dates_are_written_out_as_each_language_does(lang, expected):
    with translation.override(lang):
        assert [long_date(date(2026, 3, 1)), long_date(date(2026, 12, 24))] == expected


@pytest.mark.parametrize(("minutes", "expected"), [
    (1, "1 minute"), (12, "12 minutes"), (60, "1 hour"), (125, "2 hours and 5 minutes"),
])
def test_study_time_reads_in_hours_and_minutes(minutes, expected):
    with translation.override("en"):
        assert format_study_time(minutes) == expected


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_a_certificate_is_drawn_in_either_language_from_the_database(
    learner, small_course, lang
):
    certificate = issue_certificate(user=learner, course=small_course.course)
    text = certificate_text(certificate=certificate, language=lang,
                            verification_url=URL.format(lang=lang))
    assert text.course_title == {"pt-br": "Curso", "en": "Course"}[lang]
    assert text.learner_name == "Ana Beatriz Souza"
    pdf = certificate_pdf(certificate=certificate, language=lang,
                          verification_url=URL.format(lang=lang))
    assert pdf.startswith(b"%PDF-") and text.course_title in pdf_text(pdf)
