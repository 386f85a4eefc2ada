"""The image GAN page's caption reads each shipped generator's class coverage through typed fields."""

import pytest

from models.checkpoints import load_checkpoint
from models.data.paths import pretrained_dir
from models.gan.measured import ClassCoverage, class_coverage
from models.training_record import training_record


def test_a_checkpoint_without_the_measurement_has_none():
    assert class_coverage({"steps": 10}) is None


def test_a_renamed_quantity_fails_loudly():
    with pytest.raises(KeyError):
        class_coverage({"classes_present": 9})


def test_every_shipped_image_generator_states_steps_and_coverage():
    files = sorted(pretrained_dir().glob("ImageGANConfig-*.pt"))
    assert files
    for p in files:
        metrics = load_checkpoint(p)["metrics"]
        cover = class_coverage(metrics)
        assert isinstance(cover, ClassCoverage) and 0 <= cover.classes_present <= 10, p.name
        assert 0.9 < cover.classifier_acc <= 1.0, p.name
        assert training_record(metrics).steps > 0, p.name
