"""The few style rules GenLab adds to Streamlit's theme (config.toml holds the rest), each for a measured reason."""

from __future__ import annotations

import streamlit as st

# KaTeX's display formulas overflow their box by 2-7 px (descenders of sums and fractions), so Streamlit's
# scrollable formula box becomes a scroll region that a keyboard cannot reach (axe-core
# scrollable-region-focusable, WCAG 2.1.1). Letting the box show its few extra pixels removes the region.
#
# Plotly's modebar puts 8 buttons (8 Tab stops for a keyboard) on every chart; a page with six charts made
# the controls 50 stops away. The charts keep "Download plot as a PNG" and "Reset axes"; zooming by dragging
# and resetting by double-click still work with a mouse.
#
# Each chart's text summary (ui/charts.py) is read by screen readers but not shown: the usual visually-hidden
# pattern, applied to its element container too so the hidden paragraph leaves no gap in the page.
CSS = """
<style>
.katex-display { overflow: visible !important; }
.modebar-btn:not([data-title="Download plot as a PNG"]):not([data-title="Reset axes"]) { display: none !important; }
.genlab-sr-only, [data-testid="stElementContainer"]:has(.genlab-sr-only) {
  position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important;
  padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; white-space: nowrap;
}
</style>
"""


# Projector mode (``?present=1`` or the sidebar toggle): a lecture hall reads the screen from 15 m away on a
# 1280x720 projector. Streamlit sizes its text in rem, so a larger root size scales every text, widget and
# gap together (display formulas stay at the text size, so the long ones still fit the column); captions
# and hints go from 60 % opacity to black (projectors wash out grey); plotted lines get thicker and axis
# labels larger (Plotly draws SVG with inline sizes, which !important overrides; legends keep their size:
# Plotly places their entries by the size it measured).
PROJECTOR_CSS = """
<style>
html { font-size: 18px; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stMarkdownContainer"] small { color: #000000 !important; }
.katex-display .katex { font-size: 1em !important; }
.js-plotly-plot .scatterlayer .js-line { stroke-width: 3.5px !important; }
.js-plotly-plot .xtick text, .js-plotly-plot .ytick text,
.js-plotly-plot .g-xtitle text, .js-plotly-plot .g-ytitle text { font-size: 15px !important; }
</style>
"""


def projector() -> None:
    """Add the projector-mode rules (call when the sidebar's toggle is on)."""
    st.html(PROJECTOR_CSS)


def apply() -> None:
    """Add GenLab's style rules to the page (once per script run, before the page draws)."""
    st.html(CSS)
