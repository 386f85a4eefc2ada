"""What a latent model's checkpoint says was measured, as typed fields (pages never read the metrics dict).

``load_or_train`` hands back the metrics dict a checkpoint stores; :func:`measured` turns it into a
:class:`Measured`, so a renamed or missing quantity fails here, loudly, and not as an empty chart or a
silently different number on a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..training_record import TrainingRecord, training_record


@dataclass(frozen=True)
class Measured:
    """Held-out figures of one model (nats per image) and its training curves.

    Attributes:
        test_recon: mean reconstruction term -log p(x | z) on the held-out images.
        test_kl, test_elbo: the VAE's KL(q(z|x) || p(z)) and ELBO = -(recon + KL) terms there (None: not a VAE).
        n_test: how many held-out images.
        history: loss curves over training, name -> values (``step`` included).
        calibration: the AAE's closed-form code calibration (None: none).
        training: steps, seconds, final loss.
        code_mean, code_std: per axis, of the training codes (the plain AE's fitted "prior"; None: not stored).
    """

    test_recon: float
    test_kl: float | None
    test_elbo: float | None
    n_test: int
    history: dict = field(repr=False)
    calibration: dict | None
    training: TrainingRecord
    code_mean: tuple[float, ...] | None = None
    code_std: tuple[float, ...] | None = None


def _opt(metrics: dict, key: str) -> float | None:
    return float(metrics[key]) if metrics.get(key) is not None else None


def measured(metrics: dict) -> Measured:
    """The typed view of a latent checkpoint's metrics.

    Raises:
        KeyError: a quantity every latent checkpoint stores is missing (a renamed key in the training code).
    """
    axes = {k: tuple(float(v) for v in metrics[k]) if metrics.get(k) is not None else None
            for k in ("code_mean", "code_std")}
    return Measured(float(metrics["test_recon"]), _opt(metrics, "test_kl"), _opt(metrics, "test_elbo"),
                    int(metrics["n_test"]), dict(metrics["history"]), metrics.get("calibration"),
                    training_record(metrics), **axes)
