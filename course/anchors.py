"""Stable anchors of a lesson: the ids its headings, paragraphs and figures carry.

An author gives the heading (or paragraph) that follows a line ``{#anchor-id}`` that id,
and every ``[[figure:NAME]]`` has the id ``fig-NAME``. Explanations link to them as
``[the figure](#fig-loss-curves)``. This module finds a text's anchors and the anchors
its links point to, and says what is wrong with them; the import refuses a lesson or a
question with such a problem (``content_files`` and ``quizzes.content``), and the
Markdown renderer gives the ids (``markdown``).

Ids are rendered as written, so that ``#anchor-id`` works unchanged on the page and in
the API. The page's own ids (``main``, ``exercise-…``) and the figures' prefix are kept
apart by refusing an author's anchor that would take one of them.
"""

from __future__ import annotations

import dataclasses
import re

FIGURE_PREFIX = "fig-"
ANCHOR_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A line that looks like an attribute block (``{...}`` alone on its line).
_BLOCK_LINE = re.compile(r"^\s*\{.*\}\s*$")
_ANCHOR_LINE = re.compile(r"^\{#(" + ANCHOR_ID.pattern + r")\}$")
_FIGURE_MARKER = re.compile(r"^\[\[figure:([^\]]*)\]\]\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# What an anchor line cannot name: only a heading or a paragraph gets the id.
_NOT_NAMEABLE = re.compile(r"^(?:\{|\[\[figure:|\$\$|[-*+]\s|[>|]|\d+[.)]\s|```|~~~)")
# ``](#target)`` in Markdown: a link, or an image, to an anchor of the same page.
_FRAGMENT_LINK = re.compile(r"\]\(\s*<?#([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_FRAGMENT_HREF = re.compile(r'href="#')

# Ids the lesson page itself uses (templates/base.html's ``main``; the exercises'
# ``exercises-heading`` and ``exercise-<key>…``): an anchor must not take them.
_RESERVED = re.compile(r"^(?:main|exercises?(?:-.*)?)$")


@dataclasses.dataclass(frozen=True)
class AnchorProblem:
    """Something wrong with an anchor or a link; ``anchor`` names it when there is one."""

    anchor: str
    problem: str

    def __str__(self) -> str:
        return self.problem


def figure_anchor(name: str) -> str:
    """Return the id of the figure ``[[figure:name]]``."""
    return f"{FIGURE_PREFIX}{name}"


def _anchor_lines(text: str) -> list[tuple[int, str, list[str]]]:
    """Return (line number, line, all lines) of every attribute-block line outside code and
    display math."""
    lines = text.splitlines()
    found = []
    in_fence = in_math = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if line.count("$$") % 2 == 1:
            in_math = not in_math
            continue
        if not in_math and _BLOCK_LINE.match(line):
            found.append((number, line, lines))
    return found


def check_anchor_lines(text: str) -> list[AnchorProblem]:
    """Return the problems of a body's ``{#id}`` lines: malformed, misplaced or reserved."""
    problems = []
    for number, line, lines in _anchor_lines(text):
        match = _ANCHOR_LINE.match(line.strip())
        where = f"line {number + 1}"
        if not match or line != line.strip():
            problems.append(AnchorProblem(line.strip(), (
                f"{where}: malformed anchor line {line.strip()!r}: write {{#anchor-id}} "
                "alone at the start of the line, with lowercase letters, digits and hyphens")))
            continue
        anchor = match.group(1)
        before = lines[number - 1].strip() if number > 0 else ""
        after = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if before:
            problems.append(AnchorProblem(anchor, (
                f"{where}: anchor {{#{anchor}}} needs a blank line before it")))
        elif not after or _NOT_NAMEABLE.match(after):
            problems.append(AnchorProblem(anchor, (
                f"{where}: anchor {{#{anchor}}} must be directly followed by the heading or "
                "paragraph it names")))
        elif anchor.startswith(FIGURE_PREFIX):
            problems.append(AnchorProblem(anchor, (
                f"{where}: anchor {{#{anchor}}}: ids starting with '{FIGURE_PREFIX}' are the "
                "figures' own ([[figure:NAME]] has the id fig-NAME)")))
        elif _RESERVED.match(anchor):
            problems.append(AnchorProblem(anchor, (
                f"{where}: anchor {{#{anchor}}} is an id the lesson page already uses")))
    return problems


def declared_anchors(text: str) -> list[str]:
    """Return a body's anchors in order, repeats included: ``{#id}`` lines, then figures."""
    written = [match.group(1) for _n, line, _l in _anchor_lines(text)
               if (match := _ANCHOR_LINE.match(line))]
    figures = [figure_anchor(match.group(1)) for line in text.splitlines()
               if (match := _FIGURE_MARKER.match(line))]
    return written + figures


def lesson_anchors(text: str) -> set[str]:
    """Return the ids a link in (or about) this lesson body can point to."""
    return set(declared_anchors(text))


def linked_anchors(text: str) -> list[str]:
    """Return the anchors that ``](#anchor)`` links of a Markdown text point to, in order."""
    return [match.group(1) for match in _FRAGMENT_LINK.finditer(text or "")]


def check_body_anchors(text: str) -> list[AnchorProblem]:
    """Return every anchor problem of one language's body, links to missing anchors included."""
    problems = check_anchor_lines(text)
    seen: set[str] = set()
    for anchor in declared_anchors(text):
        if anchor in seen:
            problems.append(AnchorProblem(anchor, f"anchor #{anchor} is used twice"))
        seen.add(anchor)
    problems += check_links(text, seen)
    return problems


def check_links(text: str, anchors: set[str]) -> list[AnchorProblem]:
    """Return a problem for each ``](#x)`` link of ``text`` whose anchor is not in ``anchors``."""
    return [AnchorProblem(anchor, f"link to #{anchor}, which is not an anchor of the lesson")
            for anchor in linked_anchors(text) if anchor not in anchors]


def check_same_anchors(anchors: dict[str, set[str]]) -> list[AnchorProblem]:
    """Return a problem for each anchor some language of a lesson has and another lacks."""
    problems = []
    everywhere = set().union(*anchors.values()) if anchors else set()
    for language, present in anchors.items():
        for anchor in sorted(everywhere - present):
            problems.append(AnchorProblem(anchor, (
                f"anchor #{anchor} is missing in {language} (the other language has it)")))
    return problems


def absolute_fragment_links(html: str, page_url: str) -> str:
    """Point the ``href="#x"`` links of rendered HTML at ``page_url#x``.

    For texts read apart from their page (the API's question texts, read by the app).
    """
    return _HTML_FRAGMENT_HREF.sub(f'href="{page_url}#', html)
