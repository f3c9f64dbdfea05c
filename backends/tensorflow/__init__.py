"""TensorFlow adapter: ``tf.Variable`` parameters and states, ``tf.GradientTape`` gradients.

TensorFlow keeps no gradient on a variable, so :func:`d2lmomentum.sgd_momentum` needs
``grads=`` on this backend, as the chapter's TensorFlow cells do.
"""
import sys

import numpy as np

from d2lmomentum import model
from d2lmomentum.errors import D2LMomentumError
from d2lmomentum.ops import Backend as _Base, ConciseTrainer, TensorOps
from d2lmomentum.quiet import import_framework

tf = import_framework("tensorflow")


class Ops(TensorOps):
    """TensorFlow's tensors: ``tf.Variable`` (or a Keras variable) parameters and states."""

    name = "tensorflow"

    def parameter(self, array):
        return tf.Variable(np.asarray(array))

    state = parameter

    def constant(self, array):
        return tf.constant(np.asarray(array))

    def zeros_like(self, x):
        return tf.Variable(tf.zeros(x.shape, tf.as_dtype(x.dtype)))

    def to_numpy(self, x):
        return np.array(x.numpy(), copy=True)

    def assign(self, dst, value):
        dst.assign(value)

    def is_tensor(self, x):
        keras = sys.modules.get("keras")  # a Keras variable exists only once keras is imported
        return isinstance(x, tf.Variable) or keras is not None and isinstance(x, keras.Variable)

    def dtype_name(self, x):
        return tf.as_dtype(x.dtype).name  # a Keras variable's dtype is a string

    def matmul(self, a, b):
        return tf.matmul(a, b)

    def transpose(self, a):
        return tf.transpose(a)

    def mean(self, a):
        return tf.reduce_mean(a)

    def sum_rows(self, a):
        return tf.reduce_sum(a, axis=0)


_OPS = Ops()


def _grads(w, b, X, y, scale=model.HALF):
    """Tape gradients of :func:`d2lmomentum.model.loss` w.r.t. ``[w, b]``."""
    with tf.GradientTape() as tape:
        loss = model.loss(_OPS, [w, b], X, y, scale)
    return tape.gradient(loss, [w, b])


_traced_grads = tf.function(_grads, reduce_retracing=True)


