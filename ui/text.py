"""Show text that came from outside (file names, pasted lines, URL values) literally in Streamlit markdown.

``st.warning``, ``st.caption``, ``st.subheader`` and friends render Markdown: an upload called
``[prize](http://example.com).png`` would otherwise become a link, ``![x](http://host/p.png).png`` would
make every viewer's browser fetch that address, and ``:red[...]`` or ``$...$`` would be styled. Every
ASCII punctuation character may be backslash-escaped in CommonMark, so escaping them all shows the text
exactly as typed. Full stops and hyphens are left alone (they only make lists at the start of a line,
which is handled), so the source stays readable: ``photo-1.png`` stays ``photo-1.png``.

Escapes cannot stop one thing: Streamlit renders GitHub-flavoured Markdown, whose *autolink literals*
(``http://...``, ``https://...``, ``www.x``, ``a@b.c``) are found by a regular expression over the text
*after* escapes are resolved (mdast-util-gfm-autolink-literal). A WORD JOINER (U+2060: invisible, zero
width, no line break) after ``http:``, ``https:``, ``www`` and ``@`` breaks those patterns; the text looks
the same.
"""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|<>~$:&=])")
_LIST_START = re.compile(r"^(\s*)(?:(-)|(\d+)\.)")


WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(https?:|www(?=\.)|@)", re.IGNORECASE)


def literal(text: object) -> str:
    """``text`` with every Markdown-active character backslash-escaped (renders as the same characters) and
    autolink literals broken by an invisible :data:`WORD_JOINER`."""
    out = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, str(text))
    out = _MARKDOWN.sub(r"\\\1", out)
    # "- x" and "1. x" start lists: escape the marker (a digit cannot be escaped, its full stop can)
    return _LIST_START.sub(lambda m: m.group(1) + ("\\-" if m.group(2) else m.group(3) + "\\."), out)
