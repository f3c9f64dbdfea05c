"""What the benchmark measures d2lmomentum against on MXNet.

* :func:`chapter_literal`: d2l's ``train_ch11`` as the chapter runs it: a gluon ``DataLoader``,
  ``autograd.record`` + ``backward`` per minibatch, the chapter's ``sgd_momentum``
  (``v[:] = m*v + p.grad; p[:] -= lr*v``), and the loss evaluated minibatch by minibatch
  every 200 examples.
* :func:`update_variants`: MXNet's own way to take one momentum step on a parameter.
"""

from d2lmomentum.backends.mxnet import autograd, mnp, mx
from d2lmomentum import mxnet as d2l
from d2lmomentum.tools.bench_reference import EpochOrders, literal_loop


def chapter_literal(X, y, lr, momentum, w0, orders, batch_size=10):
    """The chapter's loop from weights ``w0`` (``b = 0``) over ``orders``; returns its losses."""
    dataset = mx.gluon.data.ArrayDataset(mnp.array(X), mnp.array(y[:, 0]))
    train_batches = mx.gluon.data.DataLoader(dataset, batch_size, sampler=EpochOrders(orders))
    eval_batches = mx.gluon.data.DataLoader(dataset, batch_size)
    w, b = mnp.array(w0), mnp.zeros(1)
    w.attach_grad()
    b.attach_grad()
    states = (mnp.zeros(w0.shape), mnp.zeros(1))

    def step(net, loss, Xb, yb):
        with autograd.record():
            l = loss(net(Xb), yb).mean()
        l.backward()
        for p, v in zip((w, b), states):
            v[:] = momentum * v + p.grad
            p[:] -= lr * v

    return literal_loop(d2l, train_batches, eval_batches, [w, b], step, len(orders))


def update_variants(p0, g0, lr, momentum):
    """``({name: step}, chapter_literal_step)`` each updating its own copy of parameter ``p0``."""
    w, mom, g = mx.nd.array(p0), mx.nd.zeros(p0.shape), mx.nd.array(g0)
    builtins = {"gluon sgd_mom_update": lambda: mx.nd.sgd_mom_update(w, g, mom, lr=lr, momentum=momentum, out=w)}
    p, v, gl = mnp.array(p0), mnp.zeros(p0.shape), mnp.array(g0)

    def literal():
        v[:] = momentum * v + gl
        p[:] -= lr * v
    return builtins, literal
