"""The adapter contract: what a framework supplies, and the training written once over it.

An adapter in ``d2lmomentum.backends`` subclasses :class:`Backend` and supplies what its
framework does differently, and nothing else:

* its tensors and ops (:class:`TensorOps`): creation, conversion to NumPy, ``assign`` (in place
  where the framework mutates, a new value where its arrays are immutable, as JAX's), and the
  few ops :mod:`d2lmomentum.model` is written with;
* how it differentiates: :meth:`Training.value_and_grad`, a loss's value and gradient;
* optional hooks the core calls: :meth:`Training.fused_update` (a fused momentum update that
  computes :mod:`d2lmomentum.rule`'s rule), :meth:`Training.compile_steps` (a way to compile a
  run of minibatch steps), :meth:`Training.compile_loss` (a way to compile the model's loss);
* its own optimizer (:meth:`BuiltinOptimizer.concise_trainer`) and how its convention differs.

The minibatch loop (:func:`run_steps`), the update (:func:`d2lmomentum.rule.momentum_update`)
and the model (:mod:`d2lmomentum.model`) are written once, here and there, and run on every
framework, as Keras 3 writes ``SGD.update_step`` once over its ops. Every update *returns*
``(params, states)``: a framework that mutates returns the same objects, updated in place; JAX
returns new arrays (the core runs the same optimizer statelessly there).

Shapes used throughout: features ``X`` ``(n, d)``, labels ``y`` ``(n, 1)``,
weights ``w`` ``(d, 1)``, bias ``b`` ``(1,)``.
"""
import contextlib
import functools

from d2lmomentum import model
from d2lmomentum.errors import InvalidArgumentError
from d2lmomentum.rule import momentum_update


class TensorOps:
    """The tensor ops of one framework. Subclasses set ``name`` and implement them."""

    name = None
    #: What to say when a value is not one of this framework's tensors.
    tensor_hint = ""
    #: Whether ``assign`` updates its tensor in place (``False``: arrays are immutable, and every
    #: update returns new ones, as JAX's).
    in_place = True

    def parameter(self, array):
        """A trainable tensor holding a copy of the NumPy ``array``."""
        raise NotImplementedError

    def state(self, array):
        """A (mutable, where the framework mutates) non-trainable tensor holding a copy of ``array``."""
        raise NotImplementedError

    def constant(self, array):
        """A read-only tensor for data (may share memory with ``array``)."""
        raise NotImplementedError

    def zeros_like(self, x):
        """A tensor of zeros with the shape, dtype and device of tensor ``x``."""
        raise NotImplementedError

    def to_numpy(self, x):
        """A NumPy copy of tensor ``x``."""
        raise NotImplementedError

    def assign(self, dst, value):
        """``dst <- value`` (same shape and dtype); returns the updated tensor (``dst`` itself
        where the framework mutates in place)."""
        raise NotImplementedError

    def shape(self, x):
        return tuple(int(s) for s in x.shape)

    def dtype_name(self, x):
        """``'float32'``, ``'float64'``, ... for tensor ``x``."""
        return str(x.dtype)

    def is_tensor(self, x):
        """Whether ``x`` is a tensor this backend can update (in place, where it mutates)."""
        raise NotImplementedError

    def flatten(self, tree):
        """``(leaves, rebuild)``: the tensors of ``tree`` as a list and a function that puts a list
        of the same length back into ``tree``'s structure (here a flat sequence: a list)."""
        return list(tree), list

    def split_rows(self, a, size):
        """Consecutive blocks of ``size`` rows of ``a`` (the last may be shorter), as views."""
        return [a[start:start + size] for start in range(0, int(a.shape[0]), size)]

    def precision(self, dtype):
        """A context in which tensors of ``dtype`` can be made (JAX: float64 enabled for it only)."""
        return contextlib.nullcontext()

    # -- the ops model.py is written with ---------------------------------------------------
    def affine(self, X, w, b):
        """``X @ w + b`` for ``X`` ``(n, k)``, ``w`` ``(k, m)``, ``b`` ``(m,)``."""
        return self.matmul(X, w) + b

    def mean_squared_error(self, y_hat, y):
        """``mean((y_hat - y)**2)`` over every element, a scalar tensor."""
        r = y_hat - y
        return self.mean(r * r)

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


def run_steps(ops, step, carry, X, y, hyper, batch_size):
    """The minibatch loop, once: ``carry = step(carry, X_rows, y_rows, hyper)`` over consecutive
    runs of ``batch_size`` rows of ``X`` ``(n, d)`` and ``y`` ``(n, 1)`` (the last may be shorter);
    returns the final ``carry``."""
    for Xb, yb in zip(ops.split_rows(X, batch_size), ops.split_rows(y, batch_size)):
        carry = step(carry, Xb, yb, hyper)
    return carry


