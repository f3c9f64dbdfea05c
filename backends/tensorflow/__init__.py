"""TensorFlow adapter: ``tf.Variable`` parameters and states, ``tf.GradientTape`` gradients
(traced once per loss function). Hooks: ``fused_update`` (``ResourceApplyMomentum``) and
``compile_steps`` (a run of steps as one ``tf.function`` graph).

TensorFlow keeps no gradient on a variable, so :func:`d2lmomentum.sgd_momentum` needs
``grads=`` on this backend, as the chapter's TensorFlow cells do.
"""
import sys

import numpy as np

from d2lmomentum.adapter import Backend as _Base, ConciseTrainer
from d2lmomentum.quiet import import_framework

tf = import_framework("tensorflow")


def _value_and_grad(loss_fn, params, *args):
    with tf.GradientTape() as tape:
        tape.watch(params)
        loss = loss_fn(params, *args)
    return loss, tape.gradient(loss, params)


# Traced once per loss function and batch shape: 0.4 ms a step instead of 3 ms for the eager tape.
_traced_value_and_grad = tf.function(_value_and_grad, reduce_retracing=True)


def for_each_batch(X, y, batch_size, body):
    """``body(X_rows, y_rows)`` on consecutive minibatches; a graph loop inside ``tf.function``."""
    for i in tf.range((tf.shape(X)[0] + batch_size - 1) // batch_size):
        rows = slice(i * batch_size, (i + 1) * batch_size)
        body(X[rows], y[rows])


class Backend(_Base):
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
        return dst

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

    def value_and_grad(self, loss_fn, params, *args):
        return _traced_value_and_grad(loss_fn, params, *args)

    def fused_update(self, params, states, grads, lr, momentum, nesterov):
        # The rule of d2lmomentum.rule; fast: TensorFlow's fused kernel, one pass over memory per tensor.
        for p, v, g in zip(params, states, grads):
            dtype = tf.as_dtype(p.dtype)
            _apply_momentum(p, v, tf.convert_to_tensor(g, dtype), tf.convert_to_tensor(lr, dtype),
                            tf.convert_to_tensor(momentum, dtype), bool(nesterov))
        return params, states

    def compile_steps(self, step):
        # Fast: a run of steps (tape gradient + update each) as one traced graph, one call instead
        # of ~10 eager ops per step. The variables change in place; the carry is returned as given.
        @tf.function(reduce_retracing=True)
        def run(carry, X, y, hyper, batch_size):
            for_each_batch(X, y, batch_size, lambda Xb, yb: step(carry, Xb, yb, hyper))

        def call(carry, X, y, hyper, batch_size):
            run(carry, X, y, tuple(tf.constant(h, X.dtype) for h in hyper), tf.constant(batch_size))
            return carry
        return call

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
    """Steps ``params`` with a Keras optimizer on the half (or plain) squared error (the steps
    between two evaluations traced into one graph by the adapter's ``compile_steps``)."""

    def step(self, carry, X, y, hyper):
        params = carry[0]
        self.opt.apply_gradients(zip(self.backend.loss_grads(params, X, y, self.scale), params))
        return carry
