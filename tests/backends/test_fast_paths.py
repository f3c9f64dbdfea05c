"""Every adapter's fast paths (its hooks: ``fused_update``, ``compile_steps``, ``compile_loss``)
compute the rule of ``d2lmomentum.rule``, over the one table of named configurations
(``d2lmomentum.configs.CONFIGS``: beta 0, 0.01, 0.1, 0.5, 0.9, Nesterov), both dtypes, and tensor
layouts that reach each branch (one tensor or several, small or large)."""
import numpy as np
import pytest
import torch

from d2lmomentum.backends import FRAMEWORKS, load
from d2lmomentum.backends import pytorch as torch_adapter
from d2lmomentum.configs import CONFIGS
from d2lmomentum.rule import momentum_update

DTYPES = ("float32", "float64")
# MXNet batches several tensors up to 2^16 values into one multi_sgd_update; larger ones, or a
# single tensor, stream through sgd_update.
LAYOUTS = {"one small": [(5, 1)], "several small": [(5, 1), (1,)], "one large": [(70000,)],
           "several with a large": [(5, 1), (1,), (70000,)]}
STEPS = 4


def _within_roundings(fast, ref, dtype, scale, steps=STEPS):
    """Kernels may fuse ``beta*v + g`` (and ``p - lr*v``) into one multiply-add, rounded once
    instead of twice: each step may differ by a rounding on the scale of the values involved
    (earlier differences shrink by beta), so at most ``2 * steps`` units of ``eps * scale``."""
    return np.max(np.abs(fast - ref)) <= 2 * steps * np.finfo(dtype).eps * scale


def _update_runs(B, c, dtype, shapes):
    """``STEPS`` updates by the adapter and by the reference rule; returns both final
    ``(params, states)`` as NumPy arrays and the scales of ``p`` and ``v``."""
    rng = np.random.default_rng(1)
    init = [rng.standard_normal(s).astype(dtype) for s in shapes]
    grads = [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(STEPS)]
    fast = ([B.parameter(a) for a in init], [B.state(a * 0) for a in init])
    ref = ([B.parameter(a) for a in init], [B.state(a * 0) for a in init])
    for gs in grads:
        gs = [B.constant(g) for g in gs]
        fast = B.momentum_update_all(*fast, gs, c.lr, c.momentum, c.nesterov)
        new = [momentum_update(B, p, v, g, c.lr, c.momentum, c.nesterov) for p, v, g in zip(*ref, gs)]
        ref = [p for p, _ in new], [v for _, v in new]
    g_max = max(np.abs(g).max() for gs in grads for g in gs)
    v_scale = g_max / (1 - c.momentum)
    p_scale = max(np.abs(a).max() for a in init) + STEPS * c.lr * 2 * v_scale
    n = len(shapes)
    return ([B.to_numpy(t) for t in fast[0] + fast[1]], [B.to_numpy(t) for t in ref[0] + ref[1]],
            [p_scale] * n + [v_scale] * n)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("c", CONFIGS, ids=[c.name for c in CONFIGS])
@pytest.mark.parametrize("name", FRAMEWORKS)
def test_momentum_update_all_is_the_rule(name, c, dtype, layout):
    B = load(name)
    with B.precision(dtype):
        fast, ref, scales = _update_runs(B, c, dtype, LAYOUTS[layout])
    for a, b, scale in zip(fast, ref, scales):
        assert a.dtype == np.dtype(dtype) and _within_roundings(a, b, dtype, scale)


