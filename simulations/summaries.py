"""The words and digits of the key numbers the lab shows next to a plot.

Each simulation's declaration (``simulations/declarations/``) picks its own key numbers
from a result's ``to_dict()``; these helpers phrase them alike, in the active language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .plots.common import number, scientific

Numbers = list[tuple[str, str]]


def value(value: float | None) -> str:
    """Return 2 significant digits, or say that the value overflowed (None in the JSON)."""
    return _("overflow (inf or NaN)") if value is None else scientific(value)


def percent(value: float | None) -> str:
    """Return a share as a percentage, or a dash when there is none."""
    return "—" if value is None else f"{number(100 * value)}%"
