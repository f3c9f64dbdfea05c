"""NumPy adapter: the reference oracle. Gradients in closed form
(:func:`d2lmomentum.model.gradients`), no autograd; the update is the readable reference of
:mod:`d2lmomentum.rule` (no hook filled)."""
import numpy as np

from d2lmomentum import model
from d2lmomentum.adapter import Backend as _Base
from d2lmomentum.errors import InvalidArgumentError


class Backend(_Base):
    name = "numpy"

    def parameter(self, array):
        return np.array(array, copy=True)

    state = parameter

    def constant(self, array):
        return np.asarray(array)

    def zeros_like(self, x):
        return np.zeros_like(x)

    def to_numpy(self, x):
        return np.array(x, copy=True)

    def assign(self, dst, value):
        dst[...] = value
        return dst

    def is_tensor(self, x):
        return isinstance(x, np.ndarray)

    def dtype_name(self, x):
        return x.dtype.name

    def loss_grads(self, params, X, y, scale=model.HALF):
        return model.gradients(self, params, X, y, scale)

    def concise_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        raise InvalidArgumentError(
            "the numpy backend is the oracle and has no built-in optimizer; "
            "use backend='pytorch', 'tensorflow', 'mxnet' or 'jax' for train_concise")
