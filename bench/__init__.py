"""GenLab's benchmark suite: ``python -m bench [--quick]`` prints a markdown table and writes JSON.

Each module ``bench/<area>.py`` exposes ``rows(quick: bool) -> list[dict]``; a row has
``area, measure, value, unit`` and optionally ``anchor, anchor_value, ratio, goal, note``.
Figures are medians over repeats; the note gives min and max.
"""
