"""``from d2lmomentum import tensorflow as d2l``: the names the chapter's TensorFlow cells use.

Imports TensorFlow only. See :mod:`d2lmomentum.dropin` for what differs from d2l on purpose.
"""

from d2lmomentum import dropin as _dropin
from d2lmomentum import envvars as _envvars
from d2lmomentum.backends import load as _load
from d2lmomentum.dropin import (Animator, DataIter, Timer, plot, plt, set_axes, set_figsize,  # noqa: F401
                                show_trace_2d, train_2d, use_svg_display)

BACKEND = "tensorflow"  # the d2lmomentum backend name, for library calls from cells
_B = _load("tensorflow")

import tensorflow as tf  # noqa: E402  (after the adapter quietened TensorFlow's logging)
from d2lmomentum.backends.tensorflow import KerasTrainer as _KerasTrainer  # noqa: E402
from d2lmomentum.backends.tensorflow import build_keras_optimizer as _build  # noqa: E402
from d2lmomentum.backends.tensorflow import CompiledTrainer as _CompiledTrainer  # noqa: E402
from d2lmomentum.backends.tensorflow import TraceError as _TraceError  # noqa: E402

arange, zeros, ones, tensor, normal = tf.range, tf.zeros, tf.ones, tf.constant, tf.random.normal
matmul, reshape, exp, float32, meshgrid = tf.matmul, tf.reshape, tf.exp, tf.float32, tf.meshgrid


def numpy(x, *args, **kwargs):
    return x.numpy(*args, **kwargs)


linreg, squared_loss = _dropin.model_functions(matmul, reshape)
load_array, get_data_ch11, evaluate_loss = _dropin.data_functions(_B, numpy)


def train_ch11(trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2, compile=None):
    """Train with ``trainer_fn(params, grads, states, hyperparams)``, as d2l's TensorFlow version:
    called once per minibatch, eagerly, with ``hyperparams`` as you passed them.

    ``compile=True`` (default: ``$D2LMOMENTUM_COMPILE``, which the runner's ``--compile`` sets)
    traces your trainer with ``tf.function`` instead, so the steps between two evaluations run
    as one graph, several times faster. The caveat: its Python side effects (``print``,
    counters, ``float(v)``) run once, at tracing, and float hyperparameters arrive as tensors.
    A trainer that cannot be traced runs eagerly, with a warning; one that fails while the
    graph runs raises, and no step is applied twice.
    """
    def call(params, X, y):
        trainer_fn(params, _B.loss_grads(params, X, y), states, hyperparams)
    data_iter = _dropin.as_data_iter(_B, data_iter, numpy)
    run_compiled = None
    if _envvars.flag(_envvars.COMPILE) if compile is None else compile:
        graph = _CompiledTrainer(trainer_fn, hyperparams, data_iter.X.dtype.name)

        def run_compiled(params, X, y):
            try:
                graph.run(X, y, data_iter.batch_size, params, states)
            except _TraceError as e:
                import warnings
                warnings.warn(f"cannot compile your trainer ({e}); running it eagerly", stacklevel=3)
                return False
            return True
    return _dropin.train_ch11(_B, call, data_iter, feature_dim, num_epochs, run_compiled)


def train_concise_ch11(trainer_fn, hyperparams, data_iter, num_epochs=4, plain_mse=False):
    """Train with the Keras optimizer class ``trainer_fn`` (e.g. ``tf.keras.optimizers.SGD``).

    The loss is the half squared error, as in ``train_ch11``; ``plain_mse=True`` trains on
    d2l's plain mean squared error (twice the gradient) instead."""
    data_iter = _dropin.as_data_iter(_B, data_iter, numpy)
    return _dropin.train_concise_ch11(
        _B, lambda params: _KerasTrainer(_B, params, _build(trainer_fn, params, **hyperparams), plain_mse),
        data_iter, num_epochs)
