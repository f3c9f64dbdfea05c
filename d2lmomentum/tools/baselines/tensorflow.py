"""What the benchmark measures d2lmomentum against on TensorFlow.

* :func:`chapter_literal`: d2l's ``train_ch11`` as the chapter runs it: a ``tf.data`` pipeline,
  a ``GradientTape`` per minibatch, the chapter's ``sgd_momentum`` (``v.assign(m*v + g);
  p.assign(p - lr*v)``), all eager, and the loss evaluated minibatch by minibatch every 200 examples.
* :func:`update_variants`: Keras's own ways to take one momentum step on a parameter.
"""
import numpy as np

from d2lmomentum.backends.tensorflow import tf
from d2lmomentum import tensorflow as d2l
from d2lmomentum.tools.bench_reference import EpochOrders, literal_loop


class _Epochs:
    """One ``tf.data`` pipeline per epoch, over the rows in that epoch's order."""

    def __init__(self, X, y, orders, batch_size):
        self.X, self.y, self.orders, self.batch_size = X, y, EpochOrders(orders), batch_size

    def __iter__(self):
        order = np.fromiter(iter(self.orders), dtype=np.int64)
        return iter(tf.data.Dataset.from_tensor_slices((self.X[order], self.y[order])).batch(self.batch_size))


def chapter_literal(X, y, lr, momentum, w0, orders, batch_size=10):
    """The chapter's loop from weights ``w0`` (``b = 0``) over ``orders``; returns its losses."""
    train_batches = _Epochs(X, y[:, 0], orders, batch_size)
    eval_batches = tf.data.Dataset.from_tensor_slices((X, y[:, 0])).batch(batch_size)
    w = tf.Variable(w0, trainable=True)
    b = tf.Variable(tf.zeros(1), trainable=True)
    states = (tf.Variable(tf.zeros(w0.shape)), tf.Variable(tf.zeros(1)))

    def step(net, loss, Xb, yb):
        with tf.GradientTape() as g:
            l = tf.math.reduce_mean(loss(net(Xb), yb))
        for p, v, gr in zip((w, b), states, g.gradient(l, [w, b])):
            v.assign(momentum * v + gr)
            p.assign(p - lr * v)

    return literal_loop(d2l, train_batches, eval_batches, [w, b], step, len(orders))


def update_variants(p0, g0, lr, momentum):
    """``({name: step}, chapter_literal_step)`` each updating its own copy of parameter ``p0``."""
    g = tf.constant(g0)
    var = tf.Variable(p0)
    opt = tf.keras.optimizers.SGD(learning_rate=lr, momentum=momentum)
    opt.build([var])
    builtins = {"keras SGD": lambda: opt.apply_gradients([(g, var)]),
                "keras SGD (tf.function)": tf.function(lambda: opt.apply_gradients([(g, var)]))}
    p, v = tf.Variable(p0), tf.Variable(np.zeros_like(p0))

    def literal():
        v.assign(momentum * v + g)
        p.assign(p - lr * v)
    return builtins, literal
