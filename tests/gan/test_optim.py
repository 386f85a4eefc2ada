"""models.gan.optim: the toy GAN's optimisers give torch.optim's updates, step for step."""

import pytest
import torch

from models.gan.optim import Adam, TorchOptimizer, make_optimizer


def _params(seed: int = 0) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(32, 2, generator=g), torch.randn(32, generator=g), torch.randn(1, 32, generator=g)]


@pytest.mark.parametrize("name,kwargs", [("adam", {"betas": (0.5, 0.9)}), ("sgd", {}), ("rmsprop", {})])
def test_updates_match_torch_optim_single_tensor_reference(name, kwargs):
    """30 steps of random gradients: the same parameters as torch.optim's plain per-tensor loop
    (foreach=False, fused=False), an implementation independent of the fused kernel."""
    ours, ref = _params(), [p.clone().requires_grad_(True) for p in _params()]
    cls = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop}[name]
    reference = cls(ref, lr=1e-2, foreach=False, **kwargs)
    opt = make_optimizer(name, ours, 1e-2)
    assert isinstance(opt, Adam if name == "adam" else TorchOptimizer)
    g = torch.Generator().manual_seed(1)
    for _ in range(30):
        grads = [torch.randn(p.shape, generator=g) * 3 for p in ours]
        opt.step(grads)
        for p, gr in zip(ref, grads):
            p.grad = gr.clone()
        reference.step()
    for a, b in zip(ours, ref):
        torch.testing.assert_close(a, b.detach(), rtol=1e-5, atol=1e-6)


def test_adam_first_step_is_lr_times_the_gradient_sign():
    """Closed form at t = 1: m_hat = g and v_hat = g^2, so theta moves by lr * g / (|g| + eps)."""
    p = [torch.tensor([1.0, -2.0, 0.5])]
    g = torch.tensor([0.3, -4.0, 1e-3])
    Adam(p, lr=0.1, betas=(0.5, 0.9)).step([g])
    expected = torch.tensor([1.0, -2.0, 0.5]) - 0.1 * g / (g.abs() + 1e-8)
    torch.testing.assert_close(p[0], expected)


def test_unknown_optimizer_is_named():
    with pytest.raises(ValueError, match="adam, sgd, rmsprop"):
        make_optimizer("adagrad", _params(), 0.1)
