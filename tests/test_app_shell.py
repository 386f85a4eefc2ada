"""The app shell in AppTest: router, sidebar, home page, URL parameter clamping, offline datasets."""

import time
from pathlib import Path

import pytest

from ui.nav import PAGES

REPO = Path(__file__).resolve().parents[1]


def test_home_lists_every_page(app_test):
    at = app_test()
    assert not at.exception
    assert at.title[0].value == "GenLab"
    # each link targets its page's URL path, in the navigation's order, labelled with the page's title
    links = [(el.proto.page, el.proto.label) for el in at.get("page_link")]
    assert [p for p, _ in links] == [spec.url_path for spec in PAGES[1:]]
    assert all(label.startswith(f"**{spec.title}**") for (_, label), spec in zip(links, PAGES[1:]))


def test_sidebar_shows_device_dataset_and_seed(app_test):
    at = app_test()
    for _ in range(50):  # on the home page the device appears once PyTorch has loaded in the background
        if any("Computing on" in c.value for c in at.sidebar.caption):
            break
        time.sleep(0.1)
        at.run()
    assert any("Computing on" in c.value for c in at.sidebar.caption)
    assert at.sidebar.number_input(key="seed").value == 0


def test_app_opens_on_mnist_when_it_is_on_disk(app_test):
    from models.data.default import mnist_on_disk

    if not mnist_on_disk():
        pytest.skip("MNIST is not in GENLAB_DATA_DIR (CI always has it)")
    at = app_test()
    assert at.sidebar.selectbox(key="dataset").value == "mnist"
    assert not any("8x8 digits" in c.value for c in at.sidebar.caption)


def test_app_opens_on_digits_offline_and_says_how_to_get_mnist(app_test, tmp_path, monkeypatch):
    monkeypatch.setenv("GENLAB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GENLAB_NO_DOWNLOAD", "all")
    at = app_test()
    assert at.sidebar.selectbox(key="dataset").value == "digits"
    notice = " ".join(c.value for c in at.sidebar.caption)
    assert "MNIST is not on this machine" in notice and str(tmp_path / "MNIST" / "raw") in notice
    at = app_test(dataset="fashion")  # a choice of the user's: no notice
    assert not any("8x8 digits" in c.value for c in at.sidebar.caption)


def test_bad_url_parameters_are_clamped_with_a_notice(app_test):
    at = app_test(seed="-3", dataset="cifar")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "seed=-3" in notices and "clamped to 0" in notices
    assert "dataset=cifar" in notices
    assert at.sidebar.number_input(key="seed").value == 0
    from models.data.default import default_dataset

    assert at.sidebar.selectbox(key="dataset").value == default_dataset()


def test_good_url_parameters_are_used(app_test):
    at = app_test(seed="42", dataset="mnist")
    assert at.sidebar.number_input(key="seed").value == 42
    assert at.sidebar.selectbox(key="dataset").value == "mnist"
    assert not at.warning


def test_non_numeric_seed_is_ignored(app_test):
    at = app_test(seed="abc")
    assert "not a whole number" in " ".join(w.value for w in at.warning)
    assert at.sidebar.number_input(key="seed").value == 0


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_without_exception(app_test, spec):
    at = app_test(spec.url_path, timeout=120)
    assert not at.exception, at.exception[0].message if at.exception else ""


def test_no_page_scripts_directly_in_pages_folder():
    """Streamlit's legacy multipage mode runs ``pages/<name>.py`` for ``/<name>`` *before* app.py's router
    (no shared sidebar, wrong navigation) until someone opens the home page; section sub-folders avoid it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "pages"
    assert sorted(p.name for p in root.glob("*.py")) == []
    for spec in PAGES:
        assert (root.parent / spec.path).is_file(), spec.path


def test_home_page_does_not_wait_for_pytorch():
    """The home page and the sidebar render in a process where PyTorch was never imported (cold start):
    the router, the sidebar and the home page import no torch; the warm-up thread loads it afterwards."""
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "os.environ['STREAMLIT_SERVER_FILE_WATCHER_TYPE'] = 'none'\n"
        "import time\n"
        "import ui.warmup as w\n"
        "w._load = lambda: time.sleep(10)  # the warm-up 'loads' without importing torch during this check\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=60)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "assert at.title[0].value == 'GenLab'\n"
        "assert any('Loading PyTorch' in c.value for c in at.sidebar.caption)\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"


def _projector_css(at) -> bool:
    from ui.style import PROJECTOR_CSS

    return any(getattr(h, "proto", None) is not None and PROJECTOR_CSS.strip() in h.proto.body
               for h in at.get("html"))


def test_projector_mode_from_the_link_and_across_pages(app_test):
    """?present=1 turns the sidebar's projector toggle on and adds the large-type rules; they stay on when
    the student moves to another page; turning the toggle off removes them."""
    at = app_test("home")
    assert not at.toggle(key="present").value and not _projector_css(at)
    at = app_test("home", present="1")
    assert at.toggle(key="present").value and _projector_css(at)
    from ui.nav import PAGES

    at.switch_page(next(p for p in PAGES if p.url_path == "gen-vs-disc").path).run()
    assert at.toggle(key="present").value and _projector_css(at) and not at.exception
    at.toggle(key="present").set_value(False).run()
    assert not _projector_css(at)


def test_every_chart_has_a_text_alternative_and_its_data_a_download(app_test):
    """ui/charts.py: after each Plotly chart, its summary as visually hidden text (read by screen readers);
    under the page, one download with every chart's data as CSV."""
    at = app_test("gen-vs-disc")
    n_charts = len(at.get("plotly_chart"))
    hidden = [h for h in at.get("html") if h.proto.body.startswith("<p class=\"genlab-sr-only\"")]
    assert n_charts >= 2 and len(hidden) == n_charts
    assert all("Chart" in h.proto.body and "series" in h.proto.body for h in hidden)
    assert f"{n_charts} charts" in at.get("download_button")[-1].proto.label
