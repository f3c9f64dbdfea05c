"""The common set of op names every backend adapter implements.

The algorithms are written once against these ops: the update rule in
:mod:`d2lmomentum.rule`, the training schedule in :mod:`d2lmomentum.train`. An adapter in
``d2lmomentum.backends`` subclasses :class:`Backend` and supplies only what its
framework does differently: tensor creation, conversion to NumPy, in-place
assignment, its autograd step and its own optimizer. It may also override
:meth:`Backend.momentum_update_all` and :meth:`Backend.train_steps` with a fast path that
computes the same rule (each says which rule and why it is fast in one line).

Shapes used throughout: features ``X`` ``(n, d)``, labels ``y`` ``(n, 1)``,
weights ``w`` ``(d, 1)``, bias ``b`` ``(1,)``.
"""
from d2lmomentum.rule import momentum_update


class Backend:
    """Interface of a backend adapter. Subclasses set ``name`` and implement the ops."""

    name = None
    #: Whether parameters carry their gradient (``p.grad``), as in PyTorch and MXNet.
    keeps_grads = False

    # -- tensors -------------------------------------------------------------------
    def parameter(self, array):
        """A trainable tensor holding a copy of the NumPy ``array``."""
        raise NotImplementedError

    def state(self, array):
        """A mutable (non-trainable) tensor holding a copy of ``array``."""
        raise NotImplementedError

    def constant(self, array):
        """A read-only tensor for data (may share memory with ``array``)."""
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
        return str(x.dtype).replace("torch.", "").replace("<dtype: '", "").rstrip("'>")

    def is_tensor(self, x):
        """Whether ``x`` is a tensor this backend can update in place."""
        raise NotImplementedError

    def grad_of(self, p):
        """The gradient the framework stores on parameter ``p`` (``p.grad``)."""
        grad = getattr(p, "grad", None) if self.keeps_grads else None
        if grad is not None:
            return grad
        from d2lmomentum.errors import InvalidArgumentError
        if self.keeps_grads:
            raise InvalidArgumentError(
                "a parameter has no gradient yet (p.grad is None): run backward() on a loss first, "
                "or pass grads=[...] to sgd_momentum")
        raise InvalidArgumentError(
            f"the {self.name} backend keeps no gradient on a parameter: pass grads=[...] "
            f"to sgd_momentum (one gradient per parameter, same shapes)")

    # -- the model: linear regression with half squared error ------------------------
    def loss_grads(self, params, X, y):
        """Gradients of ``mean((X @ w + b - y)**2 / 2)`` w.r.t. ``params = [w, b]``, by autograd."""
        raise NotImplementedError

    def loss(self, params, X, y):
        """``mean((X @ w + b - y)**2 / 2)`` over all rows, as a Python float."""
        raise NotImplementedError

    # -- the update -------------------------------------------------------------------
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

    # -- the framework's own optimizer --------------------------------------------------
    #: The dtype the framework's optimizer keeps its hyperparameters in, where it is coarser
    #: than the weights' (MXNet: C ``float``); ``None`` if it uses the weights' dtype.
    concise_hyper_dtype = None
    #: Whether the optimizer steps on the gradient of the batch's summed loss, rescaled by
    #: ``1/batch_size`` (MXNet's ``step(batch_size)``) instead of the mean's gradient.
    concise_rescales_sum = False

    def concise_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """A :class:`ConciseTrainer` stepping ``params`` with the framework's own SGD optimizer."""
        raise NotImplementedError

    # -- the benchmark ----------------------------------------------------------------
    def sync(self):
        """Wait until queued work has finished (for frameworks that run asynchronously)."""


class ConciseTrainer:
    """Trains ``params`` with a framework's own optimizer ``opt``; see the adapters.

    The loss is the batch mean of ``scale * (y_hat - y)**2`` with ``scale = 1/2`` (the
    chapter's half squared error), or ``1`` with ``plain_mse`` (d2l's concise runs).
    """

    def __init__(self, backend, params, opt=None, plain_mse=False):
        self.backend = backend
        self._params = params
        self.opt = opt
        self.scale = 1.0 if plain_mse else 0.5

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
