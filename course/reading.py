"""Reading time of a lesson, computed from its text."""

from __future__ import annotations

import math
import re

# Silent reading speed used for every lesson, in words per minute. The seed's
# "4 minutos" for its next page is consistent with this speed.
WORDS_PER_MINUTE = 200

_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
_FIGURE = re.compile(r"^\[\[figure:[^\]]+\]\]\s*$", re.MULTILINE)
# Anchors are not read: {#id} lines and the targets of links to them, ](#id).
_ANCHOR = re.compile(r"^\{#[^}\n]*\}\s*$|(?<=\])\(#[^)\n]*\)", re.MULTILINE)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def count_words(markdown_text: str) -> int:
    """Count the words a reader reads: Markdown syntax, figures and formulas excluded."""
    text = _ANCHOR.sub(" ", _FIGURE.sub(" ", _MATH.sub(" ", markdown_text)))
    return len(_WORD.findall(text))


def reading_minutes(markdown_text: str) -> int:
    """Return whole minutes of reading, rounded up, and at least 1 for any text."""
    words = count_words(markdown_text)
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0
