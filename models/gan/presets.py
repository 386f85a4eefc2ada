"""The GAN lab's preset links: settings that show one lesson each, as URL parameters the page reads.

A preset is a set of URL parameters (the page's widgets are bound to them, so a link on a slide opens the
page with these settings) plus the run length it trains to. ``tests/gan/test_claims.py`` trains every
preset that states a result, with the seeds the page names, and checks the result (the VEEGAN mode
metrics of :mod:`models.gan.metrics`) at that run length.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .config import ToyConfig

# URL parameter -> ToyConfig field (the page's widget keys; ``steps`` is the run length, not a config field)
PARAM_FIELDS = {"toy": "toy", "loss": "loss", "k": "k_d", "lam": "gp_lambda", "dopt": "d_opt", "dlr": "d_lr",
                "gopt": "g_opt", "glr": "g_lr", "layers": "hidden_layers", "width": "width", "act": "activation",
                "zdim": "z_dim", "zdist": "z_dist", "batch": "batch"}
DEFAULT_STEPS = 50_000  # a run without a preset stops by itself here
CLAIM_SEEDS = (0, 1, 2)


@dataclass(frozen=True)
class Preset:
    """Attributes:
        label: the link's text; lesson: what it shows (after the link).
        params: URL parameters (values as the page's widgets take them), including ``steps``.
        max_covered / min_covered: the claim, in modes covered of the ring's 8 at ``steps`` for every seed
            of ``CLAIM_SEEDS`` (None: the preset states no number).
    """

    label: str
    lesson: str
    params: dict
    max_covered: int | None = None
    min_covered: int | None = None

    @property
    def steps(self) -> int:
        return int(self.params.get("steps", DEFAULT_STEPS))

    def query(self) -> str:
        """``mode=toy&loss=...``: the link's query string."""
        return "&".join(f"{k}={v}" for k, v in {"mode": "toy", **self.params}.items())

    def config(self, seed: int = 0) -> ToyConfig:
        """The :class:`ToyConfig` the page builds from this link (defaults for what the link leaves out)."""
        kw = {PARAM_FIELDS[k]: v for k, v in self.params.items() if k in PARAM_FIELDS}
        types = {f.name: f.type for f in fields(ToyConfig)}
        kw = {k: (float(v) if types[k] == "float" else int(v) if types[k] == "int" else v) for k, v in kw.items()}
        return ToyConfig(seed=seed, **kw)


PRESETS = {
    # a discriminator trained 5 times per generator step: G crowds onto the 2-3 modes D rates best
    # (measured, samples on a mode at 3,000 steps: seed 0 3 modes, 66% of samples; seed 1 2, 43%; seed 2 2, 86%)
    "collapse": Preset(
        "vanilla GAN on the ring, k = 5", "mode collapse",
        {"loss": "nonsat", "k": 5, "steps": 3000},
        max_covered=3),
    # the same networks and learning rates as the page's defaults; measured at 2,000 steps: 8, 8, 8 of 8
    # modes for seeds 0-2 (51-65% of samples on a mode)
    "wgan": Preset(
        "WGAN-GP on the ring", "covers the modes",
        {"loss": "wgan-gp", "k": 5, "steps": 2000},
        min_covered=7),
    "grid": Preset("5x5 grid", "25 modes", {"toy": "grid25", "loss": "nonsat"}),
    "custom": Preset("draw your own", "", {"toy": "custom"}),
}
