"""TensorFlow adapter: ``tf.Variable`` parameters and states, ``tf.GradientTape`` gradients.

TensorFlow keeps no gradient on a variable, so :func:`d2lmomentum.sgd_momentum` needs
``grads=`` on this backend, as the chapter's TensorFlow cells do.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from d2lmomentum.ops import Backend as _Base, BuiltinTrainer  # noqa: E402


class Backend(_Base):
    name = "tensorflow"

    def parameter(self, array):
        return tf.Variable(np.asarray(array))

    state = parameter

    def constant(self, array):
        return tf.constant(np.asarray(array))

    def to_numpy(self, x):
        return np.array(x.numpy(), copy=True)

    def assign(self, dst, value):
        dst.assign(value)

    def is_tensor(self, x):
        return isinstance(x, tf.Variable)

    def dtype_name(self, x):
        return x.dtype.name

    def loss_grads(self, params, X, y):
        w, b = params
        with tf.GradientTape() as tape:
            r = tf.matmul(X, w) + b - y
            loss = tf.reduce_mean(r * r / 2)
        return tape.gradient(loss, params)

    def loss(self, params, X, y):
        w, b = params
        r = tf.matmul(X, w) + b - y
        return float(tf.reduce_mean(r * r / 2))

    def momentum_update(self, p, v, g, lr, momentum, nesterov=False):
        v.assign(v * momentum + g)
        p.assign_sub((g + v * momentum) * lr if nesterov else v * lr)

    def builtin_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """``keras.optimizers.SGD``: ``m <- beta m - lr g; p <- p + m``.

    Nesterov: ``p <- p + beta m - lr g``. With ``m = -lr v`` this is the chapter's rule for
    a constant learning rate. Keras stores the learning rate as a variable of dtype
    ``floatx``; it is built in the parameters' dtype so float64 runs see the exact rate.
    Its update casts the Python float ``momentum`` through a float32 tensor (0.9 becomes
    0.89999998); holding it as a NumPy scalar of the parameters' dtype keeps it exact.
        """
        dtype = params[0].dtype.name
        opt = build_keras_optimizer(tf.keras.optimizers.SGD, params, learning_rate=lr,
                                    momentum=momentum, nesterov=nesterov)
        opt.momentum = np.asarray(momentum, dtype=dtype)[()]
        return KerasTrainer(self, params, opt, plain_mse)


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


class KerasTrainer(BuiltinTrainer):
    """Steps ``params`` with a Keras optimizer on the half (or plain) squared error."""

    def step(self, X, y):
        w, b = self.params
        with tf.GradientTape() as tape:
            r = tf.matmul(X, w) + b - y
            loss = tf.reduce_mean(r * r * self.scale)
        self.opt.apply_gradients(zip(tape.gradient(loss, self.params), self.params))
