"""What every plot module shares: the labelled series it draws and the words for numbers.

Plot modules draw from a result's ``to_dict()`` (the same JSON the API serves), so an
image can be drawn from a cached result, and alt texts quote exactly the numbers a
client of the JSON would see. Numbers are phrased in the active language (decimal
comma in Portuguese); the caller activates it.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from django.utils import formats
from django.utils.text import get_text_list
from matplotlib.ticker import FuncFormatter

# A series whose end-to-end ratio stays within this factor is "roughly flat".
FLAT_FACTOR = 3.0


@dataclasses.dataclass(frozen=True)
class Series:
    """One result to draw and the legend label that names it ("" for a lone result)."""

    label: str
    data: Mapping[str, Any]


def as_array(values: Sequence[float | None] | None) -> np.ndarray:
    """Return float64 values with None (an inf or NaN in the result) as NaN: a gap."""
    if values is None:
        return np.array([], dtype=np.float64)
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def positive(values: np.ndarray) -> np.ndarray:
    """Return values with zero and negative entries as NaN, for a log axis."""
    return np.where(values > 0, values, np.nan)


def number(value: float, digits: int = 2) -> str:
    """Return ``value`` with ``digits`` significant digits, in the active locale."""
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:  # 0.10 -> 0.1 and 6.0 -> 6: trailing zeros say nothing here
        text = text.rstrip("0").rstrip(".")
        decimals = len(text.partition(".")[2])
    return formats.number_format(float(text), decimal_pos=decimals)


def localized_tick_labels(ax) -> None:
    """Write an axes' linear tick labels in the active language ("−2,5" in Portuguese).

    Matplotlib writes "-2.5" whatever the language. The labels are formatted when the
    figure is drawn, which happens within the caller's language like the rest of it.
    """
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(_tick_label))


def _tick_label(value: float, _position) -> str:
    text = f"{value:g}"
    if text in ("0", "-0"):
        return "0"
    decimals = len(text.partition(".")[2])
    return formats.number_format(value, decimal_pos=decimals).replace("-", "−")


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def magnitude(value: float, *, superscript: bool = False) -> str:
    """Return a number for a sentence: a power of ten when far from 1, else 2 digits.

    1.3e9 gives "10^9", 0.00042 gives "10^-3" (rounded in log space), 37.4 gives "37".
    Alt texts keep the caret, which screen readers read out; labels drawn in a plot
    ask for ``superscript`` ("10⁻³").
    """
    if value == 0:
        return "0"
    exponent = math.log10(abs(value))
    if exponent >= 3 or exponent < -2:
        power = str(round(exponent))
        return "10" + power.translate(_SUPERSCRIPTS) if superscript else f"10^{power}"
    return number(value)


def scientific(value: float) -> str:
    """Return 2 significant digits, as "2.7 × 10⁻⁴" when far from 1 (for key numbers).

    Unlike :func:`magnitude`, the mantissa is kept: a learner comparing two runs in the
    lab needs more than the order of magnitude.
    """
    if value == 0 or not math.isfinite(value):
        return number(value)
    exponent = math.floor(math.log10(abs(value)))
    if -2 <= exponent < 3:
        return number(value)
    mantissa = value / 10**exponent
    if abs(round(mantissa, 1)) >= 10:  # 9.96 rounds up to the next power of ten
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{number(mantissa)} × 10{str(exponent).translate(_SUPERSCRIPTS)}"


def ratio(end: float, start: float) -> float | None:
    """Return end / start, or None when either is missing, zero or not finite."""
    if start is None or end is None or not (math.isfinite(start) and math.isfinite(end)):
        return None
    if start == 0 or end == 0:
        return None
    return end / start


def trend(change: float | None) -> tuple[str, str]:
    """Classify a ratio as "falls", "rises" or "flat", with the factor to quote."""
    if change is None:
        return "unknown", ""
    if change == 0:  # the far end underflowed to zero: at least the largest float's factor
        return "falls", magnitude(sys.float_info.max)
    if change <= 1 / FLAT_FACTOR:
        return "falls", magnitude(1 / change)
    if change >= FLAT_FACTOR:
        return "rises", magnitude(change)
    factor = max(change, 1 / change)
    return "flat", number(factor, 3 if factor < 2 else 2)


def first_missing(values: Sequence[float | None], positions: Sequence[int]) -> int | None:
    """Return the position of the first value that is None (an overflow), if any."""
    for position, value in zip(positions, values, strict=True):
        if value is None:
            return position
    return None


def lead(label: str, sentence: str) -> str:
    """Prefix a sentence about one series with the series' name ("ReLU: the norm ...")."""
    return f"{label}: {sentence[:1].lower()}{sentence[1:]}" if label else sentence


def join(sentences: Sequence[str]) -> str:
    """Join sentences into one paragraph of alt text."""
    return " ".join(sentence.strip() for sentence in sentences if sentence)


def names(labels: Sequence[str]) -> str:
    """Return "A, B and C" (or "A, B e C") in the active language."""
    return str(get_text_list([str(label) for label in labels], last_word=_and()))


def _and() -> str:
    from django.utils.translation import gettext

    return gettext("and")
