"""The evaluation page's new numbers in AppTest: PRDC beside FID and KID, the ring-of-8 tab, path lengths."""

from models.fid.prdc import prdc
from models.fid.prdc_toys import generated_points, real_points


def test_prdc_metrics_beside_fid_and_the_toy_tab(app_test):
    at = app_test("fid", timeout=300, section="Precision and recall")
    assert not at.exception, at.exception[0].message if at.exception else ""
    labels = [m.label for m in at.metric]
    for name in ("Precision", "Recall", "Density", "Coverage"):
        assert any(lbl.startswith(f"{name} (k = 5)") for lbl in labels), labels
    # the toy tab shows the measured values of the default scenario (collapsed), equal to a direct call
    r = prdc(real_points(), generated_points("collapsed"))
    table = at.dataframe[-1].value
    shown = dict(zip(table["metric"], table["value"]))
    assert shown["precision"] == f"{r.precision:.3f}" and shown["recall"] == f"{r.recall:.3f}"


def test_scenario_deep_link_and_path_lengths(app_test):
    at = app_test("fid", timeout=300, scenario="noisy")
    assert at.selectbox(key="scenario").value == "noisy"  # the link opened the tab the parameter belongs to
    at.session_state["section"] = "Path length"
    at.run()
    assert at.session_state["scenario"] == "noisy"  # kept while its tab is hidden
    at.toggle(key="ppl_on").set_value(True).run(timeout=300)
    assert not at.exception, at.exception[0].message if at.exception else ""
    ppl_table = at.dataframe[-1].value
    assert len(ppl_table) == 5 and all(float(v.replace(",", "")) > 0 for v in ppl_table["PPL"])