def _train_steps_runs(B, c, dtype, X, y):
    """The adapter's ``train_steps`` and the simple path (``loss_grads`` + the rule per minibatch)."""
    w0 = np.random.default_rng(0).normal(0, 0.01, (X.shape[1], 1)).astype(dtype)
    runs = []
    for fast in (True, False):
        params = [B.parameter(w0), B.parameter(np.zeros(1, dtype))]
        states = [B.state(np.zeros_like(w0)), B.state(np.zeros(1, dtype))]
        Xt, yt = B.constant(X.astype(dtype)), B.constant(y.astype(dtype))
        if fast:
            params, states = B.train_steps(params, states, Xt, yt, 10, c.lr, c.momentum, c.nesterov)
        else:
            for s in range(0, len(X), 10):
                new = [momentum_update(B, p, v, g, c.lr, c.momentum, c.nesterov)
                       for p, v, g in zip(params, states, B.loss_grads(params, Xt[s:s + 10], yt[s:s + 10]))]
                params, states = [p for p, _ in new], [v for _, v in new]
        runs.append(np.concatenate([B.to_numpy(t).ravel() for t in params + states]))
    return runs


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("c", CONFIGS, ids=[c.name for c in CONFIGS])
@pytest.mark.parametrize("name", FRAMEWORKS)
def test_train_steps_is_the_simple_path(name, c, dtype, airfoil):
    X, y = (np.ascontiguousarray(a[:400]) for a in airfoil)
    B = load(name)
    with B.precision(dtype):
        fast, simple = _train_steps_runs(B, c, dtype, X, y)
    assert np.max(np.abs(simple[:5])) > 0.05  # it trained (w0 is ~0.01)
    # 40 steps: fused roundings in the update and in the compiled autograd step, on the scale of
    # the trained parameters and states
    assert _within_roundings(fast, simple, dtype, np.max(np.abs(simple)), steps=40)


@pytest.mark.parametrize("name,momentum,fused", [
    ("pytorch", 0.9, True), ("pytorch", 0.0, False),  # torch.optim's fused kernel keeps no buffer at 0
    ("tensorflow", 0.0, True), ("tensorflow", 0.9, True), ("jax", 0.9, True),
    ("mxnet", 0.9, True), ("mxnet", 0.1, False),  # sgd_update's float32 factor is exact at 0.9, not 0.1
])
def test_fused_update_is_taken_where_it_computes_the_rule(name, momentum, fused):
    """The tests above cover the rule either way; this says which path they took."""
    B = load(name)
    params, states, grads = ([B.state(np.full(3, x, np.float32))] for x in (1.0, 0.0, 0.5))
    out = B.fused_update(params, states, grads, 0.1, momentum, False)
    assert (out is not None) == fused
    if fused:
        np.testing.assert_allclose(B.to_numpy(out[0][0]), np.full(3, 0.95, np.float32), rtol=1e-6)


def test_every_adapter_fills_the_hooks_its_docstring_names(framework):
    """Each adapter's module docstring names its hooks; exactly those are overridden."""
    import sys
    from d2lmomentum.adapter import Backend
    B = load(framework)
    hooks = ("fused_update", "compile_steps", "compile_loss")
    filled = {h for h in hooks if getattr(type(B), h) is not getattr(Backend, h)}
    named = {h for h in hooks if f"``{h}``" in sys.modules[type(B).__module__].__doc__}
    assert filled == named and filled


def test_pytorch_probe_accepts_the_real_kernel():
    assert torch_adapter.probe_fused_sgd(torch._fused_sgd_) is torch._fused_sgd_


def test_pytorch_probe_rejects_a_kernel_with_another_rule():
    def keras_rule(params, grads, bufs, momentum, lr, **_):  # m <- beta m - lr g; p <- p + m
        for p, g, m in zip(params, grads, bufs):
            m.mul_(momentum).sub_(g, alpha=lr)
            p.add_(m)
    assert torch_adapter.probe_fused_sgd(keras_rule) is None
    assert torch_adapter.probe_fused_sgd(None) is None


def test_pytorch_probe_rejects_a_kernel_that_fails():
    def no_cpu_kernel(*args, **kwargs):
        raise NotImplementedError("Could not run 'aten::_fused_sgd_' with arguments from the 'CPU' backend")
    assert torch_adapter.probe_fused_sgd(no_cpu_kernel) is None


@pytest.mark.parametrize("c", CONFIGS, ids=[c.name for c in CONFIGS])
def test_pytorch_public_path_without_the_private_kernel(monkeypatch, c):
    monkeypatch.delattr(torch, "_fused_sgd_")
    monkeypatch.setattr(torch_adapter, "_FUSED", {})
    assert torch_adapter.fused_sgd() is None
    assert load("pytorch").fused_update(*([load("pytorch").state(np.ones(2, np.float32))] for _ in range(3)),
                                        0.1, c.momentum or 0.5, c.nesterov) is None  # the rule runs
    fast, ref, scales = _update_runs(load("pytorch"), c, "float32", LAYOUTS["several small"])
    for a, b, scale in zip(fast, ref, scales):
        assert _within_roundings(a, b, "float32", scale)
