"""NumPy adapter: the reference oracle. Gradients in closed form, no autograd; the update is
the readable reference of :mod:`d2lmomentum.rule` (the base class's, not overridden).

For ``r = X @ w + b - y`` and loss ``mean(r**2 / 2)`` over ``n`` rows:
``dL/dw = X.T @ r / n`` (shape ``(d, 1)``) and ``dL/db = sum(r) / n`` (shape ``(1,)``).
"""
import numpy as np

from d2lmomentum.errors import InvalidArgumentError
from d2lmomentum.ops import Backend as _Base


class Backend(_Base):
    name = "numpy"

    def parameter(self, array):
        return np.array(array, copy=True)

    state = parameter

    def constant(self, array):
        return np.asarray(array)

    def to_numpy(self, x):
        return np.array(x, copy=True)

    def assign(self, dst, value):
        dst[...] = value

    def is_tensor(self, x):
        return isinstance(x, np.ndarray)

    def dtype_name(self, x):
        return x.dtype.name

    def loss_grads(self, params, X, y):
        w, b = params
        n = X.shape[0]
        r = X @ w + b - y
        return [X.T @ r / n, r.sum(axis=0) / n]

    def loss(self, params, X, y):
        w, b = params
        r = X @ w + b - y
        return float(np.mean(r * r / 2))

    def concise_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        raise InvalidArgumentError(
            "the numpy backend is the oracle and has no built-in optimizer; "
            "use backend='pytorch', 'tensorflow' or 'mxnet' for train_concise")
