"""Quiz texts as HTML: Markdown rendered and sanitised, math left intact, plain text escaped."""

from __future__ import annotations

import re

import pytest

from backspasm_edu.render.rich_text import block_html, has_markup, inline_html, label_text


def test_plain_text_is_escaped_as_before():
    """A plain quiz's text is escaped into one paragraph, Markdown and math signs and all."""
    text = "Is *this* <b>bold</b> & is $x_1$ math?"
    assert block_html(text, "plain") == (
        "<p>Is *this* &lt;b&gt;bold&lt;/b&gt; &amp; is $x_1$ math?</p>"
    )
    assert inline_html(text, "plain") == "Is *this* &lt;b&gt;bold&lt;/b&gt; &amp; is $x_1$ math?"
    assert label_text(text, "plain") == text
    assert not has_markup(text, "plain")


def test_markdown_paragraphs_emphasis_and_lists():
    """Markdown becomes paragraphs, emphasis and lists."""
    markup = block_html("Pick **one**:\n\n- *slow*\n- fast", "markdown")
    assert markup == (
        "<p>Pick <strong>one</strong>:</p>\n<ul>\n<li><em>slow</em></li>\n<li>fast</li>\n</ul>"
    )


@pytest.mark.parametrize(
    "math",
    [
        r"$a_1 + b_2 = c_{ij}$",
        r"$$\frac{a_1}{b_2} \\ \alpha_{i} * \beta * \gamma$$",
        r"\(x_1 \le y_2\)",
        r"\[\sum_{i=1}^{n} x_i^2 \quad \text{and}\ \{a\}\]",
        "$$\n\\begin{aligned} a_1 &= b_2 \\\\\n c &= d\n\\end{aligned}\n$$",
    ],
)
def test_math_is_left_exactly_as_written(math):
    """LaTeX math keeps every backslash, underscore and star: Markdown does not touch it."""
    text = f"Before {math} after"
    assert math in block_html(text, "markdown").replace("&amp;", "&")
    assert math in inline_html(text, "markdown").replace("&amp;", "&")


def test_underscores_between_two_math_spans_are_not_emphasis():
    """Two spans with underscores ($a_1$ ... $b_2$) stay math, with no <em> between them."""
    markup = block_html("Let $a_1$ and $b_2$ be numbers.", "markdown")
    assert markup == "<p>Let $a_1$ and $b_2$ be numbers.</p>"


def test_math_with_angle_brackets_is_escaped_text():
    """A < in math reaches the page as text (&lt;), never as the start of a tag."""
    assert block_html("$a<b$ and $c>d$", "markdown") == "<p>$a&lt;b$ and $c&gt;d$</p>"


def test_dollar_in_code_stays_code():
    """A $ in a code span or code block is code, not the start of math."""
    markup = block_html("Run `echo $HOME` then pay $5 and `$x$`.", "markdown")
    assert "<code>echo $HOME</code>" in markup
    assert "<code>$x$</code>" in markup


def without_our_look(markup: str) -> str:
    """The markup without the style attributes block_html adds to tables and code."""
    return re.sub(r' style="[^"]*"', "", markup)


def test_code_blocks_keep_their_line_breaks():
    """Fenced and indented code keep each line on its own line, in <pre>."""
    fenced = block_html("```python\nx = 1\ny = x_1 * 2\n```", "markdown")
    assert without_our_look(fenced) == "<pre><code>x = 1\ny = x_1 * 2\n</code></pre>"
    indented = block_html("Code:\n\n    a = 1\n    b = 2\n", "markdown")
    assert "<pre><code>a = 1\nb = 2\n</code></pre>" in without_our_look(indented)


def test_tables():
    """A pipe table becomes an HTML table, with math in a cell kept."""
    markup = block_html("| a | b |\n|---|---|\n| 1 | $c_d$ |", "markdown")
    assert re.sub(r"\s", "", without_our_look(markup)) == (
        "<div><table><thead><tr><th>a</th><th>b</th></tr></thead>"
        "<tbody><tr><td>1</td><td>$c_d$</td></tr></tbody></table></div>"
    )


