"""Image GANs: shapes, conditioning, step generator, checkpoints and the shipped generators."""

import numpy as np
import pytest
import torch

from models.checkpoints import load_checkpoint, weight_paths
from models.data import load_images
from models.gan import sample
from models.gan.config import ImageGANConfig
from models.gan.image_nets import DATASET_SHAPES, build_discriminator
from models.gan.image_train import GRID_N, build, fit, image_steps
from models.gan.image_trainer import ImageGANTrainer, image_job
from models.gan.sampling import SHIPPED, generate, shipped_config
from models.gan.toy_train import TrainingDiverged


@pytest.mark.parametrize("kind", ["dense", "dcgan", "cgan"])
@pytest.mark.parametrize("dataset", ["digits", "mnist"])
def test_shapes_and_ranges(kind, dataset):
    cfg = ImageGANConfig(kind=kind, dataset=dataset)
    shape = DATASET_SHAPES[dataset]
    g_net, d_net = build(cfg), build_discriminator(cfg, shape, 10)
    z, y = torch.randn(5, cfg.codings), torch.arange(5)
    x = g_net(z, y)
    assert x.shape == (5, *shape) and float(x.min()) >= 0 and float(x.max()) <= 1
    assert d_net(x, y).shape == (5, 1)


def test_book_dense_gan_layer_sizes():
    g = build(ImageGANConfig(kind="dense", dataset="mnist"))
    sizes = [(m.in_features, m.out_features) for m in g.modules() if isinstance(m, torch.nn.Linear)]
    assert sizes == [(30, 100), (100, 150), (150, 784)]  # HOML ch. 17: codings 30, Dense 100, Dense 150


def test_conditional_generator_depends_on_the_label():
    g = build(ImageGANConfig(kind="cgan", dataset="digits"))
    z = torch.randn(1, 30).repeat(2, 1)
    out = g(z, torch.tensor([1, 7]))
    assert not torch.allclose(out[0], out[1])


def test_image_steps_runs_and_snapshots(mnist_test):
    cfg = ImageGANConfig(kind="dense", dataset="mnist", batch=16)
    gen = image_steps(cfg, mnist_test.x[:500], mnist_test.y[:500], grid_every=2, snapshot_every=3)
    states = [next(gen) for _ in range(7)]
    s = states[-1]
    assert s.step == 7 and s.grid.shape == (GRID_N, 28, 28)
    assert [st for st, _ in s.snapshots] == [0, 3, 6]
    assert np.isfinite([s.d_loss, s.g_loss]).all() and 0 < s.d_real < 1
    assert not np.array_equal(s.snapshots[0][1], s.snapshots[-1][1])  # the fixed-z grid changes


def test_wgan_gp_and_divergence_on_images():
    data = load_images("digits", "train")
    gen = image_steps(ImageGANConfig(kind="dense", dataset="digits", loss="wgan-gp", batch=16), data.x, data.y)
    assert np.isfinite(next(gen).d_loss)
    bad = image_steps(ImageGANConfig(kind="dense", dataset="digits", loss="lsgan", lr=1e4, batch=16), data.x, data.y)
    with pytest.raises(TrainingDiverged):
        for _ in range(200):
            next(bad)


def test_image_steps_is_the_trainer_step_for_step():
    """The legacy generator and the run layer's trainer train the same weights from the same config."""
    cfg = ImageGANConfig(kind="dcgan", dataset="digits", batch=8, codings=4)
    data = load_images("digits", "train")
    g = build(cfg)
    steps = image_steps(cfg, data.x, data.y, g_net=g, grid_every=1)
    for _ in range(3):
        state = next(steps)
    trainer = ImageGANTrainer(image_job(cfg))
    for _ in range(3):
        trainer.advance()
    for a, b in zip(g.state_dict().values(), trainer.g_net.state_dict().values()):
        assert torch.equal(a, b)
    np.testing.assert_array_equal(state.grid, trainer.snapshot().grid)


def test_wgan_gp_trainer_resumes_bit_identically_without_global_draws():
    """Five critic updates with gradient-penalty draws per step: a state_dict round trip mid-run changes
    nothing, and no step touches PyTorch's or NumPy's global generators."""
    job = image_job(ImageGANConfig(kind="cgan", dataset="digits", loss="wgan-gp", batch=8, codings=4, seed=3))
    unbroken, resumed = ImageGANTrainer(job), ImageGANTrainer(job)
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()[1].copy()
    for _ in range(2):
        unbroken.advance()
        resumed.advance()
    restarted = ImageGANTrainer(job)
    restarted.load_state_dict(resumed.state_dict())
    for _ in range(2):
        unbroken.advance()
        restarted.advance()
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], np_state)
    assert restarted.step == unbroken.step == 4
    for name in ("G", "D"):
        for a, b in zip(unbroken.modules()[name].state_dict().values(),
                        restarted.modules()[name].state_dict().values()):
            assert torch.equal(a, b), name
    a, b = unbroken.snapshot(), restarted.snapshot()
    np.testing.assert_array_equal(a.grid, b.grid)
    for k in a.history:
        np.testing.assert_array_equal(a.history[k], b.history[k])


def test_an_image_job_is_data_and_must_agree_with_its_config():
    from models.runs.job import Job

    cfg = ImageGANConfig(kind="dense", dataset="digits")
    assert image_job(cfg).dataset == "digits" and image_job(cfg).seed == cfg.seed
    with pytest.raises(ValueError, match="make them the same"):
        ImageGANTrainer(Job("gan_images", cfg, "mnist", 0))


def test_fit_trains_the_given_generator():
    cfg = ImageGANConfig(kind="dense", dataset="digits", steps=20, batch=16)
    g = build(cfg)
    before = [p.clone() for p in g.parameters()]
    seen = []
    metrics = fit(g, cfg, torch.device("cpu"), lambda step, total, logs: seen.append((step, total)))
    assert metrics["steps"] == 20 and seen[-1] == (20, 20)
    assert any(not torch.equal(a, b) for a, b in zip(before, g.parameters()))


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_shipped_weights_exist_and_load(key):
    cfg = SHIPPED[key]
    path = weight_paths(cfg)[0]
    assert path.is_file(), f"missing {path.name}: run python -m models.gan.train"
    payload = load_checkpoint(path, cfg)
    assert payload["metrics"]["steps"] == cfg.steps
    assert 0 <= payload["metrics"]["classes_present"] <= 10  # measured again in tests/gan/test_shipped_images.py


def test_sample_for_the_fid_page():
    x = sample("dense", "digits", 12, seed=5)
    assert x.shape == (12, 1, 8, 8) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    np.testing.assert_array_equal(x, sample("dense", "digits", 12, seed=5))
    assert not np.array_equal(x, sample("dense", "digits", 12, seed=6))
    with pytest.raises(ValueError, match="Unknown GAN kind"):
        sample("vae", "digits", 2, 0)


def test_shipped_conditional_gan_generates_the_requested_digit():
    """The cGAN's samples, classified by a model trained on real digits, mostly match the asked class."""
    from models.gan.image_metrics import conditional_accuracy, fit_classifier

    train, test = load_images("digits", "train"), load_images("digits", "test")
    clf, acc = fit_classifier(train.x, train.y, test.x, test.y)
    assert acc > 0.9
    from models.gan.sampling import load_generator

    g = load_generator("cgan", "digits").model
    labels = np.arange(200) % 10
    assert conditional_accuracy(clf, generate(g, 30, 200, seed=9, labels=labels), labels) > 0.8
    assert shipped_config("dense", "fashion").dataset == "fashion"
