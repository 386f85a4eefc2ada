"""`python app.py` visits every page once in the background after the server starts (ui/prewarm.py), so the
first real visitor finds warm caches; it starts no run and leaves the server serving."""

import json
import time

from ui.nav import PAGES

from .conftest import running_server


def test_server_visits_every_page_once_after_start(tmp_path, page):
    done = tmp_path / "prewarm.json"
    with running_server(extra_env={"GENLAB_PREWARM": "1", "GENLAB_PREWARM_DONE": str(done)}) as base:
        deadline = time.time() + 400
        while not done.is_file() and time.time() < deadline:
            time.sleep(0.5)
        assert done.is_file(), "the warm-up did not finish within 400 s"
        summary = json.loads(done.read_text())
        assert summary["error"] is None
        assert list(summary["pages"]) == [p.url_path for p in PAGES if p.url_path != "home"]
        for name, visit in summary["pages"].items():
            assert visit["exceptions"] == [], (name, visit["exceptions"])
            assert visit["elements"] >= 5, (name, visit)  # the page's script really ran and drew
        # the server still serves a browser afterwards
        page.goto(f"{base}/gan", wait_until="domcontentloaded")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
        assert page.locator('[data-testid="stException"]').count() == 0


def test_prewarm_can_be_turned_off(monkeypatch):
    from ui import prewarm

    monkeypatch.setenv("GENLAB_PREWARM", "0")
    assert prewarm.start() is None