def test_tables_and_code_get_our_look_and_lose_their_own():
    """Cells get our rules and a long table or code line scrolls in its own box; their styles go."""
    table = block_html(
        "<table><tr><td style='position:fixed' colspan=2>q</td></tr></table>", "markdown"
    )
    assert table == (
        '<div style="overflow-x:auto"><table style="border-collapse:collapse;margin:0.4em 0">'
        '<tbody><tr><td style="border:1px solid #8a8a8a;padding:0.2em 0.6em" colspan="2">q</td>'
        "</tr></tbody></table></div>"
    )
    code = block_html("```\nx\n```", "markdown")
    assert code.startswith('<pre style="background:#f4f4f4;padding:0.5em 0.7em;overflow-x:auto">')


@pytest.mark.parametrize(
    "attack",
    [
        "<script>window.__pwned = 1</script>",
        '<img src=x onerror="window.__pwned = 1">',
        "<p onclick='window.__pwned = 1'>x</p>",
        "<svg onload='window.__pwned = 1'></svg>",
        "<iframe src='https://example.org'></iframe>",
        "<style>body { display: none }</style>",
        "<a href='javascript:window.__pwned=1'>x</a>",
        "<a href='JaVaScRiPt:window.__pwned=1'>x</a>",
        "[x](javascript:window.__pwned=1)",
        "<a href='data:text/html,<script>window.__pwned=1</script>'>x</a>",
        "<div style='position:fixed;inset:0'>cover</div>",
        "<form action='https://example.org'><input name=q></form>",
    ],
)
def test_scripts_handlers_and_bad_links_are_removed(attack):
    """No script, handler, style, frame, form or javascript:/data: link survives."""
    for markup in (
        block_html(f"Text {attack} end", "markdown"),
        block_html(attack, "markdown"),
        inline_html(attack, "markdown"),
    ):
        tags = " ".join(re.findall(r"<[^>]*>", markup)).lower()
        for banned in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe",
                       "<style", "style=", "<form", "<input", "<svg", "data:"):  # fmt: skip
            assert banned not in tags, (attack, markup)


def test_links_open_safely_and_only_to_web_or_mail():
    """http(s) and mailto links stay, in a new tab with rel noopener; relative ones lose href."""
    markup = block_html(
        "[web](https://example.org/a) [mail](mailto:t@example.org) [here](notes.html)",
        "markdown",
    )
    assert (
        '<a href="https://example.org/a" target="_blank" rel="noopener noreferrer">web</a>'
        in markup
    )
    assert '<a href="mailto:t@example.org" target="_blank"' in markup
    assert 'href="notes.html"' not in markup
    assert ">here</a>" in markup


def test_images_only_from_inline_data():
    """An inline data: image stays; an outside or relative one becomes its alt text, as text."""
    png = "data:image/png;base64,iVBORw0KGgo="
    markup = block_html(
        f"![dot]({png}) ![far](https://example.org/x.png) ![near](x.png)", "markdown"
    )
    assert f'<img src="{png}" alt="dot">' in markup
    assert "<img" not in markup.replace(f'<img src="{png}" alt="dot">', "")
    assert "far" in markup
    assert "near" in markup
    svg = block_html("<img src='data:image/svg+xml;base64,PHN2Zz4=' alt='&lt;b&gt;'>", "markdown")
    assert svg == "&lt;b&gt;"


def test_headings_become_bold_paragraphs():
    """A Markdown heading shows bold, not as a heading in the page's outline."""
    assert block_html("# Big\ntext", "markdown") == "<p><strong>Big</strong></p>\n<p>text</p>"


def test_inline_html_keeps_a_numbered_line_as_text():
    """Inline rendering (options, answers) never makes blocks: "1. first" stays a line."""
    assert inline_html("1. first → 2. *second*", "markdown") == "1. first → 2. <em>second</em>"


def test_label_text_drops_markup_and_keeps_math_source():
    """A dropdown's label has the words, entities decoded, and the LaTeX source."""
    assert label_text("A **b** & <i>c</i> $x_1$", "markdown") == "A b & c $x_1$"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("plain words & more", False), ("$x$", True), ("**b**", True), ("`c`", True)],
)
def test_has_markup(text, expected):
    """Only Markdown with markup or math needs HTML to show as meant."""
    assert has_markup(text, "markdown") is expected
