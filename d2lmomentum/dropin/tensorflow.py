"""The TensorFlow drop-in: d2l's tensor aliases, ``load_array`` as a ``tf.data.Dataset`` (as
d2l's, so ``tf.data.experimental.cardinality`` works on it) and how ``train_ch11`` calls the
reader's trainer (``trainer_fn(params, grads, states, hyperparams)``). Imports TensorFlow only."""
import warnings

from d2lmomentum import envvars as _envvars
from d2lmomentum.backends import load as _load
from d2lmomentum.dropin import data as _data
from d2lmomentum.dropin import training as _training
from d2lmomentum.dropin.common import *  # noqa: F401,F403
from d2lmomentum.dropin.common import ALIASES, NAMES, PER_FRAMEWORK
from d2lmomentum.dropin.data import DataIter  # noqa: F401
from d2lmomentum.dropin.model import model_functions as _model_functions

__all__ = NAMES + PER_FRAMEWORK + ALIASES

BACKEND = "tensorflow"  # the d2lmomentum backend name, for library calls from cells
_B = _load(BACKEND)

import tensorflow as tf  # noqa: E402  (after the adapter quietened TensorFlow's logging)
from d2lmomentum.backends.tensorflow import KerasTrainer as _KerasTrainer  # noqa: E402
from d2lmomentum.backends.tensorflow import build_keras_optimizer as _build  # noqa: E402
from d2lmomentum.backends.tensorflow import for_each_batch as _for_each_batch  # noqa: E402
from d2lmomentum.errors import D2LMomentumError as _D2LMomentumError  # noqa: E402

arange, zeros, ones, tensor, normal = tf.range, tf.zeros, tf.ones, tf.constant, tf.random.normal
exp, sin, sinh, cos, cosh, tanh = tf.exp, tf.sin, tf.sinh, tf.cos, tf.cosh, tf.tanh
linspace, meshgrid, matmul, reshape, float32 = tf.linspace, tf.meshgrid, tf.matmul, tf.reshape, tf.float32

#: d2l's shuffle buffer for ``load_array`` (a window, not a full permutation).
SHUFFLE_BUFFER = 1000
#: ``train_concise_ch11``'s default epochs in d2l's TensorFlow version (its PyTorch one has 4).
NUM_EPOCHS_CONCISE = 2


class _CompiledTrainer:
    """The chapter's TensorFlow trainer ``trainer_fn(params, grads, states, hyperparams)`` traced
    with ``tf.function`` over a run of minibatch steps (opt-in: ``compile``).

    Each step takes a tape gradient of the half squared error and calls ``trainer_fn``; float
    hyperparameters become tensors so one trace serves every value. The trainer's Python
    side effects (``print``, counters) run once, at tracing. :meth:`run` traces first and
    only then executes: a trainer that cannot be traced raises :class:`_TraceError` having
    applied nothing, and a failure while the graph runs is raised, never retried.
    """

    _traced = {}  # one tf.function per trainer_fn, so repeated runs reuse its traces

    def __init__(self, trainer_fn, hyperparams, dtype):
        self.hp = {k: tf.constant(v, dtype) if isinstance(v, float) else v for k, v in hyperparams.items()}
        if trainer_fn not in self._traced:
            def steps(X, y, batch_size, params, states, hp):
                _for_each_batch(X, y, batch_size,
                                lambda Xb, yb: trainer_fn(params, _B.loss_grads(params, Xb, yb), states, hp))
            self._traced[trainer_fn] = tf.function(steps, reduce_retracing=True)
        self.fn = self._traced[trainer_fn]

    def run(self, X, y, batch_size, params, states):
        args = (X, y, tf.constant(batch_size), list(params), list(states), self.hp)
        try:
            graph = self.fn.get_concrete_function(*args)
        except Exception as e:
            raise _TraceError(f"{type(e).__name__}: {e}") from e
        try:
            graph(*args)
        except Exception as e:
            lines = [line.strip() for line in str(e).splitlines() if line.strip() and "[[{{node" not in line]
            raise _D2LMomentumError(
                f"your trainer failed inside the compiled graph ({type(e).__name__}: {lines[-1][:300]}); "
                f"the steps before it were applied once and are not repeated; run without compile "
                f"(D2LMOMENTUM_COMPILE=0, no --compile) to debug it in plain Python") from e


class _TraceError(Exception):
    """``tf.function`` could not trace the reader's trainer (nothing was applied)."""


def numpy(x, *args, **kwargs):
    """``x`` as a NumPy array."""
    return x.numpy(*args, **kwargs)


linreg, squared_loss = _model_functions(matmul, reshape)
_, get_data_ch11, evaluate_loss = _data.data_functions(_B, numpy)
DATA_HUB, download = _data.hub_functions()


def load_array(data_arrays, batch_size, is_train=True, seed=None):
    """A ``tf.data.Dataset`` of minibatches over the tuple ``data_arrays``, as d2l's: shuffled with
    a buffer of :data:`SHUFFLE_BUFFER` if ``is_train`` (seeded by ``seed``, default
    ``$D2LMOMENTUM_SEED``), then batched."""
    dataset = tf.data.Dataset.from_tensor_slices(data_arrays)
    if is_train:
        dataset = dataset.shuffle(buffer_size=SHUFFLE_BUFFER, seed=_data.default_seed(seed))
    return dataset.batch(batch_size)


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
    data_iter = _data.as_data_iter(_B, data_iter, numpy)
    run_compiled = None
    if _envvars.flag(_envvars.COMPILE) if compile is None else compile:
        graph = _CompiledTrainer(trainer_fn, hyperparams, data_iter.X.dtype.name)

        def run_compiled(params, X, y):
            try:
                graph.run(X, y, data_iter.batch_size, params, states)
            except _TraceError as e:
                warnings.warn(f"cannot compile your trainer ({e}); running it eagerly", stacklevel=3)
                return False
            return True
    return _training.train_ch11(_B, call, data_iter, feature_dim, num_epochs, run_compiled)


def train_concise_ch11(trainer_fn, hyperparams, data_iter, num_epochs=NUM_EPOCHS_CONCISE, plain_mse=False):
    """Train with the Keras optimizer class ``trainer_fn`` (e.g. ``tf.keras.optimizers.SGD``).

    The loss is the half squared error, as in ``train_ch11``; ``plain_mse=True`` trains on
    d2l's plain mean squared error (twice the gradient) instead."""
    data_iter = _data.as_data_iter(_B, data_iter, numpy)
    return _training.train_concise_ch11(
        _B, lambda params: _KerasTrainer(_B, params, _build(trainer_fn, params, **hyperparams), plain_mse),
        data_iter, num_epochs)
