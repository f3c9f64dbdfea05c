"""``init_momentum_states(params)`` + ``sgd_momentum`` on a programmer's own model: a small MLP
(5 -> 8 -> 1, tanh) per framework, five steps against the framework's own momentum optimizer
(``torch.optim.SGD``, ``keras.optimizers.SGD``, gluon ``Trainer('sgd' | 'nag')`` with
``step(batch_size)`` on the summed loss, optax's ``sgd`` on JAX with the parameters in a dict;
conventions in ``d2lmomentum.rule``), from the same NumPy initial weights on the same minibatches,
with and without Nesterov."""
import numpy as np
import pytest

import d2lmomentum as dm

from _helpers import FRAMEWORKS

STEPS, LR, MOMENTUM = 5, 0.1, 0.9
# Rows per minibatch: a power of two, so gluon's rescale 1/B and the mean's 1/B are exact.
BATCH = 8
# float32: every step, either side's update rounds ~4 times (beta*v + g, lr*v, p - lr*v, or
# Keras's m = beta*m - lr*g, p + m), each within eps of the parameters' scale, and an earlier
# difference reaches the next gradient through the MLP (a factor < 2 at lr 0.1 on this small
# model): after step t at most 8*t roundings of eps32 (1.2e-7) on that scale.
EPS32 = np.finfo(np.float32).eps


def _problem():
    """NumPy float32 initial weights ``[W1 (5, 8), b1 (8,), W2 (8, 1), b2 (1,)]`` (layout
    ``x @ W + b``) and ``STEPS`` minibatches ``(X (8, 5), y (8, 1))``."""
    rng = np.random.default_rng(4)
    init = [rng.normal(0, 0.5, (5, 8)), rng.normal(0, 0.1, 8), rng.normal(0, 0.5, (8, 1)), rng.normal(0, 0.1, 1)]
    batches = [(rng.normal(size=(BATCH, 5)), rng.normal(size=(BATCH, 1))) for _ in range(STEPS)]
    return [a.astype(np.float32) for a in init], [(X.astype(np.float32), y.astype(np.float32)) for X, y in batches]


def _torch_runs(nesterov):
    import torch
    init, batches = _problem()

    def mlp():
        net = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
        with torch.no_grad():
            for p, a in zip(net.parameters(), init):
                p.copy_(torch.tensor(a.T if a.ndim == 2 else a))  # Linear keeps weight as (out, in)
        return net

    def snapshot(net):
        return [p.detach().numpy().T.copy() if p.ndim == 2 else p.detach().numpy().copy() for p in net.parameters()]

    ours, theirs = mlp(), mlp()
    states = dm.init_momentum_states(ours.parameters())
    opt = torch.optim.SGD(theirs.parameters(), lr=LR, momentum=MOMENTUM, nesterov=nesterov)
    runs = ([], [])
    for X, y in batches:
        X, y = torch.tensor(X), torch.tensor(y)
        ours.zero_grad()
        ((ours(X) - y) ** 2 / 2).mean().backward()
        dm.sgd_momentum(ours.parameters(), states, {"lr": LR, "momentum": MOMENTUM, "nesterov": nesterov})
        opt.zero_grad()
        ((theirs(X) - y) ** 2 / 2).mean().backward()
        opt.step()
        runs[0].append(snapshot(ours))
        runs[1].append(snapshot(theirs))
    return runs