class Training:
    """How one framework differentiates, its optional hooks, and the training written once."""

    #: Whether parameters carry their gradient (``p.grad``), as in PyTorch and MXNet.
    keeps_grads = False

    # -- what an adapter supplies -----------------------------------------------------------
    def value_and_grad(self, loss_fn, params, *args):
        """``(loss, grads)``: the scalar ``loss_fn(params, *args)`` and its gradient w.r.t. each
        tensor of the list ``params``, by the framework's autograd (``loss_fn`` is one function
        for many calls, so an adapter may compile it once)."""
        raise NotImplementedError

    # -- optional hooks ---------------------------------------------------------------------
    def fused_update(self, params, states, grads, lr, momentum, nesterov):
        """A fused :func:`d2lmomentum.rule.momentum_update` of every ``(p, v, g)``: returns
        ``(params, states)``, or ``None`` where the fused path does not apply (the rule runs)."""
        return None

    def compile_steps(self, step):
        """A compiled :func:`run_steps` over ``step(carry, X, y, hyper) -> carry``: a function
        ``run(carry, X, y, hyper, batch_size) -> carry`` (``hyper``: a tuple of Python floats), or
        ``None`` (the loop runs in Python)."""
        return None

    def compile_loss(self, loss_fn):
        """``loss_fn(ops, params, X, y)`` (the model's loss over ``ops``) as a function
        ``(params, X, y)``, compiled where the adapter can; here over this adapter's ops."""
        return functools.partial(loss_fn, self)

    # -- written once -----------------------------------------------------------------------
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

    @functools.cached_property
    def _losses(self):
        """scale -> the (compiled) model loss ``loss_fn(params, X, y)`` at that scale."""
        return {scale: self.compile_loss(functools.partial(_model_loss, scale=scale))
                for scale in (model.HALF, model.PLAIN)}

    def loss_grads(self, params, X, y, scale=model.HALF):
        """Gradients of :func:`d2lmomentum.model.loss` w.r.t. ``params = [w, b]``, by autograd."""
        return self.value_and_grad(self._losses[scale], list(params), X, y)[1]

    def loss(self, params, X, y):
        """:func:`d2lmomentum.model.loss` (the half squared error) over all rows, as a Python float."""
        return float(self.to_numpy(model.loss(self, params, X, y)))

    def momentum_update_all(self, params, states, grads, lr, momentum, nesterov=False):
        """:func:`d2lmomentum.rule.momentum_update` on every ``(p, v, g)`` (fused where the adapter
        can); returns ``(params, states)`` as lists."""
        params, states = list(params), list(states)
        fused = self.fused_update(params, states, list(grads), lr, momentum, nesterov)
        if fused is not None:
            return fused
        new = [momentum_update(self, p, v, g, lr, momentum, nesterov) for p, v, g in zip(params, states, grads)]
        return [p for p, _ in new], [v for _, v in new]

    def steps_runner(self, key, step):
        """The run of ``step`` over minibatches, compiled where the adapter can, made once per ``key``."""
        runners = self.__dict__.setdefault("_runners", {})
        if key not in runners:
            runners[key] = self.compile_steps(step) or functools.partial(run_steps, self, step)
        return runners[key]

    def train_steps(self, params, states, X, y, batch_size, lr, momentum, nesterov=False):
        """Minibatch steps over the rows of ``X``/``y`` in order, ``batch_size`` rows each: each
        step's gradient from :meth:`loss_grads`, then :meth:`momentum_update_all`. Returns
        ``(params, states)`` as lists."""
        def step(carry, Xb, yb, hyper):
            params, states = carry
            return self.momentum_update_all(params, states, self.loss_grads(params, Xb, yb), *hyper, nesterov)
        run = self.steps_runner(("momentum", bool(nesterov)), step)
        return run((list(params), list(states)), X, y, (float(lr), float(momentum)), batch_size)


def _model_loss(ops, params, X, y, scale):
    return model.loss(ops, params, X, y, scale)


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

    def sync(self, values=None):
        """Wait until queued work has finished (for frameworks that run asynchronously); JAX waits
        for the arrays of ``values`` (a pytree)."""


class ConciseTrainer:
    """Trains ``params`` with a framework's own optimizer ``opt``; see the adapters.

    The loss is :func:`d2lmomentum.model.loss` with ``scale = 1/2`` (the chapter's half
    squared error), or ``1`` with ``plain_mse`` (d2l's concise runs). A subclass writes one
    :meth:`step` on ``carry`` (the parameters, and the optimizer's state where the framework
    keeps it outside the optimizer); the minibatch loop is :func:`run_steps`, compiled by the
    adapter's ``compile_steps`` where it has one.
    """

    def __init__(self, backend, params, opt=None, plain_mse=False, opt_state=None):
        self.backend = backend
        self.carry = (list(params), opt_state)
        self.opt = opt
        self.scale = model.scale_of(plain_mse)
        self._run = None

    @property
    def params(self):
        """The parameters being trained, ``[w, b]``."""
        return self.carry[0]

    def train_steps(self, X, y, batch_size):
        if self._run is None:
            self._run = self.backend.compile_steps(self.step) or functools.partial(run_steps, self.backend, self.step)
        self.carry = self._run(self.carry, X, y, (), batch_size)

    def step(self, carry, X, y, hyper):
        """One minibatch step: returns the new ``carry``."""
        raise NotImplementedError
