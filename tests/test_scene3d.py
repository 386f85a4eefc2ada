"""The 3-D view's data (ui/scene3d.py): what the browser draws is the backend figure's own numbers."""

import base64
import math

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.colors import sample_colorscale

from models.pca_ae import figures
from models.pca_ae.linear_ae import LinearAEConfig, dataset, train_linear_steps
from models.pca_ae.pca import fit_pca
from ui.scene3d import scene_data


def _floats(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f4")


@pytest.fixture(scope="module")
def planes():
    config = LinearAEConfig(epochs=3)
    state = list(train_linear_steps(config))[-1]
    x = dataset(config)
    return x, figures.planes_figure(x, fit_pca(x, 2), state, show_recon=True)


def test_points_and_planes_are_the_figures(planes):
    x, fig = planes
    data = scene_data(fig)
    assert [t["kind"] for t in data["traces"]] == ["points", "quads", "quads", "points"]
    assert [t["name"] for t in data["traces"]] == [t.name for t in fig.data]
    np.testing.assert_allclose(_floats(data["traces"][0]["xyz"]).reshape(-1, 3), x, rtol=1e-6, atol=1e-6)
    # the PCA plane's quad: its corners are the surface's corners, on the plane normal to the third
    # principal direction through the mean (an independent fit)
    quad = _floats(data["traces"][1]["xyz"]).reshape(-1, 4, 3)
    assert quad.shape == (1, 4, 3)
    surf = fig.data[1]
    grid = np.stack([np.asarray(surf.x), np.asarray(surf.y), np.asarray(surf.z)], -1)  # (2, 2, 3)
    np.testing.assert_allclose(quad[0], grid[[0, 0, 1, 1], [0, 1, 1, 0]], rtol=1e-6, atol=1e-6)
    pca3 = fit_pca(x, 3)
    np.testing.assert_allclose((quad[0] - pca3.mu) @ pca3.components[2], 0, atol=1e-5)
    assert data["traces"][1]["opacity"] == pytest.approx(0.45)
    assert data["traces"][3]["symbol"] == "diamond"


def test_camera_from_the_eye_and_plotly_default():
    fig = go.Figure(go.Scatter3d(x=[0, 1], y=[0, 1], z=[0, 1], mode="markers"))
    default = scene_data(fig)["camera"]  # Plotly's default eye (1.25, 1.25, 1.25)
    assert default["yaw"] == pytest.approx(math.pi / 4) and default["pitch"] == pytest.approx(math.atan(1 / math.sqrt(2)))
    fig.update_layout(scene=dict(camera=dict(eye=dict(x=0, y=-2, z=0))))
    cam = scene_data(fig)["camera"]
    assert cam["yaw"] == pytest.approx(-math.pi / 2) and cam["pitch"] == pytest.approx(0)


def test_colour_scale_and_hidden_traces():
    t = np.linspace(0, 3, 7)
    fig = go.Figure([go.Scatter3d(x=t, y=t, z=t, mode="markers", marker=dict(color=t, colorscale="Viridis")),
                     go.Scatter3d(x=t, y=t, z=t, mode="markers", visible="legendonly", name="off")])
    a, b = scene_data(fig)["traces"]
    assert a["colors"] == sample_colorscale("Viridis", list(t / 3))  # each point its place on the scale
    assert not a["hidden"] and b["hidden"]


def test_other_traces_are_refused():
    with pytest.raises(ValueError, match="mesh3d"):
        scene_data(go.Figure(go.Mesh3d(x=[0, 1, 0], y=[0, 0, 1], z=[0, 0, 0])))
