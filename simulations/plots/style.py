"""One look for every plot: sizes, colours, fonts, grid, and deterministic file output.

Every property is passed to the artist that needs it instead of being set in
matplotlib's global ``rcParams``, so that rendering in several threads at once shares
no mutable state. The one exception is ``svg.hashsalt``, which matplotlib's SVG writer
only reads from ``rcParams``: it is set once, at import, to a constant, so that the
same figure always gives the same bytes (element ids are hashes salted with it).
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import math
from collections.abc import Iterable, Iterator, Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullFormatter

matplotlib.rcParams["svg.hashsalt"] = "gradiente"

# Figure size in CSS pixels (the <img> width and height); PNGs are drawn at twice the
# density so they stay sharp on high-density screens.
WIDTH_PX = 800
HEIGHT_PX = 450
BASE_DPI = 100
PNG_SCALE = 2

# Layouts: "wide" for a page column, "narrow" for a phone. The narrow figure is drawn at
# about the width a phone shows it (so its fonts stay at their size: an 800 px figure
# shown at 360 px would shrink them to less than half) and stacks its panels.
LAYOUTS = ("wide", "narrow")
NARROW_WIDTH_PX = 420
NARROW_PANEL_HEIGHT_PX = 340
_layout: contextvars.ContextVar[str] = contextvars.ContextVar("plot_layout", default="wide")


@contextlib.contextmanager
def layout(name: str) -> Iterator[None]:
    """Draw the figures made inside the block in the layout ``name`` (see LAYOUTS)."""
    if name not in LAYOUTS:
        raise ValueError(f"unknown layout {name!r}")
    token = _layout.set(name)
    try:
        yield
    finally:
        _layout.reset(token)


def is_narrow() -> bool:
    """Return whether the figure being drawn is for a phone (plots may adapt details)."""
    return _layout.get() == "narrow"


def figure_size(*, panels: int = 1, height_px: int = HEIGHT_PX, fits_narrow: bool = True
                ) -> tuple[float, float]:
    """Return the figure's size in inches for the current layout.

    Wide: ``panels`` side by side in ``height_px``. Narrow: the panels stacked, each a
    little shorter than the wide figure (never under NARROW_PANEL_HEIGHT_PX). A drawing
    whose geometry is its own (a graph of labelled nodes) says ``fits_narrow=False`` and
    keeps its wide size: squeezed, its labels would overlap.
    """
    if not (is_narrow() and fits_narrow):
        return WIDTH_PX / BASE_DPI, height_px / BASE_DPI
    panel = max(NARROW_PANEL_HEIGHT_PX, round(0.8 * height_px))
    return NARROW_WIDTH_PX / BASE_DPI, panel * panels / BASE_DPI

FONT_FAMILY = "DejaVu Sans"  # bundled with matplotlib: the same glyphs on every server
TITLE_SIZE = 13
LABEL_SIZE = 11
TICK_SIZE = 10
LEGEND_SIZE = 10
NOTE_SIZE = 9

INK = "#1d2330"  # the site's text colour
MUTED = "#5b6475"
GRID = "#dde2ea"
PAPER = "#ffffff"
# Okabe & Ito's colour-blind-safe palette, led by the site's accent blue; each series
# also gets its own marker and dash so that it reads in grey too.
COLOURS = ("#1f5fbf", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
MARKERS = ("o", "s", "^", "D", "v", "P")
DASHES = ("-", "--", "-.", ":", "-", "--")
REFERENCE = "#8a93a3"  # grey for bounds and reference lines

CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def series_style(index: int, *, markers: bool = True, points: int = 0) -> dict:
    """Return the colour, line and marker of the index-th series of a figure.

    Markers are thinned on long series (``points``) so that lines stay readable.
    """
    style = {
        "color": COLOURS[index % len(COLOURS)],
        "linestyle": DASHES[index % len(DASHES)],
        "linewidth": 2.0,
    }
    if markers:
        style.update(
            marker=MARKERS[index % len(MARKERS)],
            markersize=5,
            markevery=max(1, points // 25) if points else 1,
        )
    return style


def new_figure(*, panels: int = 1, height_px: int = HEIGHT_PX, fits_narrow: bool = True
               ) -> tuple[Figure, list[Axes]]:
    """Return a blank figure with ``panels`` axes side by side (stacked when narrow)."""
    figure = Figure(
        figsize=figure_size(panels=panels, height_px=height_px, fits_narrow=fits_narrow),
        dpi=BASE_DPI,
        facecolor=PAPER,
        layout="constrained",
    )
    rows, columns = (panels, 1) if is_narrow() and fits_narrow else (1, panels)
    axes = [figure.add_subplot(rows, columns, index + 1) for index in range(panels)]
    for ax in axes:
        style_axes(ax)
    return figure, axes


def style_axes(ax: Axes) -> None:
    """Give an axes the house look: light grid behind the data, no top or right spine."""
    ax.set_facecolor(PAPER)
    ax.grid(True, which="major", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    # Tick labels use matplotlib's default family, which is the bundled DejaVu Sans.
    ax.tick_params(labelsize=TICK_SIZE, colors=INK, which="both")


def label_axes(ax: Axes, *, title: str = "", xlabel: str = "", ylabel: str = "") -> None:
    """Set the title and axis labels in the house fonts."""
    font = {"fontfamily": FONT_FAMILY, "color": INK}
    if title:
        ax.set_title(title, fontsize=TITLE_SIZE, loc="left", pad=10, **font)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=LABEL_SIZE, **font)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=LABEL_SIZE, **font)


def add_legend(ax: Axes, *, location: str = "best", title: str = "") -> None:
    """Draw the legend when the axes has labelled artists."""
    handles, labels = ax.get_legend_handles_labels()
    if not labels:
        return
    legend = ax.legend(
        handles, labels, loc=location, frameon=True, framealpha=0.92, edgecolor=GRID,
        prop={"family": FONT_FAMILY, "size": LEGEND_SIZE},
        title=title or None,
        title_fontproperties={"family": FONT_FAMILY, "size": LEGEND_SIZE},
    )
    legend.get_frame().set_linewidth(0.8)


def add_note(figure: Figure, text: str) -> None:
    """Write a short note under the plot (for what a line cannot show: overflow, NaN)."""
    figure.supxlabel(text, fontsize=NOTE_SIZE, color=MUTED, fontfamily=FONT_FAMILY, x=0.01,
                     ha="left")


def use_log_scale(ax: Axes, values: Iterable[float | None], *, axis: str = "y") -> bool:
    """Switch an axis to a log scale when its positive values span two decades or more.

    Return whether it did. Gradient norms that vanish or explode span many decades; a
    linear axis would flatten every series but the largest into its floor.
    """
    positive = [v for v in values if v is not None and v > 0 and math.isfinite(v)]
    if len(positive) < 2 or max(positive) / min(positive) < 100:
        return False
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    getattr(ax, f"{axis}axis").set_major_locator(LogLocator(base=10, numticks=8))
    getattr(ax, f"{axis}axis").set_minor_formatter(NullFormatter())
    return True


def integer_ticks(ax: Axes, values: Sequence[int], *, axis: str = "x") -> None:
    """Put ticks on whole numbers only (layers, steps), at most about ten of them."""
    if not values:
        return
    low, high = min(values), max(values)
    step = max(1, math.ceil((high - low + 1) / 10))
    nice = next(n for n in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000) if n >= step)
    ticks = [low] + [tick for tick in range(0, high + 1, nice) if tick > low + nice / 2]
    (ax.set_xticks if axis == "x" else ax.set_yticks)(ticks)


def size_px(figure: Figure) -> tuple[int, int]:
    """Return the figure's width and height in CSS pixels (the <img> attributes)."""
    width, height = figure.get_size_inches()
    return round(width * BASE_DPI), round(height * BASE_DPI)


def save(figure: Figure, fmt: str) -> bytes:
    """Encode a figure as PNG or SVG bytes; the same figure always gives the same bytes."""
    buffer = io.BytesIO()
    if fmt == "png":
        figure.savefig(buffer, format="png", dpi=BASE_DPI * PNG_SCALE,
                       metadata={"Software": None})
    elif fmt == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    else:
        raise ValueError(f"unknown image format {fmt!r}")
    return buffer.getvalue()
