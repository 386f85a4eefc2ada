"""Optimisers for the GAN lab's networks, stepped with explicit gradients.

A 2D toy step trains two 2x32 MLPs: every kernel takes microseconds, so Python bookkeeping decides the
speed (the image GANs use the same optimiser). ``torch.optim.Adam(fused=True)`` runs one kernel for the whole update but spends ~0.2 ms per call
in Python around it (parameter groups, lazy state, hooks, capture checks), ten times the kernel itself and
a fifth of a whole GAN step on a laptop core. :class:`Adam` here calls the same kernel with nothing around
it. The training loop hands it the gradients from ``torch.autograd.grad``, so nothing accumulates in
``.grad`` and nothing has to be zeroed.

Adam (Kingma & Ba 2015, Algorithm 1), for each parameter theta with gradient g at step t:

    m_t = beta1 m_{t-1} + (1 - beta1) g                       (first moment)
    v_t = beta2 v_{t-1} + (1 - beta2) g^2                     (second moment)
    theta_t = theta_{t-1} - lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m_t / (1 - beta1^t), v_hat = v_t / (1 - beta2^t)

GANs use beta1 = 0.5 (Radford et al. 2016): less momentum, because the loss surface moves under each
player as the other one learns.
"""

from __future__ import annotations

import copy

from typing import Sequence

import torch

from .config import OPTIMIZERS


class Adam:
    """Adam with PyTorch's fused kernel (``aten::_fused_adam_``, what ``torch.optim.Adam(fused=True)`` runs).

    Args:
        params: the tensors to update (on the CPU or a CUDA device).
        lr, betas, eps: as in ``torch.optim.Adam``.
    """

    def __init__(self, params: Sequence[torch.Tensor], lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8):
        self.params = list(params)
        self.lr, (self.beta1, self.beta2), self.eps = float(lr), betas, float(eps)
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        # one step counter t, read by the kernel for every parameter (float32, on the parameters' device)
        self.t = torch.zeros((), dtype=torch.float32, device=self.params[0].device)

    @torch.no_grad()
    def step(self, grads: Sequence[torch.Tensor]) -> None:
        """One update with ``grads[i]`` the gradient of ``params[i]``."""
        self.t += 1
        torch._fused_adam_(self.params, list(grads), self.m, self.v, [], [self.t] * len(self.params),
                           lr=self.lr, beta1=self.beta1, beta2=self.beta2, weight_decay=0.0, eps=self.eps,
                           amsgrad=False, maximize=False)

    def state_dict(self) -> dict:
        """The moments and step counter (copies): what a resumed run needs to continue bit for bit."""
        return {"m": [m.clone() for m in self.m], "v": [v.clone() for v in self.v], "t": self.t.clone()}

    @torch.no_grad()
    def load_state_dict(self, state: dict) -> None:
        for mine, saved in zip(self.m + self.v, list(state["m"]) + list(state["v"])):
            mine.copy_(saved)
        self.t.copy_(state["t"])


class TorchOptimizer:
    """A ``torch.optim`` optimiser stepped with explicit gradients (SGD, RMSprop, or Adam where the fused
    kernel is missing, e.g. Apple MPS)."""

    def __init__(self, optimizer: torch.optim.Optimizer):
        self.optimizer = optimizer
        self.params = [p for group in optimizer.param_groups for p in group["params"]]

    def step(self, grads: Sequence[torch.Tensor]) -> None:
        for p, g in zip(self.params, grads):
            p.grad = g
        self.optimizer.step()

    def state_dict(self) -> dict:
        return self.optimizer.state_dict()

    def load_state_dict(self, state: dict) -> None:
        # torch keeps the tensors it is given: copy, so two trainers loaded from one state stay apart
        self.optimizer.load_state_dict(copy.deepcopy(state))


def make_optimizer(name: str, params, lr: float, betas: tuple[float, float] = (0.5, 0.9)):
    """``adam`` (betas (0.5, 0.9) by default, as for GANs), ``sgd`` or ``rmsprop``; ``.step(grads)`` updates."""
    params = list(params)
    if name == "adam":
        if params[0].device.type in ("cpu", "cuda") and hasattr(torch, "_fused_adam_"):
            return Adam(params, lr, betas)
        return TorchOptimizer(torch.optim.Adam(params, lr=lr, betas=betas, foreach=True))
    if name == "rmsprop":
        return TorchOptimizer(torch.optim.RMSprop(params, lr=lr, foreach=True))
    if name == "sgd":
        return TorchOptimizer(torch.optim.SGD(params, lr=lr, foreach=True))
    raise ValueError(f"Unknown optimizer {name!r}: choose one of {', '.join(OPTIMIZERS)}.")
