"""``from d2lmomentum import mxnet as d2l``: the names the chapter's MXNet cells use.

Imports MXNet only (through the adapter, which restores numpy's removed aliases first and
switches MXNet to its NumPy interface, ``npx.set_np()``, as the chapter does). See
:mod:`d2lmomentum.dropin` for what differs from d2l on purpose.
"""
import numpy as _onp

from d2lmomentum import dropin as _dropin
from d2lmomentum.backends import load as _load
from d2lmomentum.dropin import (Animator, DataIter, Timer, plot, plt, set_axes, set_figsize,  # noqa: F401
                                show_trace_2d, train_2d, use_svg_display)

BACKEND = "mxnet"  # the d2lmomentum backend name, for library calls from cells
_B = _load("mxnet")

from d2lmomentum.backends.mxnet import GluonTrainer as _GluonTrainer, mx as _mx  # noqa: E402

_np = _mx.np
arange, zeros, ones, tensor, normal = _np.arange, _np.zeros, _np.ones, _np.array, _np.random.normal
matmul, reshape, exp, float32, meshgrid = _np.dot, _np.reshape, _np.exp, _onp.float32, _np.meshgrid


def numpy(x, *args, **kwargs):
    return x.asnumpy(*args, **kwargs)


linreg, squared_loss = _dropin.model_functions(matmul, reshape)
load_array, get_data_ch11, evaluate_loss = _dropin.data_functions(_B, numpy)


def train_ch11(trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2):
    """Train with ``trainer_fn(params, states, hyperparams)``, which reads ``p.grad``."""
    def call(params, X, y):
        _B.loss_grads(params, X, y)  # fills p.grad
        trainer_fn(params, states, hyperparams)
    data_iter = _dropin.as_data_iter(_B, data_iter, numpy)
    return _dropin.train_ch11(_B, call, data_iter, feature_dim, num_epochs)


def train_concise_ch11(trainer_name, hyperparams, data_iter, num_epochs=2):
    """Train with gluon's ``Trainer(trainer_name, hyperparams)`` and ``step(batch_size)``
    (d2l's MXNet version already uses the half squared error, ``L2Loss``)."""
    data_iter = _dropin.as_data_iter(_B, data_iter, numpy)
    return _dropin.train_concise_ch11(
        _B, lambda params: _GluonTrainer(_B, params, trainer_name, hyperparams), data_iter, num_epochs)
