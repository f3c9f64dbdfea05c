"""What the benchmark measures d2lmomentum against on PyTorch.

* :func:`chapter_literal`: d2l's ``train_ch11`` as the chapter runs it: a ``DataLoader``, the
  chapter's ``sgd_momentum`` (``v[:] = m*v + p.grad; p[:] -= lr*v``) after ``backward()``,
  and the loss evaluated minibatch by minibatch every 200 examples.
* :func:`update_variants`: PyTorch's own ways to take one momentum step on a parameter.
"""
import torch
from torch.utils import data

from d2lmomentum import torch as d2l
from d2lmomentum.tools.bench_reference import EpochOrders, literal_loop


def chapter_literal(X, y, lr, momentum, w0, orders, batch_size=10):
    """The chapter's loop from weights ``w0`` (``b = 0``) over ``orders``; returns its losses."""
    dataset = data.TensorDataset(torch.tensor(X), torch.tensor(y[:, 0]))
    train_batches = data.DataLoader(dataset, batch_size, sampler=EpochOrders(orders))
    eval_batches = data.DataLoader(dataset, batch_size)
    w = torch.tensor(w0, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    states = (torch.zeros(w0.shape), torch.zeros(1))

    def step(net, loss, Xb, yb):
        l = loss(net(Xb), yb).mean()
        l.backward()
        for p, v in zip((w, b), states):
            with torch.no_grad():
                v[:] = momentum * v + p.grad
                p[:] -= lr * v
            p.grad.data.zero_()

    return literal_loop(d2l, train_batches, eval_batches, [w, b], step, len(orders))


def update_variants(p0, g0, lr, momentum):
    """``({name: step}, chapter_literal_step)`` each updating its own copy of parameter ``p0``."""
    g = torch.tensor(g0)
    builtins = {}
    for name, kw in (("torch SGD(fused=True)", {"fused": True}), ("torch SGD(foreach=True)", {"foreach": True})):
        q = torch.tensor(p0, requires_grad=True)
        q.grad = g
        builtins[name] = torch.optim.SGD([q], lr=lr, momentum=momentum, **kw).step
    p, v = torch.tensor(p0), torch.zeros(p0.shape)

    def literal():
        v[:] = momentum * v + g
        p[:] -= lr * v
    return builtins, literal
