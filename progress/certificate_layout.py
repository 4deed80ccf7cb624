"""The certificate's page: its size, colours and fonts, and how text is measured on it.

Fonts are the ones bundled with matplotlib (STIX for the serif text, DejaVu for labels
and the code), read from matplotlib's own files, so that every server draws the same
glyphs. Lengths are in millimetres, the page's own unit (the axes span the A4 sheet).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

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


def write_text(ax: Axes, x: float, y: float, text: str, **properties) -> None:
    """Draw text without ligatures, so that it is copied, searched and read as written
    (an "fi" ligature would turn "certificates" in the URL into a glyph with no letters)."""
    ax.text(x, y, text, fontfeatures=NO_LIGATURES, **properties)


def font_at(path: Path, size: float) -> FontProperties:
    """Return the font file at the size (in points)."""
    return FontProperties(fname=path, size=size)


def text_width_mm(text: str, font: FontProperties) -> float:
    """Return how wide the text is drawn in the font, in millimetres."""
    if not text:
        return 0.0
    return TextPath((0, 0), text, prop=font).get_extents().width / PT_PER_MM


def fitting_font(text: str, path: Path, size: float, width_mm: float,
                 smallest: float) -> FontProperties:
    """Return the font at the largest size up to ``size`` at which the text fits the width."""
    font = font_at(path, size)
    while size > smallest and text_width_mm(text, font) > width_mm:
        size -= 0.5
        font = font_at(path, size)
    return font


def wrap_lines(text: str, font: FontProperties, width_mm: float) -> list[str]:
    """Break the text into lines no wider than the width (a long word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width_mm(f"{lines[-1]} {word}", font) <= width_mm:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
