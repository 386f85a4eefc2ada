"""The page's run-layer trainers compute what the backend's own functions compute (models/pca_ae/trainers/):
the sweep trains the weights ``fit`` trains and leaves them where ``load_or_train`` finds them; the curved-sheet
run follows ``train_manifold_steps``; the t-SNE run embeds the same codings as ``tsne_steps``."""

import numpy as np
import pytest
import torch

from models.checkpoints import load_or_train, weight_paths
from models.data import load_images
from models.pca_ae import image_ae, nonlinear_ae, tsne
from models.pca_ae.trainers import (LinearAETrainer, ManifoldTrainer, SweepTrainer, TSNETrainer, linear_job,
                                    manifold_job, sweep_job, tsne_job)
from models.pca_ae.linear_ae import LinearAEConfig
from models.runs.job import Job


def test_the_sweep_trains_fits_weights_into_the_cache_for_load_or_train():
    configs = [image_ae.ImageAEConfig(dataset="digits", kind=kind, k=3, hidden=16, epochs=2, batch_size=256, seed=7)
               for kind in ("linear", "stacked")]
    trainer = SweepTrainer(sweep_job(configs))
    while trainer.index < len(configs):
        trainer.advance()
    assert trainer.step == 4 and trainer.snapshot().done == 2
    for config, trained in zip(configs, trainer.models):
        assert weight_paths(config)[1].is_file()
        reference = image_ae.build(config)
        image_ae.fit(reference, config, torch.device("cpu"))
        for k, v in reference.state_dict().items():
            assert torch.equal(v, trained.state_dict()[k]), (config.kind, k)
        loaded = load_or_train(config, image_ae.build, image_ae.fit, device=torch.device("cpu"))
        assert loaded.source in ("cache", "memory")
    with pytest.raises(StopIteration):
        trainer.advance()


def test_a_sweep_job_is_one_dataset():
    with pytest.raises(ValueError, match="single dataset"):
        sweep_job([image_ae.ImageAEConfig(dataset="digits"), image_ae.ImageAEConfig(dataset="mnist", k=5)])


def test_the_curved_sheet_run_follows_train_manifold_steps():
    config = nonlinear_ae.ManifoldAEConfig(n_points=200, hidden=16, steps=50, seed=2)
    last = list(nonlinear_ae.train_manifold_steps(config))[-1]
    trainer = ManifoldTrainer(manifold_job(config))
    for _ in range(config.steps):
        trainer.advance()
    snap = trainer.snapshot()
    np.testing.assert_array_equal(snap.codes, last.codes)
    np.testing.assert_array_equal(snap.hist_mse, last.hist_mse)
    assert snap.step == config.steps and snap.mse == last.mse
    with pytest.raises(ValueError, match="seed"):
        ManifoldTrainer(Job("manifold_ae", config, config.manifold, 3))


def test_the_linear_run_stops_at_its_epochs_and_its_snapshot_is_a_copy():
    trainer = LinearAETrainer(linear_job(LinearAEConfig(epochs=3)))
    first = trainer.snapshot()
    for _ in range(3):
        trainer.advance()
    assert np.isnan(first.hist_mse[1]) and not np.isnan(trainer.snapshot().hist_mse[3])
    with pytest.raises(StopIteration):
        trainer.advance()


def test_the_tsne_run_embeds_the_codings_tsne_steps_embeds():
    job = tsne_job("digits", 120, 3, max_iter=250)
    trainer = TSNETrainer(job)
    assert trainer.snapshot().stage == 1
    trainer.advance()
    trainer.advance()
    snap = trainer.snapshot()
    test = load_images("digits", "test")
    model = load_or_train(job.config.codes, image_ae.build, image_ae.fit, device=torch.device("cpu")).model
    codes = image_ae.encode(model, image_ae.flatten(test.x))
    last = list(tsne.tsne_steps(codes, test.y.numpy(), n=120, seed=3, max_iter=250))[-1]
    assert snap.stage == snap.stages == 3
    np.testing.assert_array_equal(snap.indices, last.indices)
    np.testing.assert_array_equal(snap.labels, last.labels)
    np.testing.assert_allclose(snap.embedding, last.embedding, atol=1e-5)
