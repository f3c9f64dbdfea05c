"""MXNet adapter (``mxnet.np`` arrays, ``autograd.record`` + ``backward``). Hooks:
``compile_loss`` (a hybridized block) and ``fused_update`` (``sgd_update``/``multi_sgd_update``).

mxnet 1.9.1 uses ``numpy.bool`` and friends, which numpy 1.24 removed; :func:`import_mxnet`
restores those aliases on numpy just before the first ``import mxnet``. This is the only
place in this package's own processes that touches numpy's namespace (the bench's d2l side,
``tools/bench_d2l_side.py``, does the same in d2l's interpreter, which never imports d2lmomentum).
"""
import builtins

import numpy as np

from d2lmomentum import model
from d2lmomentum.adapter import Backend as _Base, ConciseTrainer, TensorOps

_REMOVED_ALIASES = ("bool", "int", "float", "object", "str", "complex")


def import_mxnet():
    """Import and return ``mxnet`` with numpy's removed aliases restored first."""
    for alias in _REMOVED_ALIASES:
        if alias not in np.__dict__:
            setattr(np, alias, getattr(builtins, alias))
    import mxnet
    mxnet.npx.set_np()
    return mxnet


mx = import_mxnet()
mnp, autograd = mx.np, mx.autograd


_sgd_update, _multi_sgd_update = mx.nd.sgd_update, mx.nd.multi_sgd_update
_SMALL = 1 << 16


class Ops(TensorOps):
    """MXNet's tensors (``mxnet.np`` arrays); ``F`` is ``mxnet`` or, inside a hybridized block,
    its symbol API, whose ``np`` namespace has the same ops."""

    name = "mxnet"
    tensor_hint = "; for a gluon Parameter pass its array, p.data()"

    def __init__(self, F=mx):
        self.F = F

    def parameter(self, array):
        p = self.state(array)
        p.attach_grad()
        return p

    def state(self, array):
        array = np.asarray(array)
        return mnp.array(array, dtype=array.dtype)

    constant = state

    def zeros_like(self, x):
        return mnp.zeros(x.shape, dtype=x.dtype, ctx=x.ctx)

    def to_numpy(self, x):
        return x.asnumpy()

    def assign(self, dst, value):
        dst[:] = value
        return dst

    def is_tensor(self, x):
        return isinstance(x, mnp.ndarray)

    def dtype_name(self, x):
        return np.dtype(x.dtype).name

    def matmul(self, a, b):
        return self.F.np.dot(a, b)

    def split_rows(self, a, size):
        return mnp.split(a, list(range(size, a.shape[0], size))) if a.shape[0] > size else [a]


class _Loss(mx.gluon.HybridBlock):
    """``loss_fn(ops, [w, b], X, y)`` on symbols, compiled once per shape by ``hybridize``."""

    def __init__(self, loss_fn):
        super().__init__()
        self.loss_fn = loss_fn

    def hybrid_forward(self, F, X, y, w, b):
        return self.loss_fn(Ops(F), [w, b], X, y)


class Backend(Ops, _Base):
    keeps_grads = True

    def value_and_grad(self, loss_fn, params, *args):
        with autograd.record():
            loss = loss_fn(params, *args)
        loss.backward()
        return loss, [p.grad for p in params]

    def compile_loss(self, loss_fn):
        # Fast: one cached-graph call forward and one backward per step instead of six operator
        # calls each way.
        block = _Loss(loss_fn)
        block.hybridize(static_alloc=True)
        return lambda params, X, y: block(X, y, *params)

    def fused_update(self, params, states, grads, lr, momentum, nesterov):
        if nesterov or any(p.dtype != np.float32 for p in params) or not _sgd_update_keeps(momentum):
            return None
        # The rule of d2lmomentum.rule; fast: two single-pass kernels instead of four operator calls
        # per tensor. sgd_update computes w <- (1 - lr*wd)*w - lr*grad in float32, so lr=-1,
        # wd=momentum-1 gives v <- momentum*v + g and wd=0 gives p <- p - lr*v; several small
        # tensors go in one multi_sgd_update call, large ones stream faster through sgd_update.
        n = len(params)
        nd_p = [p.as_nd_ndarray() for p in params]
        nd_v = [v.as_nd_ndarray() for v in states]
        nd_g = [g.as_nd_ndarray() for g in grads]
        if n == 1 or max(p.size for p in params) > _SMALL:
            for p, v, g in zip(nd_p, nd_v, nd_g):
                _sgd_update(v, g, lr=-1.0, wd=momentum - 1.0, out=v)
                _sgd_update(p, v, lr=lr, wd=0.0, out=p)
        else:
            _multi_sgd_update(*[a for pair in zip(nd_v, nd_g) for a in pair], out=nd_v, num_weights=n,
                              lrs=(-1.0,) * n, wds=(momentum - 1.0,) * n)
            _multi_sgd_update(*[a for pair in zip(nd_p, nd_v) for a in pair], out=nd_p, num_weights=n,
                              lrs=(lr,) * n, wds=(0.0,) * n)
        return params, states

    # MXNet's optimizer operators take lr, momentum and rescale_grad as C float, and step(batch_size)
    # rescales the summed loss's gradient by 1/batch_size (see d2lmomentum.rule).
    concise_hyper_dtype = "float32"
    concise_rescales_sum = True

    def concise_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """gluon ``Trainer`` with ``'sgd'`` (``'nag'`` for Nesterov) and ``step(batch_size)``, whose
        convention :mod:`d2lmomentum.rule` states."""
        return GluonTrainer(self, params, "nag" if nesterov else "sgd",
                            {"learning_rate": lr, "momentum": momentum}, plain_mse)

    def sync(self, values=None):
        mx.nd.waitall()


def _sgd_update_keeps(momentum):
    """Whether ``sgd_update``'s float32 factor ``1 + float32(momentum - 1)`` is ``float32(momentum)``:
    true for 0, 0.5, 0.9; not for 0.1 (2e-7 off) or 0.01 (9e-7 off), which take the exact path."""
    return np.float32(1.0) + np.float32(momentum - 1.0) == np.float32(momentum)


class GluonTrainer(ConciseTrainer):
    """A gluon ``Trainer(optimizer, hyperparams)`` over parameters initialised from ``params``;
    each step backpropagates the batch's summed loss and calls ``step(batch_size)``."""

    def __init__(self, backend, params, optimizer, hyperparams, plain_mse=False):
        super().__init__(backend, [], plain_mse=plain_mse)
        self.gparams = []
        for i, p in enumerate(params):
            gp = mx.gluon.Parameter(f"p{i}", shape=p.shape, dtype=p.dtype)
            gp.initialize(init=mx.init.Constant(0), ctx=mx.cpu())
            gp.set_data(p)
            self.gparams.append(gp)
        self.trainer = mx.gluon.Trainer(self.gparams, optimizer, dict(hyperparams))

    def step(self, carry, X, y, hyper):
        with autograd.record():
            loss = model.squared_errors(self.backend, self.params, X, y, self.scale)
        loss.backward()  # of the vector: its sum's gradient
        self.trainer.step(X.shape[0])
        return carry

    @property
    def params(self):
        """The trainer's own copies of the parameters, ``[w, b]``."""
        return [gp.data() for gp in self.gparams]
