"""The flow-matching page in AppTest: defaults, deep links, reflow, custom points, and that every number it
prints comes from the trained flow."""

import pytest




def test_defaults_train_and_draw(app_test):
    at = app_test("flow", timeout=300)
    assert not at.exception, at.exception[0].message if at.exception else ""
    assert at.selectbox(key="target").value == "moons" and at.radio(key="pairing").value == "independent"
    assert len(at.get("plotly_chart")) >= 3
    assert any("Trained 2,000 steps" in c.value for c in at.caption)
    w2 = [m for m in at.metric if m.label.startswith("W2 to the target after 8 steps")]
    assert w2 and 0 < float(w2[0].value) < 1.0


def test_deep_link_sets_pairing_and_steps(app_test):
    at = app_test("flow", timeout=300, pairing="ot", steps="4", train="250")
    assert not at.exception
    assert at.radio(key="pairing").value == "ot" and at.slider(key="steps").value == 4
    assert at.select_slider(key="train").value == 250
    assert any("Trained 250 steps" in c.value for c in at.caption)
    assert any(m.label.startswith("W2 to the target after 4 steps") for m in at.metric)


def test_ot_pairing_shows_shorter_paths_than_independent(app_test):
    costs = {}
    for pairing in ("independent", "ot"):
        at = app_test("flow", timeout=300, pairing=pairing, train="250")
        m = next(m for m in at.metric if m.label.startswith("Mean squared path length"))
        costs[pairing] = float(m.value)
    assert costs["ot"] < costs["independent"], costs


def test_reflow_button_reports_measured_straightening(app_test):
    at = app_test("flow", timeout=300, train="500")
    at.button(key="do_reflow").click().run(timeout=300)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "is **straighter**" in text, text[-400:]
    assert len(at.dataframe) == 1


def test_custom_target_needs_two_points(app_test):
    at = app_test("flow", timeout=300, target="custom", train="250")
    assert not at.exception
    at.text_area(key="flow_pts").set_value("1, 2\nnot a point").run(timeout=300)
    assert any("not two numbers" in w.value for w in at.warning)
    assert any("at least 2 points" in i.value for i in at.info)
