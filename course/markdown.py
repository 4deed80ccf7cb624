"""Render lesson Markdown to safe HTML, with LaTeX math as MathML (no JavaScript, no CDN).

Two layers, so that neither has to be perfect: the Markdown parser runs with raw HTML
off, and its output then passes an allow-list sanitizer (nh3, the Ammonia bindings).
"""

from __future__ import annotations

import html

import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .anchors import absolute_fragment_links

_MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
}
_MATHML_ATTRIBUTES = {
    "xmlns", "display", "mathvariant", "stretchy", "fence", "separator", "form", "lspace",
    "rspace", "accent", "accentunder", "movablelimits", "largeop", "symmetric",
    "columnalign", "rowspacing", "columnspacing", "displaystyle", "scriptlevel", "width",
    "height", "depth", "notation", "linethickness", "encoding",
}
_HTML_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "img", "sup", "sub",
}
_ALLOWED_ATTRIBUTES = {
    # Headings and paragraphs carry the lesson's anchors ({#id} lines, course/anchors.py).
    **{tag: {"id"} for tag in ("h2", "h3", "h4", "h5", "h6", "p")},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    **{tag: _MATHML_ATTRIBUTES for tag in _MATHML_TAGS},
}


def _render_math(latex: str, *, display: bool) -> str:
    try:
        return latex_to_mathml(latex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula that does not parse is shown as code
        return f"<code>{html.escape(latex)}</code>"


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )
    parser.use(dollarmath_plugin, allow_space=True, double_inline=True)
    # A line {#anchor-id} gives the heading or paragraph after it that id.
    parser.use(attrs_block_plugin)
    parser.add_render_rule(
        "math_inline", lambda self, tokens, idx, options, env: _render_math(
            tokens[idx].content, display=False)
    )
    parser.add_render_rule(
        "math_block", lambda self, tokens, idx, options, env: "<p>" + _render_math(
            tokens[idx].content, display=True) + "</p>\n"
    )
    return parser


_PARSER = _build_parser()


def sanitize_html(raw_html: str) -> str:
    """Keep only allow-listed tags and attributes; links get rel=noopener noreferrer."""
    return nh3.clean(
        raw_html,
        tags=_HTML_TAGS | _MATHML_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str, *, page_url: str | None = None) -> str:
    """Return sanitized HTML for a lesson's Markdown body (or a question's text).

    With ``page_url``, links to an anchor (``#x``) point at ``page_url#x``: for a text
    read apart from its lesson's page, as the API's question texts are.
    """
    rendered = sanitize_html(_PARSER.render(text))
    return absolute_fragment_links(rendered, page_url) if page_url else rendered


def lesson_page_url(request, lesson) -> str:
    """Return the absolute address of a lesson's page (its path without a request)."""
    path = lesson.get_absolute_url()
    return request.build_absolute_uri(path) if request is not None else path
