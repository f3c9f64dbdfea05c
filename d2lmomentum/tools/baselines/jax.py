"""What the benchmark measures d2lmomentum against on JAX.

* :func:`chapter_literal`: the chapter's loop as a JAX user writes it without compiling: the
  minibatches in the seed's order, ``jax.grad`` of the half squared error per minibatch, the
  chapter's pure ``sgd_momentum`` (``v = m*v + g; p = p - lr*v``, new arrays returned), all
  eager, and the loss evaluated minibatch by minibatch every 200 examples (d2l has no JAX
  ``train_ch11``; this is its schedule with JAX's arrays).
* :func:`update_variants`: optax's ``sgd`` as a JAX user runs it (``update`` then
  ``apply_updates``, eager and under ``jax.jit``).
"""
import jax
import jax.numpy as jnp
import numpy as np
import optax

from d2lmomentum import jax as d2l
from d2lmomentum.tools.bench_reference import EpochOrders, literal_loop


class _Batches:
    """Minibatches of JAX arrays, in one epoch's order per pass (``orders``) or in row order."""

    def __init__(self, X, y, batch_size, orders=None):
        self.X, self.y, self.batch_size = X, y, batch_size
        self.orders = EpochOrders(orders) if orders is not None else None

    def __iter__(self):
        rows = np.fromiter(iter(self.orders), np.int64) if self.orders is not None else np.arange(len(self.X))
        X, y = jnp.asarray(self.X[rows]), jnp.asarray(self.y[rows])
        for s in range(0, len(rows), self.batch_size):
            yield X[s:s + self.batch_size], y[s:s + self.batch_size]


def chapter_literal(X, y, lr, momentum, w0, orders, batch_size=10):
    """The chapter's loop from weights ``w0`` (``b = 0``) over ``orders``; returns its losses."""
    params = [jnp.asarray(w0), jnp.zeros(1)]
    states = [jnp.zeros(w0.shape), jnp.zeros(1)]

    def loss_of(params, Xb, yb):
        return d2l.squared_loss(d2l.linreg(Xb, *params), yb).mean()

    grad = jax.grad(loss_of)

    def step(net, loss, Xb, yb):
        grads = grad(params, Xb, yb)
        for i, (p, v, g) in enumerate(zip(params, states, grads)):
            states[i] = momentum * v + g
            params[i] = p - lr * states[i]

    return literal_loop(d2l, _Batches(X, y[:, 0], batch_size, orders), _Batches(X, y[:, 0], batch_size),
                        params, step, len(orders))


def update_variants(p0, g0, lr, momentum):
    """``({name: step}, chapter_literal_step)`` each taking one step on its own copy of parameter
    ``p0`` and waiting for its result (JAX dispatches asynchronously)."""
    g = jnp.asarray(g0)
    tx = optax.sgd(lr, momentum)

    def optax_step(carry):
        params, opt_state = carry
        updates, opt_state = tx.update(g, opt_state, params)
        return optax.apply_updates(params, updates), opt_state

    jitted = jax.jit(optax_step)
    carries = {name: (jnp.asarray(p0), tx.init(jnp.asarray(p0))) for name in ("optax sgd", "optax sgd (jit)")}

    def runner(name, fn):
        def run():
            carries[name] = jax.block_until_ready(fn(carries[name]))
        return run

    literal_state = [jnp.asarray(p0), jnp.zeros(p0.shape, jnp.float32)]

    def literal():
        p, v = literal_state
        v = momentum * v + g
        literal_state[:] = jax.block_until_ready([p - lr * v, v])
    return {"optax sgd": runner("optax sgd", optax_step), "optax sgd (jit)": runner("optax sgd (jit)", jitted)}, literal
