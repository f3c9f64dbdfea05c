"""The MXNet drop-in: d2l's tensor aliases (MXNet's NumPy interface, ``npx.set_np()`` as the
chapters do) and how ``train_ch11`` calls the reader's trainer (``trainer_fn(params, states,
hyperparams)``, reading ``p.grad``). Imports MXNet only, through the adapter, which restores
NumPy's removed aliases first."""
import numpy as _onp

from d2lmomentum.backends import load as _load
from d2lmomentum.dropin import data as _data
from d2lmomentum.dropin import training as _training
from d2lmomentum.dropin.common import *  # noqa: F401,F403
from d2lmomentum.dropin.common import ALIASES, NAMES, PER_FRAMEWORK
from d2lmomentum.dropin.data import DataIter  # noqa: F401
from d2lmomentum.dropin.model import model_functions as _model_functions

__all__ = NAMES + PER_FRAMEWORK + ALIASES

BACKEND = "mxnet"  # the d2lmomentum backend name, for library calls from cells
_B = _load(BACKEND)

from d2lmomentum.backends.mxnet import GluonTrainer as _GluonTrainer, mx as _mx  # noqa: E402

_np = _mx.np
arange, zeros, ones, tensor, normal = _np.arange, _np.zeros, _np.ones, _np.array, _np.random.normal
exp, sin, sinh, cos, cosh, tanh = _np.exp, _np.sin, _np.sinh, _np.cos, _np.cosh, _np.tanh
linspace, meshgrid, matmul, float32 = _np.linspace, _np.meshgrid, _np.dot, _onp.float32


def numpy(x, *args, **kwargs):
    """``x`` as a NumPy array."""
    return x.asnumpy(*args, **kwargs)


def reshape(x, *args, **kwargs):
    """``x.reshape(*args)``, as d2l's MXNet alias."""
    return x.reshape(*args, **kwargs)


linreg, squared_loss = _model_functions(matmul, reshape)
load_array, get_data_ch11, evaluate_loss = _data.data_functions(_B, numpy)
DATA_HUB, download = _data.hub_functions()


def train_ch11(trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2):
    """Train with ``trainer_fn(params, states, hyperparams)``, which reads ``p.grad``."""
    def call(params, X, y):
        _B.loss_grads(params, X, y)  # fills p.grad
        trainer_fn(params, states, hyperparams)
    data_iter = _data.as_data_iter(_B, data_iter, numpy)
    return _training.train_ch11(_B, call, data_iter, feature_dim, num_epochs)


def train_concise_ch11(tr_name, hyperparams, data_iter, num_epochs=2):
    """Train with gluon's ``Trainer(tr_name, hyperparams)`` and ``step(batch_size)``
    (d2l's MXNet version already uses the half squared error, ``L2Loss``)."""
    data_iter = _data.as_data_iter(_B, data_iter, numpy)
    return _training.train_concise_ch11(
        _B, lambda params: _GluonTrainer(_B, params, tr_name, hyperparams), data_iter, num_epochs)
