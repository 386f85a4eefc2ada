"""Charts as text: the summary and CSV are read from the figure itself (checked on figures the pages draw)."""

import csv
import io

import numpy as np
import plotly.graph_objects as go

from models.figure_text import summary, to_csv


def test_a_line_chart_is_described_by_its_axes_and_series():
    fig = go.Figure(go.Scatter(x=[0, 1, 2, 3], y=[4.0, 3.0, 2.5, 1.0], mode="lines", name="loss"))
    fig.update_layout(title="Training loss", xaxis_title="step", yaxis_title="MSE")
    text = summary(fig)
    assert text.startswith("Chart: Training loss.")
    assert "x axis step: 0 to 3." in text and "y axis MSE: 1 to 4." in text
    assert "loss: 4 points, from 4 to 1" in text


def test_a_heat_map_is_described_as_a_grid():
    fig = go.Figure(go.Heatmap(z=np.arange(12).reshape(3, 4), name="D(x)"))
    assert "D(x): a 3x4 grid from 0 to 11" in summary(fig)


def test_csv_holds_every_series_value():
    fig = go.Figure([go.Scatter(x=[1, 2], y=[3, 4], name="a"), go.Bar(x=["p", "q", "r"], y=[5, 6, 7], name="b")])
    rows = list(csv.reader(io.StringIO(to_csv(fig))))
    assert rows[0] == ["a.x", "a.y", "b.x", "b.y"]
    assert rows[1] == ["1", "3", "p", "5"] and rows[3] == ["", "", "r", "7"]


def test_the_pages_figures_summarise_without_error():
    from models.gan import figures as gan_figures
    from models.gan.config import ToyConfig
    from models.gan.toy_train import untrained_state

    state = untrained_state(ToyConfig())
    fig = gan_figures.toy_scene(state.views)
    text = summary(fig)
    assert "series" in text and len(to_csv(fig).splitlines()) > 10
