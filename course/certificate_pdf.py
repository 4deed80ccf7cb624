"""The certificate as a PDF: A4 landscape, drawn with matplotlib's object-oriented API.

Never pyplot: the figure is built, saved to bytes and dropped, so that requests in
several threads share nothing. Fonts are the ones bundled with matplotlib (STIX for the
serif text, DejaVu for labels and the code), read from matplotlib's own files, so every
server draws the same glyphs; they are embedded as TrueType (``pdf.fonttype`` 42) so
that the text can be selected, searched and read by a screen reader. The same
certificate and language always give the same bytes: the PDF's dates are the
certificate's own, not the time of drawing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import math
from datetime import date, datetime
from pathlib import Path

import matplotlib
import numpy as np
from django.core.cache import cache
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, Polygon, Rectangle
from matplotlib.textpath import TextPath

from .models import Certificate

# Read by matplotlib's PDF writer from rcParams only: set once, at import, to a constant
# (as simulations/plots/style.py does for svg.hashsalt), so that threads share no change.
matplotlib.rcParams["pdf.fonttype"] = 42
# fontTools reports every font it subsets at INFO: one PDF would fill the log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

PDF_VERSION = "1"  # part of the cache key: change it when the drawing changes
CACHE_SECONDS = 7 * 24 * 3600

A4_MM = (297.0, 210.0)  # landscape
MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH

PAPER = "#fffdf8"
INK = "#1d2330"
NAVY = "#17315c"
ACCENT = "#1f5fbf"
MUTED = "#5b6475"
GOLD = "#b08a3e"
GOLD_LIGHT = "#f4ead4"
CONTOUR = "#d9e2f0"
PATH = "#a9bfe3"

NO_LIGATURES = ("-liga", "-clig", "-dlig")

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
SERIF = _FONTS / "STIXGeneral.ttf"
SERIF_BOLD = _FONTS / "STIXGeneralBol.ttf"
SERIF_ITALIC = _FONTS / "STIXGeneralItalic.ttf"
SANS = _FONTS / "DejaVuSans.ttf"
SANS_BOLD = _FONTS / "DejaVuSans-Bold.ttf"
MONO_BOLD = _FONTS / "DejaVuSansMono-Bold.ttf"


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


def certificate_pdf(*, certificate: Certificate, language: str, verification_url: str) -> bytes:
    """Return the certificate's PDF in the language, drawn once and then kept in the cache."""
    text = certificate_text(certificate=certificate, language=language,
                            verification_url=verification_url)
    key = "course:certificate-pdf:" + hashlib.sha256(
        repr((PDF_VERSION, matplotlib.__version__, dataclasses.astuple(text))).encode()
    ).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = draw_certificate(text)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


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
    )


def write_certificate(*, language: str, learner_name: str, course_title: str,
                      completed_on: date, study_minutes: int, code: str,
                      verification_url: str, issued_at: datetime) -> CertificateText:
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


def draw_certificate(text: CertificateText) -> bytes:
    """Draw the certificate and return the PDF's bytes (the same text, the same bytes)."""
    figure = Figure(figsize=(A4_MM[0] / MM_PER_INCH, A4_MM[1] / MM_PER_INCH), dpi=72)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, A4_MM[0])
    ax.set_ylim(0, A4_MM[1])
    ax.set_axis_off()
    _draw_frame(ax)
    _draw_landscape(ax)
    _draw_texts(ax, text)
    _draw_seal(ax, center=(A4_MM[0] / 2, 52), radius=17, words=text.seal)
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


def _write(ax: Axes, x: float, y: float, text: str, **properties) -> None:
    """Draw text without ligatures, so that it is copied, searched and read as written
    (an "fi" ligature would turn "certificates" in the URL into a glyph with no letters)."""
    ax.text(x, y, text, fontfeatures=NO_LIGATURES, **properties)


def _font(path: Path, size: float) -> FontProperties:
    return FontProperties(fname=path, size=size)


def _width_mm(text: str, font: FontProperties) -> float:
    """Return how wide the text is drawn in the font, in millimetres."""
    if not text:
        return 0.0
    return TextPath((0, 0), text, prop=font).get_extents().width / PT_PER_MM


def _fit(text: str, path: Path, size: float, width_mm: float, smallest: float) -> FontProperties:
    """Return the font at the largest size up to ``size`` at which the text fits the width."""
    font = _font(path, size)
    while size > smallest and _width_mm(text, font) > width_mm:
        size -= 0.5
        font = _font(path, size)
    return font


