"""The few style rules GenLab adds to Streamlit's theme (config.toml holds the rest), each for a measured reason."""

from __future__ import annotations

import streamlit as st

# KaTeX's display formulas overflow their box by 2-7 px (descenders of sums and fractions), so Streamlit's
# scrollable formula box becomes a scroll region that a keyboard cannot reach (axe-core
# scrollable-region-focusable, WCAG 2.1.1). Letting the box show its few extra pixels removes the region.
CSS = """
<style>
.katex-display { overflow: visible !important; }
</style>
"""


def apply() -> None:
    """Add GenLab's style rules to the page (once per script run, before the page draws)."""
    st.html(CSS)
