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