def _keras_runs(nesterov):
    import keras
    import tensorflow as tf
    init, batches = _problem()

    def mlp():
        net = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
        net.set_weights(init)  # Dense keeps its kernel as (in, out)
        return net

    def loss_grads(net, X, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((net(X) - y) ** 2 / 2)
        return tape.gradient(loss, net.trainable_variables)

    ours, theirs = mlp(), mlp()
    states = dm.init_momentum_states(ours.trainable_variables)
    opt = keras.optimizers.SGD(learning_rate=LR, momentum=MOMENTUM, nesterov=nesterov)
    runs = ([], [])
    for X, y in batches:
        dm.sgd_momentum(ours.trainable_variables, states, {"lr": LR, "momentum": MOMENTUM, "nesterov": nesterov},
                        grads=loss_grads(ours, X, y))
        opt.apply_gradients(zip(loss_grads(theirs, X, y), theirs.trainable_variables))
        runs[0].append([np.array(a) for a in ours.get_weights()])
        runs[1].append([np.array(a) for a in theirs.get_weights()])
    return runs


def _gluon_runs(nesterov):
    from d2lmomentum.backends.mxnet import autograd, mnp, mx
    init, batches = _problem()

    def mlp():
        net = mx.gluon.nn.Sequential()
        net.add(mx.gluon.nn.Dense(8, activation="tanh", in_units=5), mx.gluon.nn.Dense(1, in_units=8))
        net.initialize(ctx=mx.cpu())
        for p, a in zip(net.collect_params().values(), init):
            p.set_data(mnp.array(a.T if a.ndim == 2 else a))  # Dense keeps weight as (out, in)
        return net

    def snapshot(net):
        return [p.data().asnumpy().T.copy() if p.data().ndim == 2 else p.data().asnumpy().copy()
                for p in net.collect_params().values()]

    ours, theirs = mlp(), mlp()
    params = [p.data() for p in ours.collect_params().values()]
    states = dm.init_momentum_states(params)
    trainer = mx.gluon.Trainer(theirs.collect_params(), "nag" if nesterov else "sgd",
                               {"learning_rate": LR, "momentum": MOMENTUM})
    runs = ([], [])
    for X, y in batches:
        X, y = mnp.array(X), mnp.array(y)
        with autograd.record():
            loss = ((ours(X) - y) ** 2 / 2).mean()
        loss.backward()
        dm.sgd_momentum(params, states, {"lr": LR, "momentum": MOMENTUM, "nesterov": nesterov})
        with autograd.record():
            summed = ((theirs(X) - y) ** 2 / 2).sum()
        summed.backward()
        trainer.step(BATCH)
        runs[0].append(snapshot(ours))
        runs[1].append(snapshot(theirs))
    return runs


def _jax_runs(nesterov):
    import jax
    import jax.numpy as jnp
    import optax
    init, batches = _problem()
    W1, b1, W2, b2 = (jnp.asarray(a) for a in init)
    start = {"hidden": {"W": W1, "b": b1}, "out": {"W": W2, "b": b2}}  # a JAX user's own pytree

    def loss(params, X, y):
        h = jnp.tanh(X @ params["hidden"]["W"] + params["hidden"]["b"])
        return jnp.mean((h @ params["out"]["W"] + params["out"]["b"] - y) ** 2 / 2)

    def snapshot(params):
        return [np.asarray(params[layer][name]) for layer in ("hidden", "out") for name in ("W", "b")]

    grad = jax.grad(loss)
    ours, states = start, dm.init_momentum_states(start)
    assert jax.tree_util.tree_structure(states) == jax.tree_util.tree_structure(start)
    tx = optax.sgd(LR, MOMENTUM, nesterov=nesterov)
    theirs, opt_state = start, tx.init(start)
    runs = ([], [])
    for X, y in batches:
        ours, states = dm.sgd_momentum(ours, states, {"lr": LR, "momentum": MOMENTUM, "nesterov": nesterov},
                                       grads=grad(ours, X, y))
        updates, opt_state = tx.update(grad(theirs, X, y), opt_state, theirs)
        theirs = optax.apply_updates(theirs, updates)
        runs[0].append(snapshot(ours))
        runs[1].append(snapshot(theirs))
    assert set(ours) == {"hidden", "out"} and set(states["out"]) == {"W", "b"}  # the user's structure back
    return runs


@pytest.fixture(scope="module")
def jax_runs():
    return {nesterov: _jax_runs(nesterov) for nesterov in (False, True)}


@pytest.mark.parametrize("nesterov", [False, True], ids=["heavy-ball", "nesterov"])
def test_jax_dict_mlp_equals_optax_sgd_within_1e_6(jax_runs, nesterov):
    """Five steps of ``sgd_momentum`` on a dict of parameters equal five of ``optax.sgd``."""
    ours, theirs = jax_runs[nesterov]
    assert max(np.abs(p - q).max() for a, b in zip(ours, theirs) for p, q in zip(a, b)) <= 1e-6


@pytest.fixture(scope="module")
def pytorch_runs():
    return {nesterov: _torch_runs(nesterov) for nesterov in (False, True)}


@pytest.fixture(scope="module")
def tensorflow_runs():
    return {nesterov: _keras_runs(nesterov) for nesterov in (False, True)}


@pytest.fixture(scope="module")
def mxnet_runs():
    return {nesterov: _gluon_runs(nesterov) for nesterov in (False, True)}


@pytest.mark.parametrize("nesterov", [False, True], ids=["heavy-ball", "nesterov"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_five_steps_equal_the_frameworks_optimizer(framework, nesterov, request):
    ours, theirs = request.getfixturevalue(f"{framework}_runs")[nesterov]
    init, _ = _problem()
    assert len(ours) == len(theirs) == STEPS
    for t, (a, b) in enumerate(zip(ours, theirs), start=1):
        scale = max(np.abs(p).max() for p in b)
        for p, q, p0 in zip(a, b, init):
            assert p.shape == q.shape == p0.shape and p.dtype == np.float32
            assert np.abs(p - q).max() <= 8 * t * EPS32 * scale, (framework, t)
    # they trained: every tensor moved far beyond the tolerance
    assert all(np.abs(p - p0).max() > 1e-3 for p, p0 in zip(ours[-1], init))


def test_nesterov_takes_another_path(pytorch_runs):
    """The two rules differ by far more than the tolerance, so the comparison above can tell them apart."""
    heavy, nesterov = pytorch_runs[False][0][-1], pytorch_runs[True][0][-1]
    assert max(np.abs(p - q).max() for p, q in zip(heavy, nesterov)) > 1e-3
