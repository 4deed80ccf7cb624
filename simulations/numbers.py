"""Read back a number as Gradiente displays it, or as a learner types it. Pure Python.

The site writes numbers in the page's language (:mod:`simulations.plots.common`):
"0,05" or "0.05", "1,3 × 10⁻³", "10^-3" in alt texts, "12%" for a share. Every input
that takes a number (the lab's fields, a numeric exercise) reads them through
:func:`read_number`, so whatever the site shows can be pasted back, and so a number
it cannot be sure of is refused with a reason instead of read as a different number.

The rules, for a page whose decimal separator is ``decimal`` ("," or "."):

- spaces of any width (NBSP, thin, narrow NBSP) are ignored; "−" and "–" are minus;
- "× 10⁻³", "x 10^-3", "*10**-3", "\\times 10^{-3}", "e-3" and a lone "10⁻³" are powers
  of ten; a trailing "%" divides by 100;
- one separator alone is the decimal point, whichever it is ("0.5" and "0,5" are 0.5 on
  both pages), except when it is the page's *thousands* separator followed by exactly
  three digits ("1.000" on a Portuguese page, "1,000" on an English one): that could be
  a thousand or one, so it is refused as ambiguous rather than guessed;
- several separators are accepted only as the page writes them, thousands grouped by
  three before a single decimal separator ("1.234.567,5" in Portuguese); any other mix
  is not a number.
"""

from __future__ import annotations

import re
from typing import Any

SEPARATORS = {",": ".", ".": ","}  # a decimal separator and the thousands one that goes with it

_SUPERSCRIPT_RUN = re.compile(r"[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_FROM_SUPERSCRIPT = str.maketrans("⁺⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "+-0123456789")
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_EXPONENT = r"(?:\^|\*\*)\{?([+-]?\d+)\}?"
_TIMES_TEN = re.compile(r"^(.+?)(?:[xX×*·]|\\times|\\cdot)10" + _EXPONENT + "$")
_POWER_OF_TEN = re.compile(r"^([+-]?)10" + _EXPONENT + "$")
_E_NOTATION = re.compile(r"^(.+?)[eE]([+-]?\d+)$")
_MANTISSA = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


class NumberFormatError(ValueError):
    """The text is not a number the site can read; ``code`` says why.

    Codes: "empty", "not_a_number", "ambiguous" (with ``whole`` and ``fraction``, the
    two readings of "1.000", written unambiguously for the page).
    """

    def __init__(self, code: str, **values: Any):
        self.code = code
        self.values = values
        super().__init__(code)


def read_number(text: str, *, decimal: str) -> float:
    """Return the number ``text`` writes, on a page whose decimal separator is ``decimal``.

    Raise :class:`NumberFormatError` for anything else; an overflow ("1e999") is
    returned as inf for the caller to refuse.
    """
    if decimal not in SEPARATORS:
        raise ValueError(f"decimal separator must be ',' or '.', not {decimal!r}")
    typed = _SUPERSCRIPT_RUN.sub(lambda run: "^" + run.group().translate(_FROM_SUPERSCRIPT),
                                 text.translate(_MINUS))
    typed = _SPACES.sub("", typed)
    if not typed:
        raise NumberFormatError("empty")
    shift = 0
    if typed.endswith("%"):
        typed, shift = typed[:-1], -2
    mantissa, exponent = _split_power_of_ten(typed)
    point_mantissa = _point_decimal(mantissa, decimal=decimal, has_exponent=exponent is not None)
    if not _MANTISSA.match(point_mantissa):
        raise NumberFormatError("not_a_number")
    return float(f"{point_mantissa}e{int(exponent or 0) + shift}")


def _split_power_of_ten(typed: str) -> tuple[str, str | None]:
    """Return (mantissa, exponent) of "1,3×10^-3", "10^-3", "1.3e-3" or a plain number."""
    power = _POWER_OF_TEN.match(typed)
    if power:
        return power.group(1) + "1", power.group(2)
    for pattern in (_TIMES_TEN, _E_NOTATION):
        match = pattern.match(typed)
        if match:
            return match.group(1), match.group(2)
    return typed, None


def _point_decimal(mantissa: str, *, decimal: str, has_exponent: bool) -> str:
    """Return the mantissa with "." as its decimal point and no thousands separators."""
    thousands = SEPARATORS[decimal]
    sign = mantissa[:1] if mantissa[:1] in "+-" else ""
    digits = mantissa[len(sign):]
    commas, points = digits.count(","), digits.count(".")
    if commas + points <= 1:
        separator = "," if commas else "."
        whole, _, fraction = digits.partition(separator)
        looks_grouped = (separator == thousands and not has_exponent
                         and re.fullmatch(r"[1-9]\d{0,2}", whole)
                         and re.fullmatch(r"\d{3}", fraction))
        if looks_grouped:
            raise NumberFormatError("ambiguous", whole=f"{sign}{whole}{fraction}",
                                    fraction=f"{sign}{whole}{decimal}{fraction}")
        return sign + digits.replace(",", ".")
    # Several separators: only the page's own grouping, "1.234.567,5" (pt-BR).
    integer, _, fraction = digits.partition(decimal)
    if decimal in fraction or thousands in fraction:
        raise NumberFormatError("not_a_number")
    groups = integer.split(thousands)
    well_grouped = (len(groups) > 1 and re.fullmatch(r"[1-9]\d{0,2}", groups[0])
                    and all(re.fullmatch(r"\d{3}", group) for group in groups[1:]))
    if not well_grouped:
        raise NumberFormatError("not_a_number")
    return sign + "".join(groups) + ("." + fraction if decimal in digits else "")
