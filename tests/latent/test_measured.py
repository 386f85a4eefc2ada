"""The typed view of every shipped latent checkpoint's measurements (what the latent explorer prints)."""

import pytest

from models.checkpoints import load_checkpoint
from models.data.paths import pretrained_dir
from models.latent.measured import measured

SHIPPED = sorted(pretrained_dir().glob("LatentConfig-*.pt"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_latent_model_states_its_held_out_figures(path):
    payload = load_checkpoint(path)
    m = measured(payload["metrics"])
    assert m.n_test > 0 and m.test_recon > 0 and m.history and m.training.seconds > 0
    if payload["config"]["kind"] == "vae":
        assert m.test_elbo == pytest.approx(-(m.test_recon + m.test_kl), abs=1e-6)  # ELBO = -(recon + KL)
    else:
        assert m.test_kl is None and m.test_elbo is None


def test_a_renamed_quantity_fails_loudly_not_as_an_empty_chart():
    good = load_checkpoint(SHIPPED[0])["metrics"]
    broken = {k: v for k, v in good.items() if k != "history"}
    with pytest.raises(KeyError):
        measured(broken)


def test_the_plain_autoencoders_code_statistics_are_typed():
    """The explorer's AE sliders start at its training codes' mean: read as a typed field of every shipped AE."""
    from models.latent.config import shipped_configs
    from models.checkpoints import weight_paths

    aes = [c for c in shipped_configs() if c.kind == "ae"]
    assert aes
    for c in aes:
        m = measured(load_checkpoint(weight_paths(c)[0])["metrics"])
        assert m.code_mean is not None and len(m.code_mean) == c.latent_dim == len(m.code_std), c
