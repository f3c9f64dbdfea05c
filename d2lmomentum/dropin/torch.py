"""The PyTorch drop-in: d2l's tensor aliases and how ``train_ch11`` calls the reader's trainer
(``trainer_fn(params, states, hyperparams)``, reading ``p.grad``). Imports PyTorch only."""
import torch

from d2lmomentum.backends import load as _load
from d2lmomentum.backends.pytorch import TorchTrainer as _TorchTrainer
from d2lmomentum.dropin import data as _data
from d2lmomentum.dropin import training as _training
from d2lmomentum.dropin.common import *  # noqa: F401,F403
from d2lmomentum.dropin.common import ALIASES, NAMES, PER_FRAMEWORK
from d2lmomentum.dropin.data import DataIter  # noqa: F401
from d2lmomentum.dropin.model import model_functions as _model_functions

__all__ = NAMES + PER_FRAMEWORK + ALIASES

BACKEND = "pytorch"  # the d2lmomentum backend name, for library calls from cells
_B = _load(BACKEND)

arange, zeros, ones, tensor, normal = torch.arange, torch.zeros, torch.ones, torch.tensor, torch.normal
exp, sin, sinh, cos, cosh, tanh = torch.exp, torch.sin, torch.sinh, torch.cos, torch.cosh, torch.tanh
linspace, matmul, float32 = torch.linspace, torch.matmul, torch.float32


def numpy(x, *args, **kwargs):
    """``x`` as a NumPy array (detached from autograd)."""
    return x.detach().numpy(*args, **kwargs)


def reshape(x, *args, **kwargs):
    """``x.reshape(*args)``, as d2l's PyTorch alias."""
    return x.reshape(*args, **kwargs)


def meshgrid(*tensors, indexing="ij"):
    """``torch.meshgrid`` with its current default, ``ij`` indexing, said explicitly (no warning)."""
    return torch.meshgrid(*tensors, indexing=indexing)


linreg, squared_loss = _model_functions(matmul, reshape)
load_array, get_data_ch11, evaluate_loss = _data.data_functions(_B, numpy, reshape)
DATA_HUB, download = _data.hub_functions()


def train_ch11(trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2):
    """Train with ``trainer_fn(params, states, hyperparams)``, which reads ``p.grad``."""
    def call(params, X, y):
        for p, g in zip(params, _B.loss_grads(params, X, y)):
            p.grad = g
        trainer_fn(params, states, hyperparams)
    data_iter = _data.as_data_iter(_B, data_iter, numpy)
    return _training.train_ch11(_B, call, data_iter, feature_dim, num_epochs)


def train_concise_ch11(trainer_fn, hyperparams, data_iter, num_epochs=4, plain_mse=False):
    """Train with the optimizer class ``trainer_fn`` (e.g. ``torch.optim.SGD``) and ``hyperparams``.

    The loss is the half squared error, as in ``train_ch11``; ``plain_mse=True`` trains on
    d2l's plain mean squared error (twice the gradient) instead."""
    data_iter = _data.as_data_iter(_B, data_iter, numpy)
    return _training.train_concise_ch11(
        _B, lambda params: _TorchTrainer(_B, params, trainer_fn(params, **hyperparams), plain_mse),
        data_iter, num_epochs)
