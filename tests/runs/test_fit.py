"""The ``fit`` family: load_or_train's training is a job of the run pool (capped, queued, stoppable), not a
call in the page's thread."""

from __future__ import annotations

import threading
import time

import pytest
import torch

from models import checkpoints as ck
from models.runs.fit import fit_job, import_name, train_in_pool
from models.runs.pool import RunPool, default_pool
from tests.runs import fitting
from tests.runs.counter import counter
from tests.runs.fitting import LineConfig, build, nested_fit, slow_fit

CPU = torch.device("cpu")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("GENLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ck, "pretrained_dir", lambda: tmp_path / "pretrained")
    ck.forget()
    fitting.CALLS.clear()
    yield
    ck.forget()


def _in_thread(fn, *args, **kwargs):
    out: dict = {}

    def main():
        try:
            out["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out["error"] = exc
    t = threading.Thread(target=main, daemon=True)
    t.start()
    return t, out


def _until(cond, timeout=20.0):
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.02)


def test_load_or_train_trains_in_the_apps_pool_and_gets_the_fits_weights():
    steps = []
    got = ck.load_or_train(LineConfig(), build, slow_fit, on_step=lambda *a: steps.append(a), device=CPU)
    job = fit_job(LineConfig(), build, slow_fit)
    run = default_pool().get(f"fit/{job.digest()}/cpu")
    assert run is not None and run.snapshot().status == "done" and run.job == job
    # the same weights as the fit called directly on the same initial network
    direct = build(LineConfig())
    slow_fit(direct, LineConfig(), CPU, None)
    assert torch.equal(got.model.weight, direct.weight) and got.source == "trained"
    assert got.metrics["steps"] == 200 and got.path == ck.weight_paths(LineConfig())[1]
    assert steps and steps[-1][:2] == (200, 200) and all(0 < s <= 200 for s, _, _ in steps)
    assert [s for s, _, _ in steps] == sorted(s for s, _, _ in steps)


def test_a_fit_waits_for_a_free_slot_and_says_so():
    pool = RunPool(max_running=1, max_queued=4)
    busy = pool.submit("other", counter(delay=0.01))
    waits = []
    t, out = _in_thread(train_in_pool, LineConfig(seed=1), build, slow_fit, CPU, on_wait=waits.append, pool=pool)
    _until(lambda: waits)
    time.sleep(0.3)
    assert "place 1 in the queue" in waits[-1] and fitting.CALLS == []  # nothing trained past the cap
    busy.stop()
    t.join(20)
    assert out["value"].done and fitting.CALLS == [(LineConfig(seed=1), 200)]


def test_a_full_queue_is_waited_out_with_its_message():
    pool = RunPool(max_running=1, max_queued=0)
    busy = pool.submit("other", counter(delay=0.01))
    waits = []
    t, out = _in_thread(train_in_pool, LineConfig(seed=2, steps=5), build, slow_fit, CPU, on_wait=waits.append,
                        pool=pool)
    _until(lambda: waits)
    assert "The machine is busy" in waits[0]
    busy.stop()
    t.join(20)
    assert out["value"].done


def test_two_callers_at_once_share_one_fit():
    pool = RunPool(max_running=2)
    threads = [_in_thread(train_in_pool, LineConfig(seed=3), build, slow_fit, CPU, pool=pool) for _ in range(2)]
    for t, _ in threads:
        t.join(20)
    assert all(out["value"].done for _, out in threads)
    assert fitting.CALLS == [(LineConfig(seed=3), 200)]


def test_stopping_the_run_stops_the_fit_between_two_of_its_steps():
    pool = RunPool(max_running=1)
    t, out = _in_thread(train_in_pool, LineConfig(seed=4, steps=2000), build, slow_fit, CPU, pool=pool)
    key = f"fit/{fit_job(LineConfig(seed=4, steps=2000), build, slow_fit).digest()}/cpu"
    _until(lambda: pool.get(key) is not None and (pool.get(key).snapshot().latest or None) is not None
           and pool.get(key).snapshot().latest.step > 10)
    pool.stop(key)
    t.join(20)
    assert isinstance(out.get("error"), RuntimeError) and "stopped" in str(out["error"])
    assert fitting.CALLS == [] and pool.get(key).snapshot().status == "stopped"
    assert not ck.weight_paths(LineConfig(seed=4, steps=2000))[1].exists()  # no half-trained weights


def test_a_fit_inside_a_run_loads_its_parent_there_without_a_second_slot():
    """With one slot, a fit that needs its parent trained would wait for itself; inside a run it trains it
    in its own thread."""
    parent = LineConfig(seed=5, steps=20)
    child = LineConfig(seed=6, steps=1, parent=parent)
    pool = RunPool(max_running=1)
    t, out = _in_thread(train_in_pool, child, build, nested_fit, CPU, pool=pool)
    t.join(30)
    assert out["value"].done and [c for c, _ in fitting.CALLS] == [parent, child]


def test_fit_errors_reach_the_caller_with_their_type():
    with pytest.raises(ZeroDivisionError):
        train_in_pool(LineConfig(seed=7), build, _divide, CPU, pool=RunPool())


def _divide(model, config, device, on_step):
    return 1 / 0


def test_a_job_names_functions_and_refuses_what_it_cannot_name():
    assert import_name(slow_fit) == "tests.runs.fitting:slow_fit"
    with pytest.raises(TypeError, match="module-level function"):
        import_name(lambda m, c, d, s: {})

    def local(model, config, device, on_step):
        return {}
    with pytest.raises(TypeError, match="module-level function"):
        fit_job(LineConfig(), build, local)


def test_real_fits_trained_together_match_one_alone(tmp_path):
    """Randomness per run for the fit family, on a real GenLab fit (the zoo's, on the 8x8 digits): two
    identical fits trained at the same time as a third, different one report the same losses, and write the
    same weights, as the fit trained alone."""
    from models.runs.run import DONE
    from models.zoo import training, variants
    from models.zoo.config import digits_config

    cfg, other = digits_config("denoise_dropout", steps=30, hidden=16, code=4), \
        digits_config("denoise_dropout", steps=30, hidden=16, code=4, seed=1)
    job, job_other = fit_job(cfg, variants.build, training.fit), fit_job(other, variants.build, training.fit)
    pool = RunPool(max_running=3)
    alone = pool.submit("alone", job, max_steps=1, checkpoint_root=tmp_path / "a")
    assert alone.join(120) and alone.snapshot().status == DONE, alone.snapshot().error
    weights = ck.load_checkpoint(ck.weight_paths(cfg)[1], cfg)["state_dict"]
    runs = [pool.submit(f"r{i}", j, max_steps=1, checkpoint_root=tmp_path / f"r{i}")
            for i, j in enumerate([job, job_other, job])]
    for run in runs:
        assert run.join(120) and run.snapshot().status == DONE, run.snapshot().error
    assert alone.snapshot().latest.logs and alone.snapshot().latest.done
    assert runs[0].snapshot().latest == alone.snapshot().latest == runs[2].snapshot().latest
    assert runs[1].snapshot().latest.logs != alone.snapshot().latest.logs  # the other seed really differs
    again = ck.load_checkpoint(ck.weight_paths(cfg)[1], cfg)["state_dict"]
    assert all(torch.equal(weights[k], again[k]) for k in weights)
