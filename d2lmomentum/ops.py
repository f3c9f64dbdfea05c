"""The common set of op names every backend adapter implements.

The algorithms (the momentum update, the training schedule) are written once in
:mod:`d2lmomentum.optim` and :mod:`d2lmomentum.train` against these ops. An adapter in
``d2lmomentum.backends`` subclasses :class:`Backend` and supplies only what its
framework does differently: tensor creation, conversion to NumPy, in-place
assignment and its autograd step. It may also override :meth:`Backend.momentum_update`
and :meth:`Backend.train_steps` with a fast path that computes the same numbers.

Shapes used throughout: features ``X`` ``(n, d)``, labels ``y`` ``(n, 1)``,
weights ``w`` ``(d, 1)``, bias ``b`` ``(1,)``.
"""


def reference_momentum_update(backend, p, v, g, lr, momentum, nesterov=False):
    """The chapter's rule, written with plain tensor arithmetic and one assignment per tensor.

    .. math::
        v \\leftarrow \\beta v + g, \\qquad
        p \\leftarrow p - \\eta v \\quad\\text{or, with Nesterov,}\\quad
        p \\leftarrow p - \\eta (g + \\beta v)

    ``p``, ``v`` and ``g`` have the same shape and dtype; ``p`` and ``v`` change in place.
    This is the simple path every fast path is tested against.
    """
    backend.assign(v, v * momentum + g)
    step = g + v * momentum if nesterov else v
    backend.assign(p, p - step * lr)


def inplace_momentum_update(p, v, g, lr, momentum, nesterov=False):
    """The same rule with in-place operators (``*=``, ``+=``, ``-=``), for array types that
    have them (NumPy, MXNet): ``v`` is updated without a new buffer, ``p`` with one temporary."""
    v *= momentum
    v += g
    if nesterov:
        p -= (g + v * momentum) * lr
    else:
        p -= v * lr


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
    def momentum_update(self, p, v, g, lr, momentum, nesterov=False):
        """In place, the rule of :func:`reference_momentum_update`; adapters may fuse it."""
        reference_momentum_update(self, p, v, g, lr, momentum, nesterov)

    def momentum_update_all(self, params, states, grads, lr, momentum, nesterov=False):
        """:meth:`momentum_update` on every ``(p, v, g)``; adapters may do all in one call."""
        for p, v, g in zip(params, states, grads):
            self.momentum_update(p, v, g, lr, momentum, nesterov)

    def train_steps(self, params, states, X, y, batch_size, lr, momentum, nesterov=False):
        """Minibatch steps over the rows of ``X``/``y`` in order, ``batch_size`` rows each.

        Every step takes its gradient from :meth:`loss_grads` and applies
        :meth:`momentum_update`. Adapters may compile the loop.
        """
        n = self.shape(X)[0]
        for start in range(0, n, batch_size):
            grads = self.loss_grads(params, X[start:start + batch_size], y[start:start + batch_size])
            self.momentum_update_all(params, states, grads, lr, momentum, nesterov)

    # -- the framework's own optimizer --------------------------------------------------
    def builtin_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """A :class:`BuiltinTrainer` stepping ``params`` with the framework's SGD optimizer."""
        raise NotImplementedError


class BuiltinTrainer:
    """Trains ``params`` with a framework's own optimizer ``opt``; see the adapters.

    The loss is the batch mean of ``scale * (y_hat - y)**2`` with ``scale = 1/2`` (the
    chapter's half squared error), or ``1`` with ``plain_mse`` (d2l's concise runs).
    """

    def __init__(self, backend, params, opt=None, plain_mse=False):
        self.backend = backend
        self.params = params
        self.opt = opt
        self.scale = 1.0 if plain_mse else 0.5

    def train_steps(self, X, y, batch_size):
        n = self.backend.shape(X)[0]
        for start in range(0, n, batch_size):
            self.step(X[start:start + batch_size], y[start:start + batch_size])

    def step(self, X, y):
        raise NotImplementedError
