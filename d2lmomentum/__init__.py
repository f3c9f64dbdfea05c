"""d2lmomentum: the Momentum chapter of Dive into Deep Learning on MXNet, PyTorch and
TensorFlow, on one backend-agnostic core with NumPy as the reference oracle.

>>> import d2lmomentum as dm
>>> r = dm.train_momentum(0.02, 0.5, backend="numpy", seed=0)
>>> len(r.losses)
15

Importing this package imports no framework and not matplotlib: the public names below
are loaded on first use.
"""
import importlib

from d2lmomentum._version import __version__
from d2lmomentum.backends import available_backends, get_backend, set_backend
from d2lmomentum.errors import (BackendError, BackendNotInstalledError, D2LMomentumError,
                                DataError, DivergenceError, InvalidArgumentError,
                                InvalidTypeError)

_LAZY = {
    "init_momentum_states": "d2lmomentum.optim",
    "sgd_momentum": "d2lmomentum.optim",
    "train_momentum": "d2lmomentum.train",
    "train_concise": "d2lmomentum.train",
    "TrainResult": "d2lmomentum.train",
    "load_airfoil": "d2lmomentum.data",
    "theory": "d2lmomentum.theory",
    "explore": "d2lmomentum.explorer",
}

__all__ = ["__version__", "available_backends", "get_backend", "set_backend",
           "BackendError", "BackendNotInstalledError", "D2LMomentumError", "DataError",
           "DivergenceError", "InvalidArgumentError", "InvalidTypeError", *_LAZY]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'd2lmomentum' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if module.endswith("." + name) else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
