"""Quiz texts as HTML: plain escaped, Markdown rendered and sanitised, LaTeX left for MathJax."""

from __future__ import annotations

import html
import re
import secrets
from typing import Any

import nh3
from markdown_it import MarkdownIt

from backspasm_edu.content.model import TextFormat

__all__ = ["block_html", "has_markup", "inline_html", "label_text"]

# A ``markdown`` quiz's text is CommonMark (markdown-it-py, inline HTML allowed, plus tables). Its
# LaTeX math ($...$, $$...$$, \(...\), \[...\]) is set aside before Markdown runs, so Markdown
# never eats a backslash or makes emphasis of "a_1 ... b_2", and put back as text for MathJax to
# typeset in the page (ipywidgets' HTMLMath; Voila 0.5 serves MathJax 3 from its own bundle, with
# its "safe" filter on \href; nothing comes from a CDN). Code spans and fenced code go to Markdown
# untouched, so a $ in code stays code. nh3 then keeps a short allowlist of the resulting HTML:
# - text blocks, emphasis, code (line breaks kept), lists, quotes, tables; a heading becomes a bold
#   paragraph (a prompt or an option has no place in the page's heading outline);
# - links only to http:, https: and mailto:, opening in a new tab, rel="noopener noreferrer";
#   relative links lose their address (they would point into the app itself);
# - images only inline as data:image/png, jpeg, gif or webp (a class may have no internet, and an
#   outside image would tell another site who takes the quiz); others lose their address;
# - no scripts, styles, frames, forms, event handlers, ids, classes or style attributes.
# A ``plain`` quiz's text is escaped, as it always was.

_MATH_OR_CODE = re.compile(
    r"""
    (?P<fence>^[ ]{0,3}(?P<fence_mark>`{3,}|~{3,}).*?(?:^[ ]{0,3}(?P=fence_mark)[`~]*[ \t]*$|\Z))
    | (?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))
    | (?P<math>
        \\\$                                    # an escaped dollar: MathJax shows a plain $
      | \$\$.+?\$\$
      | \\\[.+?\\\]
      | \\\(.+?\\\)
      | \$(?:\\.|[^$\\\n`]|\n(?![ \t]*\n))+?\$  # within one paragraph, never into code
    )
    """,
    re.MULTILINE | re.DOTALL | re.VERBOSE,
)
"""Code (left for Markdown) or LaTeX math (set aside); code first, so math never starts in it."""

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
_MARKDOWN.add_render_rule("heading_open", lambda self, tokens, index, options, env: "<p><strong>")
_MARKDOWN.add_render_rule(
    "heading_close", lambda self, tokens, index, options, env: "</strong></p>\n"
)

_INLINE_TAGS = {"a", "abbr", "b", "br", "code", "del", "em", "i", "img", "kbd", "s", "strong"}
_INLINE_TAGS |= {"sub", "sup"}
_BLOCK_TAGS = _INLINE_TAGS | {
    "blockquote",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_LINK = re.compile(r"(?i)(?:https?:|mailto:)")
_IMAGE_TAG = re.compile(r"<img\b[^>]*>")
_SOURCE = re.compile(r'\ssrc="')
_ALT = re.compile(r'\salt="([^"]*)"')
_IMAGE = re.compile(r"(?i)data:image/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*\Z")


def _allowed_address(tag: str, attribute: str, value: str) -> str | None:
    """Keep a link's address when it is http(s) or mailto, an image's when it is inline data."""
    if attribute == "href":
        return value if _LINK.match(value) else None
    if attribute == "src":
        return value if tag == "img" and _IMAGE.match(value) else None
    return value


def _image_or_its_words(found: re.Match[str]) -> str:
    """An image that kept its address as it is; one that lost it as its alt text, if any."""
    if _SOURCE.search(found.group(0)):
        return found.group(0)
    alt = _ALT.search(found.group(0))
    return html.escape(html.unescape(alt.group(1))) if alt else ""


def _sanitise(markup: str, tags: set[str]) -> str:
    """The HTML with only the allowed tags, attributes and addresses left."""
    cleaned = nh3.clean(
        markup,
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=_allowed_address,
        url_schemes={"http", "https", "mailto", "data"},
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )
    return _IMAGE_TAG.sub(_image_or_its_words, cleaned)


def _render(text: str, render: Any) -> str:
    """Markdown rendered by ``render``, with math set aside first and put back as text."""
    marker = f"mathspan{secrets.token_hex(8)}n"
    kept: list[str] = []

    def set_aside(found: re.Match[str]) -> str:
        if found.group("math") is None:
            return found.group(0)
        kept.append(found.group("math"))
        return f"{marker}{len(kept) - 1}x"

    rendered: str = render(_MATH_OR_CODE.sub(set_aside, text))
    return re.sub(
        rf"{marker}(\d+)x", lambda found: html.escape(kept[int(found.group(1))]), rendered
    )


_LOOKS = {
    "table": "border-collapse:collapse;margin:0.4em 0",
    "th": "border:1px solid #8a8a8a;padding:0.2em 0.6em;text-align:left",
    "td": "border:1px solid #8a8a8a;padding:0.2em 0.6em",
    "pre": "background:#f4f4f4;padding:0.5em 0.7em;overflow-x:auto",
}
"""Our own look for tables and code, set after sanitising (which took every style away)."""
_LOOK_TAGS = re.compile(r"<(table|th|td|pre)\b|</table>")


def _our_look(found: re.Match[str]) -> str:
    """A table, cell or code block with our style; a table in a box that scrolls sideways."""
    tag = found.group(1)
    if tag is None:
        return "</table></div>"
    styled = f'<{tag} style="{_LOOKS[tag]}"'
    return f'<div style="overflow-x:auto">{styled}' if tag == "table" else styled


def block_html(text: str, text_format: TextFormat) -> str:
    """A prompt or explanation as HTML: plain text in one escaped paragraph, or Markdown."""
    if text_format == "plain":
        return f"<p>{html.escape(text)}</p>"
    cleaned = _sanitise(_render(text, _MARKDOWN.render), _BLOCK_TAGS).strip()
    return _LOOK_TAGS.sub(_our_look, cleaned)


def inline_html(text: str, text_format: TextFormat) -> str:
    """An option or a short answer as HTML for a line: escaped, or Markdown's inline parts only."""
    if text_format == "plain":
        return html.escape(text)
    return _sanitise(_render(text, _MARKDOWN.renderInline), _INLINE_TAGS).strip()


def label_text(text: str, text_format: TextFormat) -> str:
    """The text a text-only control (a dropdown, a radio label) shows: no markup, math as LaTeX."""
    if text_format == "plain":
        return text
    return html.unescape(nh3.clean(inline_html(text, text_format), tags=set()))


def has_markup(text: str, text_format: TextFormat) -> bool:
    """Whether the text needs HTML to show as meant: Markdown with markup or math in it."""
    if text_format == "plain":
        return False
    if any(found.group("math") for found in _MATH_OR_CODE.finditer(text)):
        return True
    return "<" in inline_html(text, text_format)
