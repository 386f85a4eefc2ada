"""ui.text.literal: outside text shows exactly as typed, checked against a CommonMark reference renderer."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ui.text import WORD_JOINER, literal

MD = MarkdownIt("commonmark")

# GitHub-flavoured Markdown's autolink literals, as mdast-util-gfm-autolink-literal (used by Streamlit's
# react-markdown through remark-gfm) finds them in text nodes after escapes are resolved
GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
GFM_EMAIL = re.compile(r"(?:^|(?<=[\s\W]))([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)


def rendered(text: str) -> str:
    return MD.render(literal(text))


def shows_literally(text: str) -> bool:
    """One paragraph, no element inside it, and its text (entities decoded) is exactly ``text``."""
    out = rendered(text)
    if not (out.startswith("<p>") and out.endswith("</p>\n")):
        return False
    inner = html.unescape(out[3:-5])
    no_autolink = not GFM_URL.search(inner) and not GFM_EMAIL.search(inner)
    return "<" not in out[3:-5] and no_autolink and inner.replace(WORD_JOINER, "") == text


HOSTILE = [
    "[prize](http://example.com).png",
    "![pixel](http://127.0.0.1:9/track.png).jpg",
    "<img src=x onerror=alert(1)>.png",
    "**bold** _it_ `code` ~~gone~~.png",
    "# heading.png",
    "- a list.png",
    "1. ordered.png",
    "> quote.png",
    "$x^2$ and :red[red] :material/bomb:.png",
    "a\\b\\[c].png",
    "&amp; &lt;tag&gt;.png",
    "http://example.com/autolink.png",
    "<http://example.com>",
    "see HTTPS://Example.com/x and www.example.com.png",
    "mail me at someone@example.com.png",
]


def test_hostile_names_render_as_plain_text():
    for name in HOSTILE:
        out = rendered(name)
        assert shows_literally(name), (name, out)
        assert "<a " not in out and "<img" not in out and "<em>" not in out and "<strong>" not in out


def test_the_gfm_patterns_would_link_the_raw_names():
    """The check above is not vacuous: without literal() these names are autolinked by GFM."""
    assert GFM_URL.search("[prize](http://example.com).png") and GFM_URL.search("www.example.com.png")
    assert GFM_EMAIL.search("mail me at someone@example.com.png")


def test_ordinary_names_are_left_readable():
    assert literal("photo-1.final.png") == "photo-1.final.png"
    assert literal("IMG 2024 07 01.jpg") == "IMG 2024 07 01.jpg"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=60))
def test_any_printable_text_renders_literally(text):
    text = text.strip()
    if text:
        assert shows_literally(text), (text, rendered(text))
