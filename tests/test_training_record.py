"""The training record: one name per quantity, read from every family's shipped checkpoints."""

import pytest

from models.checkpoints import load_checkpoint
from models.data.paths import pretrained_dir
from models.training_record import TrainingRecord, training_record


@pytest.mark.parametrize("key", ["train_seconds", "train_time_s", "wall_s", "seconds"])
def test_every_old_name_of_the_training_time_is_read(key):
    assert training_record({key: 12.5, "steps": 100}) == TrainingRecord(100, 12.5, None)


def test_missing_quantities_are_none_not_zero():
    assert training_record({}) == TrainingRecord(None, None, None)


def test_every_shipped_checkpoint_states_its_training_time():
    """Each shipped weights file records how long it trained, under one of the names the record reads."""
    missing = [p.name for p in sorted(pretrained_dir().glob("*.pt"))
               if training_record(load_checkpoint(p)["metrics"]).seconds is None]
    assert missing == [], missing


def test_both_names_of_the_loss_curve_are_read():
    assert training_record({"loss_steps": [1, 2], "loss_history": [0.5, 0.25]}).curve == ((1, 2), (0.5, 0.25))
    assert training_record({"hist_step": [0, 10], "hist_mse": [1.0, 0.1]}).curve == ((0, 10), (1.0, 0.1))


def test_the_pages_shipped_models_state_what_the_pages_read():
    """The DDPM page states the shipped U-Nets' training steps; the zoo and PCA pages draw the shipped
    autoencoders' loss curves: each shipped file of those families has them under a name the record reads."""
    families = {"DiffusionConfig": "steps", "ZooConfig": "curve", "ManifoldAEConfig": "curve"}
    checked = 0
    for p in sorted(pretrained_dir().glob("*.pt")):
        family = p.name.split("-")[0]
        if family in families:
            record = training_record(load_checkpoint(p)["metrics"])
            assert getattr(record, families[family]) is not None, p.name
            checked += 1
    assert checked >= 3
