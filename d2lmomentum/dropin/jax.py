"""The JAX drop-in: d2l's tensor aliases (``jax.numpy``) and the functional trainers JAX users
write: ``train_ch11`` calls the reader's pure ``trainer_fn(params, grads, states, hyperparams) ->
(params, states)`` under ``jax.jit`` (``lax.scan`` over a run of minibatches), and
``train_concise_ch11`` takes an optax ``GradientTransformation``. Imports JAX only."""
import numpy as _onp

from d2lmomentum.backends import load as _load
from d2lmomentum.dropin import data as _data
from d2lmomentum.dropin import training as _training
from d2lmomentum.dropin.common import *  # noqa: F401,F403
from d2lmomentum.dropin.common import ALIASES, NAMES, PER_FRAMEWORK
from d2lmomentum.dropin.data import DataIter  # noqa: F401
from d2lmomentum.dropin.model import model_functions as _model_functions
from d2lmomentum.errors import InvalidTypeError as _InvalidTypeError

__all__ = NAMES + PER_FRAMEWORK + ALIASES

BACKEND = "jax"  # the d2lmomentum backend name, for library calls from cells
_B = _load(BACKEND)

import jax as _jax  # noqa: E402  (after the adapter)
import jax.numpy as _jnp  # noqa: E402
from d2lmomentum.backends.jax import OptaxTrainer as _OptaxTrainer  # noqa: E402

arange, zeros, ones, tensor = _jnp.arange, _jnp.zeros, _jnp.ones, _jnp.array
exp, sin, sinh, cos, cosh, tanh = _jnp.exp, _jnp.sin, _jnp.sinh, _jnp.cos, _jnp.cosh, _jnp.tanh
linspace, meshgrid, matmul, reshape, float32 = _jnp.linspace, _jnp.meshgrid, _jnp.matmul, _jnp.reshape, _jnp.float32


_KEY = [None]


def normal(mean=0.0, std=1.0, size=()):
    """Samples of ``N(mean, std^2)`` of shape ``size``, in the ``#@tab all`` cells' argument order
    (``torch.normal``'s; d2l's JAX module has no ``normal``), each call from a fresh split of one
    key seeded by ``$D2LMOMENTUM_SEED`` (else 0)."""
    if _KEY[0] is None:
        _KEY[0] = _jax.random.PRNGKey(_data.default_seed() or 0)
    _KEY[0], key = _jax.random.split(_KEY[0])
    return mean + std * _jax.random.normal(key, (size,) if isinstance(size, int) else tuple(size))


def numpy(x, *args, **kwargs):
    """``x`` as a NumPy array."""
    return _onp.asarray(x, *args, **kwargs)


linreg, squared_loss = _model_functions(matmul, reshape)
load_array, get_data_ch11, evaluate_loss = _data.data_functions(_B, numpy)
DATA_HUB, download = _data.hub_functions()


def train_ch11(trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2):
    """Train with the pure ``trainer_fn(params, grads, states, hyperparams) -> (params, states)``:
    ``params`` is ``[w, b]``, ``grads`` their gradients of the half squared error (``jax.grad``),
    ``states`` as you passed them. The steps between two evaluations run as one ``jax.jit``
    program, so ``trainer_fn`` is traced: its Python side effects (``print``) run at tracing.
    Returns ``(cumulative seconds, losses)``, as d2l's."""
    def step(carry, X, y, hyper):
        params, states = carry
        out = trainer_fn(params, _B.loss_grads(params, X, y), states, hyperparams)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise _InvalidTypeError(
                f"your trainer returned {type(out).__name__}; on JAX it must return the new (params, states), "
                f"e.g. `return [w, b], [v_w, v_b]` (JAX arrays cannot be changed in place)")
        return list(out[0]), list(out[1])
    data_iter = _data.as_data_iter(_B, data_iter, numpy)
    return _training.train_ch11_stateless(_B, _B.compile_steps(step), list(states), data_iter, feature_dim,
                                          num_epochs)


def train_concise_ch11(tx, data_iter, num_epochs=2):
    """Train with the optax ``GradientTransformation`` ``tx`` (e.g. ``optax.sgd(learning_rate=0.005,
    momentum=0.9)``) on the half squared error, as ``train_ch11``."""
    if not (hasattr(tx, "init") and hasattr(tx, "update")):
        raise _InvalidTypeError(
            f"train_concise_ch11 takes an optax GradientTransformation (e.g. optax.sgd(learning_rate=0.005, "
            f"momentum=0.9)), got {type(tx).__name__}")
    data_iter = _data.as_data_iter(_B, data_iter, numpy)
    return _training.train_concise_ch11(
        _B, lambda params: _OptaxTrainer(_B, params, tx, opt_state=tx.init(params)), data_iter, num_epochs)
