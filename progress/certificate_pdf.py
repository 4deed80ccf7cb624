"""The certificate as a PDF: A4 landscape, drawn with matplotlib's object-oriented API.

Never pyplot: the figure is built, saved to bytes and dropped, so that requests in
several threads share nothing. The words come from certificate_text.py, the drawing
from certificate_page.py. Fonts are embedded as TrueType (``pdf.fonttype`` 42) so that
the text can be selected, searched and read by a screen reader. The same certificate
and language always give the same bytes: the PDF's dates are the certificate's own, not
the time of drawing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging

import matplotlib
from django.core.cache import cache
from matplotlib.figure import Figure

from ops.metrics import CacheName, count_cache_lookup

from .certificate_layout import A4_MM, MM_PER_INCH, PAPER
from .certificate_page import draw_page
from .certificate_text import CertificateText, certificate_text
from .models import Certificate

# Read by matplotlib's PDF writer from rcParams only: set once, at import, to a constant
# (as simulations/plots/style.py does for svg.hashsalt), so that threads share no change.
matplotlib.rcParams["pdf.fonttype"] = 42
# fontTools reports every font it subsets at INFO: one PDF would fill the log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

PDF_VERSION = "1"  # part of the cache key: change it when the drawing changes
CACHE_SECONDS = 7 * 24 * 3600


def certificate_pdf(*, certificate: Certificate, language: str, verification_url: str) -> bytes:
    """Return the certificate's PDF in the language, drawn once and then kept in the cache."""
    text = certificate_text(certificate=certificate, language=language,
                            verification_url=verification_url)
    key = "course:certificate-pdf:" + hashlib.sha256(
        repr((PDF_VERSION, matplotlib.__version__, dataclasses.astuple(text))).encode()
    ).hexdigest()
    pdf = cache.get(key)
    count_cache_lookup(CacheName.CERTIFICATE_PDF, hit=pdf is not None)
    if pdf is None:
        pdf = draw_certificate(text)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def draw_certificate(text: CertificateText) -> bytes:
    """Draw the certificate and return the PDF's bytes (the same text, the same bytes)."""
    figure = Figure(figsize=(A4_MM[0] / MM_PER_INCH, A4_MM[1] / MM_PER_INCH), dpi=72)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, A4_MM[0])
    ax.set_ylim(0, A4_MM[1])
    ax.set_axis_off()
    draw_page(ax, text)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf", facecolor=PAPER, metadata=_metadata(text))
    return buffer.getvalue()


def _metadata(text: CertificateText) -> dict:
    moment = text.issued_at
    return {
        "Title": " · ".join([text.heading, text.course_title, text.learner_name]),
        "Author": "Gradiente",
        "Subject": text.verification_url,
        "Keywords": text.code,
        "Creator": "Gradiente",
        "Producer": "Gradiente (matplotlib)",
        "CreationDate": moment,
        "ModDate": moment,
    }
