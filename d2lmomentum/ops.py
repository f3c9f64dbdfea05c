"""What a backend adapter supplies, in three parts, and the algorithms written once over them.

* :class:`TensorOps`: the framework's tensors: creation, conversion to NumPy, in-place
  assignment, and the few ops :mod:`d2lmomentum.model` is written with.
* :class:`Training`: how the framework differentiates the model's loss (its autograd step),
  and the momentum update and minibatch loop, which an adapter may replace with a fast path
  computing the same rule (each says which rule and why it is fast in one line).
* :class:`BuiltinOptimizer`: the framework's own SGD optimizer (``train_concise``) and how its
  convention differs (:mod:`d2lmomentum.rule`), which the parity harness reads.

An adapter in ``d2lmomentum.backends`` subclasses :class:`Backend` (all three) and supplies only
what its framework does differently. The update rule is in :mod:`d2lmomentum.rule`, the model
in :mod:`d2lmomentum.model`, the training schedule in :mod:`d2lmomentum.train`.

Shapes used throughout: features ``X`` ``(n, d)``, labels ``y`` ``(n, 1)``,
weights ``w`` ``(d, 1)``, bias ``b`` ``(1,)``.
"""
from d2lmomentum import model
from d2lmomentum.errors import InvalidArgumentError
from d2lmomentum.rule import momentum_update


class TensorOps:
    """The tensor ops of one framework. Subclasses set ``name`` and implement them."""

    name = None
    #: What to say when a value is not one of this framework's mutable tensors.
    tensor_hint = ""

    def parameter(self, array):
        """A trainable tensor holding a copy of the NumPy ``array``."""
        raise NotImplementedError

    def state(self, array):
        """A mutable (non-trainable) tensor holding a copy of ``array``."""
        raise NotImplementedError

    def constant(self, array):
        """A read-only tensor for data (may share memory with ``array``)."""
        raise NotImplementedError

    def zeros_like(self, x):
        """A mutable tensor of zeros with the shape, dtype and device of tensor ``x``."""
        raise NotImplementedError

    def to_numpy(self, x):
        """A NumPy copy of tensor ``x``."""
        raise NotImplementedError

    def assign(self, dst, value):
        """In place: ``dst <- value`` (same shape and dtype)."""
        raise NotImplementedError

    def shape(self, x):
        return tuple(int(s) for s in x.shape)

    def dtype_name(self, x):
        """``'float32'``, ``'float64'``, ... for tensor ``x``."""
        return str(x.dtype)

    def is_tensor(self, x):
        """Whether ``x`` is a tensor this backend can update in place."""
        raise NotImplementedError

    # -- the ops model.py is written with ---------------------------------------------------
    def matmul(self, a, b):
        """``a @ b`` for 2-D ``a`` ``(n, k)`` and ``b`` ``(k, m)``."""
        return a @ b

    def transpose(self, a):
        """``a.T`` of a 2-D tensor."""
        return a.T

    def mean(self, a):
        """The mean of every element of ``a``, a scalar tensor."""
        return a.mean()

    def sum_rows(self, a):
        """The sum over the rows (axis 0) of ``a`` ``(n, m)``, shape ``(m,)``."""
        return a.sum(axis=0)


class Training:
    """The autograd step, the momentum update and the minibatch loop of one framework."""

    #: Whether parameters carry their gradient (``p.grad``), as in PyTorch and MXNet.
    keeps_grads = False

    def grad_of(self, p):
        """The gradient the framework stores on parameter ``p`` (``p.grad``)."""
        grad = getattr(p, "grad", None) if self.keeps_grads else None
        if grad is not None:
            return grad
        if self.keeps_grads:
            raise InvalidArgumentError(
                "a parameter has no gradient yet (p.grad is None): run backward() on a loss first, "
                "or pass grads=[...] to sgd_momentum")
        raise InvalidArgumentError(
            f"the {self.name} backend keeps no gradient on a parameter: pass grads=[...] "
            f"to sgd_momentum (one gradient per parameter, same shapes)")

    def differentiate(self, loss_fn, params):
        """The gradients of the scalar ``loss_fn()`` w.r.t. ``params``, by the framework's autograd."""
        raise NotImplementedError

    def loss_grads(self, params, X, y, scale=model.HALF):
        """Gradients of :func:`d2lmomentum.model.loss` w.r.t. ``params = [w, b]``, by autograd."""
        return self.differentiate(lambda: model.loss(self, params, X, y, scale), params)

    def loss(self, params, X, y):
        """:func:`d2lmomentum.model.loss` (the half squared error) over all rows, as a Python float."""
        return float(model.loss(self, params, X, y))

    def momentum_update_all(self, params, states, grads, lr, momentum, nesterov=False):
        """:func:`d2lmomentum.rule.momentum_update` on every ``(p, v, g)``, in place; adapters
        may fuse it."""
        for p, v, g in zip(params, states, grads):
            momentum_update(self, p, v, g, lr, momentum, nesterov)

    def train_steps(self, params, states, X, y, batch_size, lr, momentum, nesterov=False):
        """Minibatch steps over the rows of ``X``/``y`` in order, ``batch_size`` rows each.

        Every step takes its gradient from :meth:`loss_grads` and applies
        :meth:`momentum_update_all`. Adapters may compile the loop.
        """
        n = self.shape(X)[0]
        for start in range(0, n, batch_size):
            grads = self.loss_grads(params, X[start:start + batch_size], y[start:start + batch_size])
            self.momentum_update_all(params, states, grads, lr, momentum, nesterov)


class BuiltinOptimizer:
    """The framework's own momentum SGD, for ``train_concise`` and the parity harness."""

    #: The dtype the framework's optimizer keeps its hyperparameters in, where it is coarser
    #: than the weights' (MXNet: C ``float``); ``None`` if it uses the weights' dtype.
    concise_hyper_dtype = None
    #: Whether the optimizer steps on the gradient of the batch's summed loss, rescaled by
    #: ``1/batch_size`` (MXNet's ``step(batch_size)``) instead of the mean's gradient.
    concise_rescales_sum = False

    def concise_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """A :class:`ConciseTrainer` stepping ``params`` with the framework's own SGD optimizer."""
        raise NotImplementedError


class Backend(TensorOps, Training, BuiltinOptimizer):
    """Interface of a backend adapter: the three parts above, and the benchmark's hook."""

    def sync(self):
        """Wait until queued work has finished (for frameworks that run asynchronously)."""


class ConciseTrainer:
    """Trains ``params`` with a framework's own optimizer ``opt``; see the adapters.

    The loss is :func:`d2lmomentum.model.loss` with ``scale = 1/2`` (the chapter's half
    squared error), or ``1`` with ``plain_mse`` (d2l's concise runs).
    """

    def __init__(self, backend, params, opt=None, plain_mse=False):
        self.backend = backend
        self._params = params
        self.opt = opt
        self.scale = model.scale_of(plain_mse)

    @property
    def params(self):
        """The parameters being trained, ``[w, b]``."""
        return self._params

    def train_steps(self, X, y, batch_size):
        n = self.backend.shape(X)[0]
        for start in range(0, n, batch_size):
            self.step(X[start:start + batch_size], y[start:start + batch_size])

    def step(self, X, y):
        raise NotImplementedError