def _wrap(text: str, font: FontProperties, width_mm: float) -> list[str]:
    """Break the text into lines no wider than the width (a long word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width_mm(f"{lines[-1]} {word}", font) <= width_mm:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _draw_frame(ax: Axes) -> None:
    width, height = A4_MM
    ax.add_patch(Rectangle((0, 0), width, height, facecolor=PAPER, edgecolor="none", zorder=0))
    ax.add_patch(Rectangle((8, 8), width - 16, height - 16, fill=False, edgecolor=NAVY,
                           linewidth=2.4, zorder=3))
    ax.add_patch(Rectangle((11, 11), width - 22, height - 22, fill=False, edgecolor=GOLD,
                           linewidth=0.7, zorder=3))
    for x, y in ((11, 11), (width - 11, 11), (11, height - 11), (width - 11, height - 11)):
        ax.add_patch(Polygon([(x - 2.2, y), (x, y + 2.2), (x + 2.2, y), (x, y - 2.2)],
                             closed=True, facecolor=GOLD, edgecolor="none", zorder=4))


def _draw_landscape(ax: Axes) -> None:
    """Draw, faintly, in two corners, a long valley of a loss and gradient descent
    zig-zagging down into it: the picture the course is about."""
    u, v = np.meshgrid(np.linspace(-1.4, 1.4, 281), np.linspace(-0.6, 0.6, 121))  # (121, 281)
    loss = u**2 + 9 * v**2
    levels = np.geomspace(0.01, 1.6, 9)
    path = _descent_path(start=(-0.92, 0.2), steps=16, curvature=9.0, rate=0.095)
    clip = Rectangle((11, 11), A4_MM[0] - 22, A4_MM[1] - 22, transform=ax.transData)
    # The two top corners, mirrored: the bottom of the page is for the dates and the URL.
    turn = math.radians(208)
    for (x0, y0), size, mirror in (((36, 172), 46, 1), ((261, 172), 46, -1)):
        def place(a, b, x0=x0, y0=y0, size=size, mirror=mirror):
            return (x0 + mirror * size * (a * math.cos(turn) - b * math.sin(turn)),
                    y0 + size * (a * math.sin(turn) + b * math.cos(turn)))

        xs, ys = place(u, v)
        contours = ax.contour(xs, ys, loss, levels=levels, colors=CONTOUR, linewidths=0.6,
                              zorder=1)
        contours.set_clip_path(clip)
        px, py = place(path[:, 0], path[:, 1])
        ax.plot(px, py, color=PATH, linewidth=0.7, marker="o", markersize=1.4, zorder=2,
                clip_path=clip)
        ax.plot(*place(0.0, 0.0), color=GOLD, marker="o", markersize=2.2, zorder=2)


def _descent_path(*, start: tuple[float, float], steps: int, curvature: float,
                  rate: float) -> np.ndarray:
    """Return the points of plain gradient descent on u² + curvature·v² from ``start``."""
    scale = np.array([1 - 2 * rate, 1 - 2 * rate * curvature])  # each step multiplies by it
    return np.array(start) * scale ** np.arange(steps + 1)[:, None]  # (steps + 1, 2)


def _draw_texts(ax: Axes, text: CertificateText) -> None:
    middle = A4_MM[0] / 2
    centred = {"ha": "center", "va": "baseline", "zorder": 5}
    _write(ax, middle, 183, "∇  GRADIENTE", fontproperties=_font(SANS_BOLD, 11),
           color=ACCENT, **centred)
    _write(ax, middle, 163, text.heading, fontproperties=_font(SERIF, 34),
           color=NAVY, **centred)
    _draw_ornament(ax, middle, 155)
    _write(ax, middle, 140, text.certify_that,
           fontproperties=_font(SERIF_ITALIC, 15), color=MUTED, **centred)
    _write(ax, middle, 119, text.learner_name, color=INK,
           fontproperties=_fit(text.learner_name, SERIF_ITALIC, 40, 225, 18), **centred)
    ax.plot([middle - 80, middle + 80], [112, 112], color=GOLD, linewidth=0.8, zorder=5)
    _write(ax, middle, 101, text.completed_the_course,
           fontproperties=_font(SERIF_ITALIC, 15), color=MUTED, **centred)
    _draw_course_title(ax, middle, text.course_title)
    _draw_detail(ax, middle - 85, 52, text.completed_on_label, text.completed_on)
    _draw_detail(ax, middle + 85, 52, text.study_time_label, text.study_time)
    _draw_code(ax, middle, 26, text.code_label, text.code)
    _write(ax, middle, 19, text.verify_at, fontproperties=_fit(text.verify_at, SANS, 9, 250, 6),
           color=ACCENT, url=text.verification_url, **centred)


def _draw_course_title(ax: Axes, middle: float, title: str) -> None:
    """Draw the course title on one or two lines, as large as fits."""
    size = 24.0
    while True:
        font = _font(SERIF_BOLD, size)
        lines = _wrap(title, font, 225)
        if len(lines) <= 2 or size <= 12:
            break
        size -= 1
    line_height = size / PT_PER_MM * 1.2
    top = 86 if len(lines) == 1 else 89
    for index, line in enumerate(lines):
        _write(ax, middle, top - index * line_height, line, color=NAVY, ha="center",
               va="baseline", fontproperties=_fit(line, SERIF_BOLD, size, 235, 10), zorder=5)


def _draw_detail(ax: Axes, x: float, y: float, label: str, value: str) -> None:
    _write(ax, x, y + 4, label.upper(), fontproperties=_font(SANS, 8), color=MUTED, ha="center",
           va="baseline", zorder=5)
    ax.plot([x - 32, x + 32], [y + 1.5, y + 1.5], color=GOLD, linewidth=0.5, zorder=5)
    _write(ax, x, y - 5, value, fontproperties=_fit(value, SERIF, 15, 70, 9), color=INK,
           ha="center", va="baseline", zorder=5)


def _draw_code(ax: Axes, middle: float, y: float, label: str, code: str) -> None:
    """Draw "VERIFICATION CODE  7K2MQ-…" centred: a small label, then the code in mono."""
    label_font, code_font = _font(SANS, 7.5), _font(MONO_BOLD, 10.5)
    label, gap = label.upper(), 2.5
    left = middle - (_width_mm(label, label_font) + gap + _width_mm(code, code_font)) / 2
    _write(ax, left, y, label, fontproperties=label_font, color=MUTED, ha="left",
           va="baseline", zorder=5)
    _write(ax, left + _width_mm(label, label_font) + gap, y, code, fontproperties=code_font,
           color=INK, ha="left", va="baseline", zorder=5)


def _draw_ornament(ax: Axes, x: float, y: float) -> None:
    ax.plot([x - 40, x - 4], [y, y], color=GOLD, linewidth=0.8, zorder=5)
    ax.plot([x + 4, x + 40], [y, y], color=GOLD, linewidth=0.8, zorder=5)
    ax.add_patch(Polygon([(x - 2.2, y), (x, y + 2.2), (x + 2.2, y), (x, y - 2.2)],
                         closed=True, facecolor=GOLD, edgecolor="none", zorder=5))


def _draw_seal(ax: Axes, *, center: tuple[float, float], radius: float, words: str) -> None:
    """Draw a rosette seal: a scalloped gold disc, words round its ring, a nabla inside."""
    cx, cy = center
    points = 60
    angles = np.linspace(0, 2 * np.pi, 2 * points, endpoint=False)
    radii = np.where(np.arange(2 * points) % 2 == 0, radius, radius * 0.93)
    rosette = np.column_stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)])
    ax.add_patch(Polygon(rosette, closed=True, facecolor=GOLD_LIGHT, edgecolor=GOLD,
                         linewidth=0.6, zorder=5))
    ax.add_patch(Circle(center, radius * 0.82, fill=False, edgecolor=GOLD, linewidth=0.9,
                        zorder=6))
    ax.add_patch(Circle(center, radius * 0.55, fill=False, edgecolor=GOLD, linewidth=0.5,
                        zorder=6))
    ring = radius * 0.61
    _text_on_arc(ax, "GRADIENTE", center=center, radius=ring, top=True)
    _text_on_arc(ax, words.upper(), center=center, radius=ring, top=False)
    for side in (-1, 1):
        _write(ax, cx + side * radius * 0.685, cy, "★", fontproperties=_font(SANS, 4), color=GOLD,
               ha="center", va="center", zorder=7)
    _write(ax, cx, cy, "∇", fontproperties=_font(SERIF_BOLD, 25), color=NAVY, ha="center",
           va="center_baseline", zorder=7)


def _text_on_arc(ax: Axes, text: str, *, center: tuple[float, float], radius: float,
                 top: bool, largest: float = 5.4, span: float = math.radians(140)) -> None:
    """Set the text along the ring, centred on its top (clockwise) or its bottom (read
    left to right), the letters standing outward from ``radius``."""
    size = largest
    while True:
        font = _font(SANS_BOLD, size)
        tracking = 0.28 * size / largest
        advances = [_width_mm(char, font) if char != " " else 0.9 * size / largest
                    for char in text]
        length = sum(advances) + tracking * (len(text) - 1)
        if length / radius <= span or size <= 3:
            break
        size -= 0.2
    cx, cy = center
    position = -length / 2
    for char, advance in zip(text, advances, strict=True):
        angle = (position + advance / 2) / radius
        if top:
            x, y, rotation = cx + radius * math.sin(angle), cy + radius * math.cos(angle), -angle
        else:
            x, y, rotation = cx + radius * math.sin(angle), cy - radius * math.cos(angle), angle
        _write(ax, x, y, char, fontproperties=font, color=NAVY, ha="center",
               va="baseline" if top else "top", rotation=math.degrees(rotation),
               rotation_mode="anchor", zorder=7)
        position += advance + tracking
