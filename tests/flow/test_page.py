"""The flow-matching page in AppTest: defaults, deep links, reflow, custom points, and that every number it
prints comes from the trained flow."""





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


def test_mnist_section_defaults_draw_samples_and_the_measured_curves(app_test):
    at = app_test("flow", timeout=300, train="250")
    assert not at.exception
    assert at.select_slider(key="mnist_steps").value == 8 and at.selectbox(key="digit").value == "any digit"
    assert at.slider(key="w").disabled  # guidance needs a label
    assert any("8 network evaluations per image (one per step)" in c.value for c in at.caption)
    assert not [s for s in at.slider if s.key == "guess_t"]  # the side-by-side guesses need a digit too
    assert any("At 1 to 4 network evaluations" in c.value for c in at.caption)  # the card's curves are drawn


def test_mnist_section_deep_link_guides_a_digit_and_measures_the_guesses(app_test):
    at = app_test("flow", timeout=300, train="250", digit="3", w="4", mnist_steps="4", guess_t="0")
    assert not at.exception
    assert at.selectbox(key="digit").value == "3" and at.slider(key="w").value == 4.0
    assert any("8 network evaluations per image (two per step" in c.value for c in at.caption)
    probs = {}
    for c in at.caption:
        if c.value.startswith("The classifier says *3* with probability"):
            probs[len(probs)] = float(c.value.split("probability ")[1].split(" ")[0])
    assert len(probs) == 3  # conditional, unconditional, guided (in that order)
    # at t = 0 the unconditional guess is the mean of all digits, not a 3; the guided one is surely a 3
    assert probs[1] < 0.5 < probs[2] and probs[2] >= probs[0], probs


def test_mnist_section_rejects_a_step_count_it_does_not_offer(app_test):
    at = app_test("flow", timeout=300, train="250", mnist_steps="3")
    assert not at.exception
    assert any("mnist_steps" in w.value for w in at.warning)
    assert at.select_slider(key="mnist_steps").value == 8
