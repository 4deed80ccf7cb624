"""Drawing a small computational graph: boxes for nodes, arrows for edges, numbers on both.

Forward values are written in the house blue and gradients (or adjoints) in orange, on
every node and edge, so that a reader can follow both passes with a finger. Coordinates
are in the unit square of an axes without ticks.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from . import style

FORWARD = style.COLOURS[0]
BACKWARD = style.COLOURS[1]
NODE_FILL = "#f4f6fa"
TEXT_SIZE = 9.5


def blank_canvas(ax: Axes) -> None:
    """Turn an axes into an empty drawing board over the unit square."""
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")


def node(ax: Axes, x: float, y: float, lines: Sequence[tuple[str, str]], *,
         width: float = 0.13, line_height: float = 0.05) -> None:
    """Draw a box centred at (x, y) with one line of text per (text, colour) pair."""
    height = line_height * len(lines) + 0.025
    ax.add_patch(FancyBboxPatch(
        (x - width / 2, y - height / 2), width, height,
        boxstyle="round,pad=0.008,rounding_size=0.02", facecolor=NODE_FILL,
        edgecolor=style.MUTED, linewidth=1.0, zorder=3))
    top = y + (len(lines) - 1) * line_height / 2
    for index, (text, colour) in enumerate(lines):
        ax.text(x, top - index * line_height, text, ha="center", va="center",
                fontsize=TEXT_SIZE, color=colour, fontfamily=style.FONT_FAMILY, zorder=4)


def edge(ax: Axes, start: tuple[float, float], end: tuple[float, float],
         lines: Sequence[tuple[str, str]], *, at: float = 0.5, offset: float = 0.0,
         line_height: float = 0.045) -> None:
    """Draw an arrow from ``start`` to ``end`` and its label ``at`` a fraction of the way."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12,
                                 color=style.REFERENCE, linewidth=1.1, zorder=1,
                                 shrinkA=0, shrinkB=0))
    x = start[0] + at * (end[0] - start[0])
    y = start[1] + at * (end[1] - start[1]) + offset
    top = y + (len(lines) - 1) * line_height / 2
    for index, (text, colour) in enumerate(lines):
        ax.text(x, top - index * line_height, text, ha="center", va="center",
                fontsize=TEXT_SIZE, color=colour, fontfamily=style.FONT_FAMILY, zorder=2,
                bbox={"boxstyle": "square,pad=0.12", "facecolor": style.PAPER,
                      "edgecolor": "none", "alpha": 0.9})


def key(ax: Axes, x: float, y: float, forward_words: str, backward_words: str) -> None:
    """Write which colour is the forward pass and which the backward pass."""
    ax.text(x, y, forward_words, ha="left", va="center", fontsize=TEXT_SIZE,
            color=FORWARD, fontfamily=style.FONT_FAMILY)
    ax.text(x, y - 0.045, backward_words, ha="left", va="center", fontsize=TEXT_SIZE,
            color=BACKWARD, fontfamily=style.FONT_FAMILY)
