"""What the certificate's page shows: its frame, a faint loss landscape, the words, the
seal. Every function draws on an axes spanning the A4 sheet in millimetres."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, Polygon, Rectangle

from .certificate_layout import (
    A4_MM,
    ACCENT,
    CONTOUR,
    GOLD,
    GOLD_LIGHT,
    INK,
    MONO_BOLD,
    MUTED,
    NAVY,
    PAPER,
    PATH,
    PT_PER_MM,
    SANS,
    SANS_BOLD,
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
    fitting_font,
    font_at,
    text_width_mm,
    wrap_lines,
    write_text,
)
from .certificate_text import CertificateText


def draw_page(ax: Axes, text: CertificateText) -> None:
    """Draw the whole certificate, from the paper up, on axes spanning the A4 sheet."""
    _draw_frame(ax)
    _draw_landscape(ax)
    _draw_texts(ax, text)
    _draw_seal(ax, center=(A4_MM[0] / 2, 52), radius=17, words=text.seal)


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
    write_text(ax, middle, 183, "∇  GRADIENTE", fontproperties=font_at(SANS_BOLD, 11),
               color=ACCENT, **centred)
    write_text(ax, middle, 163, text.heading, fontproperties=font_at(SERIF, 34),
               color=NAVY, **centred)
    _draw_ornament(ax, middle, 155)
    write_text(ax, middle, 140, text.certify_that,
               fontproperties=font_at(SERIF_ITALIC, 15), color=MUTED, **centred)
    write_text(ax, middle, 119, text.learner_name, color=INK,
               fontproperties=fitting_font(text.learner_name, SERIF_ITALIC, 40, 225, 18), **centred)
    ax.plot([middle - 80, middle + 80], [112, 112], color=GOLD, linewidth=0.8, zorder=5)
    write_text(ax, middle, 101, text.completed_the_course,
               fontproperties=font_at(SERIF_ITALIC, 15), color=MUTED, **centred)
    _draw_course_title(ax, middle, text.course_title)
    if text.exam_passed:
        write_text(ax, middle, 67, text.exam_passed, fontproperties=font_at(SERIF_ITALIC, 13),
                   color=MUTED, **centred)
    _draw_detail(ax, middle - 85, 52, text.completed_on_label, text.completed_on)
    _draw_detail(ax, middle + 85, 52, text.study_time_label, text.study_time)
    _draw_code(ax, middle, 26, text.code_label, text.code)
    write_text(ax, middle, 19, text.verify_at, color=ACCENT, url=text.verification_url,
               fontproperties=fitting_font(text.verify_at, SANS, 9, 250, 6), **centred)


def _draw_course_title(ax: Axes, middle: float, title: str) -> None:
    """Draw the course title on one or two lines, as large as fits."""
    size = 24.0
    while True:
        font = font_at(SERIF_BOLD, size)
        lines = wrap_lines(title, font, 225)
        if len(lines) <= 2 or size <= 12:
            break
        size -= 1
    line_height = size / PT_PER_MM * 1.2
    top = 86 if len(lines) == 1 else 89
    for index, line in enumerate(lines):
        write_text(ax, middle, top - index * line_height, line, color=NAVY, ha="center",
                   va="baseline", zorder=5,
                   fontproperties=fitting_font(line, SERIF_BOLD, size, 235, 10))


def _draw_detail(ax: Axes, x: float, y: float, label: str, value: str) -> None:
    write_text(ax, x, y + 4, label.upper(), fontproperties=font_at(SANS, 8), color=MUTED,
               ha="center", va="baseline", zorder=5)
    ax.plot([x - 32, x + 32], [y + 1.5, y + 1.5], color=GOLD, linewidth=0.5, zorder=5)
    write_text(ax, x, y - 5, value, fontproperties=fitting_font(value, SERIF, 15, 70, 9), color=INK,
               ha="center", va="baseline", zorder=5)


def _draw_code(ax: Axes, middle: float, y: float, label: str, code: str) -> None:
    """Draw "VERIFICATION CODE  7K2MQ-…" centred: a small label, then the code in mono."""
    label_font, code_font = font_at(SANS, 7.5), font_at(MONO_BOLD, 10.5)
    label, gap = label.upper(), 2.5
    left = middle - (text_width_mm(label, label_font) + gap + text_width_mm(code, code_font)) / 2
    write_text(ax, left, y, label, fontproperties=label_font, color=MUTED, ha="left",
               va="baseline", zorder=5)
    write_text(ax, left + text_width_mm(label, label_font) + gap, y, code, fontproperties=code_font,
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
        write_text(ax, cx + side * radius * 0.685, cy, "★", fontproperties=font_at(SANS, 4),
                   color=GOLD, ha="center", va="center", zorder=7)
    write_text(ax, cx, cy, "∇", fontproperties=font_at(SERIF_BOLD, 25), color=NAVY, ha="center",
               va="center_baseline", zorder=7)


def _text_on_arc(ax: Axes, text: str, *, center: tuple[float, float], radius: float,
                 top: bool, largest: float = 5.4, span: float = math.radians(140)) -> None:
    """Set the text along the ring, centred on its top (clockwise) or its bottom (read
    left to right), the letters standing outward from ``radius``."""
    size = largest
    while True:
        font = font_at(SANS_BOLD, size)
        tracking = 0.28 * size / largest
        advances = [text_width_mm(char, font) if char != " " else 0.9 * size / largest
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
        write_text(ax, x, y, char, fontproperties=font, color=NAVY, ha="center",
                   va="baseline" if top else "top", rotation=math.degrees(rotation),
                   rotation_mode="anchor", zorder=7)
        position += advance + tracking
