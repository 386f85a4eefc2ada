"""Sampling the MNIST flow: Euler steps along the learned velocity, with classifier-free guidance.

Guided velocity (Ho & Salimans 2022, eq. 6, written for velocities; w = 0 is the conditional model, w = -1
the unconditional one):

    v~(x, t, y) = (1 + w) v(x, t, y) - w v(x, t, NULL)

Euler with n equal steps from t = 0 (noise) to t = 1 (an image): x <- x + (1/n) v~(x, t). One step is one
network evaluation (NFE) without guidance, two with it (the conditional and the unconditional call, batched).
"""

from __future__ import annotations

import torch

from .config import NULL


@torch.no_grad()
def guided_velocity(model, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor, w: float) -> torch.Tensor:
    """v~ above; y (B,) labels or NULL (then guidance does nothing: the result is v(x, t, NULL))."""
    if w == 0:
        return model(x, t, y)
    both = model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([y, torch.full_like(y, NULL)]))
    v_cond, v_uncond = both.chunk(2)
    return (1 + w) * v_cond - w * v_uncond


@torch.no_grad()
def sample(model, n: int, steps: int, labels=None, w: float = 0.0, seed: int = 0,
           batch: int = 250) -> torch.Tensor:
    """n images (n, 1, 28, 28) in [0, 1]: Euler with ``steps`` steps from noise drawn with ``seed``.

    labels: None (unconditional, y = NULL), an int (every image that digit) or a sequence of n labels."""
    device = next(model.parameters()).device
    gen = torch.Generator().manual_seed(int(seed))
    x0 = torch.randn((n, 1, 28, 28), generator=gen)
    if labels is None:
        y = torch.full((n,), NULL, dtype=torch.long)
    elif isinstance(labels, int):
        y = torch.full((n,), labels, dtype=torch.long)
    else:
        y = torch.as_tensor(list(labels), dtype=torch.long)
    out = []
    for i in range(0, n, batch):
        x, yb = x0[i:i + batch].to(device), y[i:i + batch].to(device)
        for k in range(steps):
            t = torch.full((len(x),), k / steps, device=device)
            x = x + guided_velocity(model, x, t, yb, w) / steps
        out.append(((x.clamp(-1, 1) + 1) / 2).cpu())
    return torch.cat(out)


@torch.no_grad()
def path_state(model, n: int, t: float, label: int, w: float, seed: int = 0, steps: int = 20) -> torch.Tensor:
    """x_t (n, 1, 28, 28) in [-1, 1]: the guided Euler path of :func:`sample` (same noise) stopped at time t
    (the first round(t * steps) of its ``steps`` steps)."""
    device = next(model.parameters()).device
    gen = torch.Generator().manual_seed(int(seed))
    x = torch.randn((n, 1, 28, 28), generator=gen).to(device)
    y = torch.full((n,), int(label), dtype=torch.long, device=device)
    for k in range(round(t * steps)):
        x = x + guided_velocity(model, x, torch.full((n,), k / steps, device=device), y, w) / steps
    return x


@torch.no_grad()
def predictions(model, x: torch.Tensor, t: float, label: int, w: float) -> dict[str, torch.Tensor]:
    """For the page: at x (B, 1, 28, 28) and time t, the conditional, unconditional and guided velocities'
    one-step guesses of the final image, x + (1 - t) v, in [0, 1] (each (B, 1, 28, 28))."""
    tt = torch.full((len(x),), float(t), device=x.device)
    y = torch.full((len(x),), int(label), dtype=torch.long, device=x.device)
    v_c = model(x, tt, y)
    v_u = model(x, tt, torch.full_like(y, NULL))
    v_g = (1 + w) * v_c - w * v_u
    guess = lambda v: ((x + (1 - t) * v).clamp(-1, 1) + 1) / 2  # noqa: E731
    return {"conditional": guess(v_c).cpu(), "unconditional": guess(v_u).cpu(), "guided": guess(v_g).cpu()}
