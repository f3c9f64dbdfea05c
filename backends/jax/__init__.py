"""JAX adapter: immutable ``jax.Array``s, ``jax.value_and_grad`` (traced once per loss function);
every update returns new arrays, and any pytree of them is a model's parameters. Hooks:
``compile_steps`` (``jax.jit`` over ``lax.scan``), ``fused_update`` (the rule jitted over the leaves);
``precision`` enables float64 for a float64 run only."""
import contextlib
import functools

import jax
import jax.experimental
import jax.numpy as jnp
import numpy as np
import optax

from d2lmomentum.adapter import Backend as _Base, ConciseTrainer
from d2lmomentum.rule import momentum_update


@functools.partial(jax.jit, static_argnums=0)
def _value_and_grad(loss_fn, params, *args):
    return jax.value_and_grad(loss_fn)(params, *args)


class Backend(_Base):
    name = "jax"
    in_place = False
    tensor_hint = "; pass JAX arrays (jnp.asarray(x))"

    def parameter(self, array):
        return jnp.array(np.asarray(array))

    state = parameter

    def constant(self, array):
        return jnp.asarray(np.asarray(array))

    def zeros_like(self, x):
        return jnp.zeros_like(x)

    def to_numpy(self, x):
        return np.array(x, copy=True)

    def assign(self, dst, value):
        return value

    def is_tensor(self, x):
        return isinstance(x, jax.Array)

    def dtype_name(self, x):
        return np.dtype(x.dtype).name

    def flatten(self, tree):
        leaves, treedef = jax.tree_util.tree_flatten(tree)
        return leaves, lambda new: jax.tree_util.tree_unflatten(treedef, new)

    def precision(self, dtype):
        return _x64() if dtype == "float64" else contextlib.nullcontext()

    def value_and_grad(self, loss_fn, params, *args):
        return _value_and_grad(loss_fn, params, *args)

    def fused_update(self, params, states, grads, lr, momentum, nesterov):
        # The rule of d2lmomentum.rule, compiled: one XLA call for every leaf's update.
        return _update(self, params, states, grads, lr, momentum, nesterov)

    def compile_steps(self, step):
        # Fast: the run of steps as one XLA program (lax.scan over the whole minibatches, then the
        # shorter last one), traced once per shape.
        def run(carry, X, y, hyper, batch_size):
            n = X.shape[0]
            full = n - n % batch_size
            if full:
                batches = (X[:full].reshape(full // batch_size, batch_size, *X.shape[1:]),
                           y[:full].reshape(full // batch_size, batch_size, *y.shape[1:]))
                carry, _ = jax.lax.scan(lambda c, b: (step(c, *b, hyper), None), carry, batches)
            if full < n:
                carry = step(carry, X[full:], y[full:], hyper)
            return carry
        compiled = jax.jit(run, static_argnames="batch_size")
        # JAX dispatches asynchronously: the steps are done when the call returns, as elsewhere
        return lambda *args: jax.block_until_ready(compiled(*args))

    def sync(self, values=None):
        jax.block_until_ready(values)

    def concise_trainer(self, params, lr, momentum, nesterov=False, plain_mse=False):
        """optax ``sgd(learning_rate, momentum, nesterov)``: ``t <- g + beta t``, update ``-lr t``
        (Nesterov ``-lr (g + beta t)``), applied by ``optax.apply_updates``."""
        tx = optax.sgd(lr, momentum or None, nesterov)
        return OptaxTrainer(self, params, tx, plain_mse, opt_state=tx.init(list(params)))


@functools.partial(jax.jit, static_argnums=(0, 6))
def _update(B, params, states, grads, lr, momentum, nesterov):
    new = [momentum_update(B, p, v, g, lr, momentum, nesterov) for p, v, g in zip(params, states, grads)]
    return [p for p, _ in new], [v for _, v in new]


def _x64():
    """float64 enabled for a ``with`` block only (the user's setting is left as it was):
    ``jax.enable_x64(True)`` from jax 0.7 on, ``jax.experimental.enable_x64()`` before."""
    if hasattr(jax, "enable_x64"):
        return jax.enable_x64(True)
    return jax.experimental.enable_x64()


class OptaxTrainer(ConciseTrainer):
    """Steps ``params`` with an optax ``GradientTransformation`` on the half (or plain) squared
    error; ``carry`` is ``(params, opt_state)``, each step returns new ones."""

    def step(self, carry, X, y, hyper):
        params, opt_state = carry
        updates, opt_state = self.opt.update(self.backend.loss_grads(params, X, y, self.scale), opt_state, params)
        return optax.apply_updates(params, updates), opt_state