def _for_each_batch(X, y, batch_size, body):
    """``body(X_rows, y_rows)`` on consecutive minibatches; a graph loop inside ``tf.function``."""
    for i in tf.range((tf.shape(X)[0] + batch_size - 1) // batch_size):
        rows = slice(i * batch_size, (i + 1) * batch_size)
        body(X[rows], y[rows])


class Backend(Ops, _Base):
    def loss_grads(self, params, X, y, scale=model.HALF):
        # Traced once per batch shape: 0.4 ms a step instead of 3 ms for the eager tape.
        return _traced_grads(*params, X, y, scale)

    def momentum_update_all(self, params, states, grads, lr, momentum, nesterov=False):
        # The rule of d2lmomentum.rule; fast: TensorFlow's fused kernel, one pass over memory per tensor.
        for p, v, g in zip(params, states, grads):
            dtype = tf.as_dtype(p.dtype)
            _apply_momentum(p, v, tf.convert_to_tensor(g, dtype), tf.constant(lr, dtype),
                            tf.constant(momentum, dtype), bool(nesterov))

    def train_steps(self, params, states, X, y, batch_size, lr, momentum, nesterov=False):
        # The rule of d2lmomentum.rule; fast: a segment's steps (tape gradient + fused kernel each)
        # run as one traced graph, one call instead of ~10 eager ops per step.
        dtype = tf.as_dtype(params[0].dtype)
        _segment(X, y, *params, *states, tf.constant(lr, dtype), tf.constant(momentum, dtype),
                 tf.constant(batch_size), bool(nesterov))

    def concise_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """``keras.optimizers.SGD``: ``m <- beta m - lr g; p <- p + m``.

        Nesterov: ``p <- p + beta m - lr g``. With ``m = -lr v`` this is the chapter's rule
        for a constant learning rate. Keras stores the learning rate as a variable of dtype
        ``floatx``; it is built in the parameters' dtype so float64 runs see the exact rate.
        Its update casts the Python float ``momentum`` through a float32 tensor (0.9 becomes
        0.89999998); holding it as a NumPy scalar of the parameters' dtype keeps it exact.
        """
        dtype = params[0].dtype.name
        opt = build_keras_optimizer(tf.keras.optimizers.SGD, params, learning_rate=lr,
                                    momentum=momentum, nesterov=nesterov)
        opt.momentum = np.asarray(momentum, dtype=dtype)[()]
        return KerasTrainer(self, params, opt, plain_mse)


def _apply_momentum(p, v, g, lr, momentum, nesterov):
    """``ResourceApplyMomentum``: ``accum = accum*momentum + grad; var -= lr*accum`` (Nesterov:
    ``var -= lr*(grad + momentum*accum)``), the rule of :mod:`d2lmomentum.rule` exactly."""
    tf.raw_ops.ResourceApplyMomentum(var=p.handle, accum=v.handle, lr=lr, grad=g, momentum=momentum,
                                     use_nesterov=nesterov)


@tf.function(reduce_retracing=True)
def _segment(X, y, w, b, v_w, v_b, lr, momentum, batch_size, nesterov):
    """Minibatch steps over the rows of ``X``; ``nesterov`` is a Python bool (one trace each)."""
    def step(Xb, yb):
        for p, v, g in zip((w, b), (v_w, v_b), _grads(w, b, Xb, yb)):
            _apply_momentum(p, v, g, lr, momentum, nesterov)
    _for_each_batch(X, y, batch_size, step)


def build_keras_optimizer(cls, params, **hyperparams):
    """``cls(**hyperparams)`` built for ``params``, its learning-rate variable in their dtype."""
    keras = tf.keras
    floatx = keras.backend.floatx()
    keras.backend.set_floatx(params[0].dtype.name)
    try:
        opt = cls(**hyperparams)
        opt.build(params)
    finally:
        keras.backend.set_floatx(floatx)
    return opt


class KerasTrainer(ConciseTrainer):
    """Steps ``params`` with a Keras optimizer on the half (or plain) squared error."""

    def step(self, X, y):
        self.opt.apply_gradients(zip(_grads(*self.params, X, y, self.scale), self.params))

    def train_steps(self, X, y, batch_size):
        # Keras's own rule; fast: the segment's steps (tape gradient + apply_gradients each) traced
        # once per trainer into one graph.
        if not hasattr(self, "_segment"):
            self._segment = tf.function(lambda X, y, bs: _for_each_batch(X, y, bs, self.step),
                                        reduce_retracing=True)
        self._segment(X, y, tf.constant(batch_size))


class CompiledTrainer:
    """The chapter's TensorFlow trainer ``trainer_fn(params, grads, states, hyperparams)`` traced
    with ``tf.function`` over a run of minibatch steps (opt-in: the drop-in's ``compile``).

    Each step takes a tape gradient of the half squared error and calls ``trainer_fn``; float
    hyperparameters become tensors so one trace serves every value. The trainer's Python
    side effects (``print``, counters) run once, at tracing. :meth:`run` traces first and
    only then executes: a trainer that cannot be traced raises :class:`TraceError` having
    applied nothing, and a failure while the graph runs is raised, never retried.
    """

    _traced = {}  # one tf.function per trainer_fn, so repeated runs reuse its traces

    def __init__(self, trainer_fn, hyperparams, dtype):
        self.hp = {k: tf.constant(v, dtype) if isinstance(v, float) else v for k, v in hyperparams.items()}
        if trainer_fn not in self._traced:
            def steps(X, y, batch_size, params, states, hp):
                _for_each_batch(X, y, batch_size,
                                lambda Xb, yb: trainer_fn(params, _grads(*params, Xb, yb), states, hp))
            self._traced[trainer_fn] = tf.function(steps, reduce_retracing=True)
        self.fn = self._traced[trainer_fn]

    def run(self, X, y, batch_size, params, states):
        args = (X, y, tf.constant(batch_size), list(params), list(states), self.hp)
        try:
            graph = self.fn.get_concrete_function(*args)
        except Exception as e:
            raise TraceError(f"{type(e).__name__}: {e}") from e
        try:
            graph(*args)
        except Exception as e:
            lines = [line.strip() for line in str(e).splitlines() if line.strip() and "[[{{node" not in line]
            raise D2LMomentumError(
                f"your trainer failed inside the compiled graph ({type(e).__name__}: {lines[-1][:300]}); "
                f"the steps before it were applied once and are not repeated; run without compile "
                f"(D2LMOMENTUM_COMPILE=0, no --compile) to debug it in plain Python") from e


class TraceError(Exception):
    """``tf.function`` could not trace the reader's trainer (nothing was applied)."""
