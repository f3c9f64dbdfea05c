"""``from d2lmomentum import torch as d2l``: the names the Momentum chapter's PyTorch cells use.

Imports PyTorch only. See :mod:`d2lmomentum.dropin` for what differs from d2l on purpose.
"""
import torch

from d2lmomentum import dropin as _dropin
from d2lmomentum.backends import load as _load
from d2lmomentum.backends.pytorch import TorchTrainer as _TorchTrainer
from d2lmomentum.dropin import (Animator, DataIter, Timer, plot, plt, set_axes, set_figsize,  # noqa: F401
                                show_trace_2d, train_2d, use_svg_display)

BACKEND = "pytorch"  # the d2lmomentum backend name, for library calls from cells
_B = _load("pytorch")

arange, zeros, ones, tensor, normal = torch.arange, torch.zeros, torch.ones, torch.tensor, torch.normal
matmul, reshape, exp, float32 = torch.matmul, torch.reshape, torch.exp, torch.float32


def numpy(x, *args, **kwargs):
    return x.detach().numpy(*args, **kwargs)


def meshgrid(*tensors, indexing="ij"):
    return torch.meshgrid(*tensors, indexing=indexing)


linreg, squared_loss = _dropin.model_functions(matmul, reshape)
load_array, get_data_ch11, evaluate_loss = _dropin.data_functions(_B, numpy)


def train_ch11(trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2):
    """Train with ``trainer_fn(params, states, hyperparams)``, which reads ``p.grad``."""
    def call(params, X, y):
        for p, g in zip(params, _B.loss_grads(params, X, y)):
            p.grad = g
        trainer_fn(params, states, hyperparams)
    data_iter = _dropin.as_data_iter(_B, data_iter, numpy)
    return _dropin.train_ch11(_B, call, data_iter, feature_dim, num_epochs)


def train_concise_ch11(trainer_fn, hyperparams, data_iter, num_epochs=4, plain_mse=False):
    """Train with the optimizer class ``trainer_fn`` (e.g. ``torch.optim.SGD``) and ``hyperparams``.

    The loss is the half squared error, as in ``train_ch11``; ``plain_mse=True`` trains on
    d2l's plain mean squared error (twice the gradient) instead."""
    data_iter = _dropin.as_data_iter(_B, data_iter, numpy)
    return _dropin.train_concise_ch11(
        _B, lambda params: _TorchTrainer(_B, params, trainer_fn(params, **hyperparams), plain_mse),
        data_iter, num_epochs)
