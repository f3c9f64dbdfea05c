"""``train_ch11`` runs the reader's trainer as written: once per minibatch, eagerly, on every
framework, against a NumPy oracle; seeded runs repeat; TensorFlow traces the trainer only when
asked (``compile``), never applying a step twice."""
import importlib

import numpy as np
import pytest


def test_dropin_runs_repeat_with_a_seed(monkeypatch, capsys):
    """The runner sets D2LMOMENTUM_SEED, so the chapter's data order and weights repeat."""
    from d2lmomentum import torch as d2l
    monkeypatch.setenv("D2LMOMENTUM_SEED", "3")
    curves = []
    for _ in range(2):
        data_iter, dim = d2l.get_data_ch11(10)
        states = (d2l.zeros((dim, 1)), d2l.zeros(1))

        def sgd(params, states, hp):
            import torch
            with torch.no_grad():
                for p, v in zip(params, states):
                    v[:] = hp["momentum"] * v + p.grad
                    p[:] -= hp["lr"] * v

        curves.append(d2l.train_ch11(sgd, states, {"lr": 0.01, "momentum": 0.9}, data_iter, dim)[1])
        d2l.plt.close("all")
    assert curves[0] == curves[1] and len(curves[0]) == 15
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split(",")[0] == printed[1].split(",")[0] == f"loss: {curves[0][-1]:.3f}"


# -- the reader's trainer runs as written: once per minibatch, eagerly, on every framework --------
def _readers_trainer(framework, record):
    """The chapter's ``sgd_momentum`` for ``framework``, appending ``float(v_w[0, 0])`` to ``record``
    at every call (the instrumented optimizer a learner writes as an exercise)."""
    if framework == "tensorflow":
        def sgd_momentum(params, grads, states, hyperparams):
            for p, v, g in zip(params, states, grads):
                v.assign(hyperparams["momentum"] * v + g)
                p.assign(p - hyperparams["lr"] * v)
            record.append(float(states[0][0, 0]))
    elif framework == "pytorch":
        def sgd_momentum(params, states, hyperparams):
            import torch
            for p, v in zip(params, states):
                with torch.no_grad():
                    v[:] = hyperparams["momentum"] * v + p.grad
                    p[:] -= hyperparams["lr"] * v
                p.grad.data.zero_()
            record.append(float(states[0][0, 0]))
    else:
        def sgd_momentum(params, states, hyperparams):
            for p, v in zip(params, states):
                v[:] = hyperparams["momentum"] * v + p.grad
                p[:] -= hyperparams["lr"] * v
            record.append(float(states[0][0, 0]))
    return sgd_momentum


def _states(framework, d2l, dim):
    if framework == "tensorflow":
        import tensorflow as tf
        return tf.Variable(d2l.zeros((dim, 1))), tf.Variable(d2l.zeros(1))
    return d2l.zeros((dim, 1)), d2l.zeros(1)


def _oracle_velocities(seed, lr, momentum):
    """``v_w[0, 0]`` after each of the 300 steps, in NumPy float32, from the seed's start."""
    from d2lmomentum.data import load_airfoil
    from d2lmomentum.train import seeded_start
    X, y = load_airfoil()
    w, orders = seeded_start(seed, len(X), X.shape[1], 2)
    b, vw, vb = np.zeros(1, np.float32), np.zeros_like(w), np.zeros(1, np.float32)
    out = []
    for order in orders:
        for s in range(0, len(X), 10):
            Xb, yb = X[order[s:s + 10]], y[order[s:s + 10]]
            r = Xb @ w + b - yb
            vw = momentum * vw + Xb.T @ r / len(Xb)
            vb = momentum * vb + r.sum(axis=0) / len(Xb)
            w, b = w - lr * vw, b - lr * vb
            out.append(float(vw[0, 0]))
    return np.array(out)


@pytest.mark.parametrize("framework", ["mxnet", "pytorch", "tensorflow"])
def test_train_ch11_calls_the_readers_trainer_once_per_minibatch(framework, monkeypatch, capsys):
    monkeypatch.delenv("D2LMOMENTUM_COMPILE", raising=False)
    d2l = importlib.import_module(f"d2lmomentum.{'torch' if framework == 'pytorch' else framework}")
    record = []
    data_iter, dim = d2l.get_data_ch11(10, seed=0)
    _, losses = d2l.train_ch11(_readers_trainer(framework, record), _states(framework, d2l, dim),
                               {"lr": 0.02, "momentum": 0.5}, data_iter, dim, 2)
    d2l.plt.close("all")
    assert len(record) == 300  # 2 epochs of 1500 rows in minibatches of 10, as in d2l
    oracle = __import__("d2lmomentum").train_momentum(0.02, 0.5, backend="numpy", seed=0)
    assert np.max(np.abs(np.array(losses) - oracle.losses) / np.array(oracle.losses)) < 1e-5
    assert capsys.readouterr().out.startswith(f"loss: {oracle.losses[-1]:.3f}, ")  # d2l's printed line
    expected = _oracle_velocities(0, 0.02, 0.5)
    # float32 roundings over 300 steps, relative to the velocity's scale (it crosses 0)
    assert np.max(np.abs(np.array(record) - expected)) <= 1e-5 * np.max(np.abs(expected))


def _tf_setup():
    from d2lmomentum import tensorflow as d2l
    data_iter, dim = d2l.get_data_ch11(10, seed=0)
    return d2l, data_iter, dim, _states("tensorflow", d2l, dim)


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_tensorflow_compiles_the_trainer_only_when_asked(how, monkeypatch):
    monkeypatch.delenv("D2LMOMENTUM_COMPILE", raising=False)
    d2l, data_iter, dim, states = _tf_setup()
    calls = []

    def sgd_momentum(params, grads, states, hyperparams):
        calls.append(1)  # a Python side effect: runs at tracing only
        for p, v, g in zip(params, states, grads):
            v.assign(hyperparams["momentum"] * v + g)
            p.assign(p - hyperparams["lr"] * v)

    kw = {"compile": True} if how == "argument" else {}
    if how == "environment":
        monkeypatch.setenv("D2LMOMENTUM_COMPILE", "1")
    _, losses = d2l.train_ch11(sgd_momentum, states, {"lr": 0.02, "momentum": 0.5}, data_iter, dim, 2, **kw)
    d2l.plt.close("all")
    assert 0 < len(calls) < 10  # traced a few times (segment shapes), not called 300 times
    oracle = __import__("d2lmomentum").train_momentum(0.02, 0.5, backend="numpy", seed=0)
    assert np.max(np.abs(np.array(losses) - oracle.losses) / np.array(oracle.losses)) < 1e-5


def test_an_untraceable_trainer_runs_eagerly_with_a_warning():
    d2l, data_iter, dim, states = _tf_setup()
    calls = []

    def sgd_momentum(params, grads, states, hyperparams):
        calls.append(1)
        for p, v, g in zip(params, states, grads):
            v.assign(hyperparams["momentum"] * v + g)
            p.assign(p - hyperparams["lr"] * v)
        states[0].numpy()  # a symbolic tensor has no .numpy(): cannot be traced

    with pytest.warns(UserWarning, match="cannot compile your trainer"):
        d2l.train_ch11(sgd_momentum, states, {"lr": 0.02, "momentum": 0.5}, data_iter, dim, 2, compile=True)
    d2l.plt.close("all")
    assert len(calls) == 1 + 300  # one failed trace, then every step eagerly


def test_a_compiled_trainer_failing_at_run_time_is_never_rerun():
    import tensorflow as tf
    import d2lmomentum as dm
    d2l, data_iter, dim, states = _tf_setup()
    count = tf.Variable(0)

    def sgd_momentum(params, grads, states, hyperparams):
        count.assign_add(1)
        tf.debugging.assert_less(count, 25)  # fails at the 25th step, in the second segment of 20
        for p, v, g in zip(params, states, grads):
            v.assign(hyperparams["momentum"] * v + g)
            p.assign(p - hyperparams["lr"] * v)

    with pytest.raises(dm.D2LMomentumError, match="failed inside the compiled graph .*not repeated"):
        d2l.train_ch11(sgd_momentum, states, {"lr": 0.02, "momentum": 0.5}, data_iter, dim, 2, compile=True)
    d2l.plt.close("all")
    assert int(count.numpy()) == 25  # 24 steps applied once, the failing one stopped: no eager retry


# -- JAX: the reader's pure trainer, compiled -----------------------------------------------------
def _jax_sgd_momentum(params, grads, states, hyperparams):
    """The chapter's JAX trainer as a JAX user writes it: new values returned."""
    new_params, new_states = [], []
    for p, g, v in zip(params, grads, states):
        v = hyperparams["momentum"] * v + g
        new_params.append(p - hyperparams["lr"] * v)
        new_states.append(v)
    return new_params, new_states


def test_jax_train_ch11_runs_the_pure_trainer_compiled_against_the_oracle(monkeypatch, capsys):
    from d2lmomentum import jax as d2l
    from d2lmomentum.backends import load
    B = load("jax")
    monkeypatch.setattr(B, "compile_steps", _counting(B.compile_steps, calls := []))
    runs = []
    for _ in range(2):
        data_iter, dim = d2l.get_data_ch11(10, seed=0)
        _, losses = d2l.train_ch11(_jax_sgd_momentum, (d2l.zeros((dim, 1)), d2l.zeros(1)),
                                   {"lr": 0.02, "momentum": 0.5}, data_iter, dim, 2)
        runs.append(losses)
        d2l.plt.close("all")
    oracle = __import__("d2lmomentum").train_momentum(0.02, 0.5, backend="numpy", seed=0)
    assert len(runs[0]) == 15 and runs[0] == runs[1]  # seeded: bit for bit
    assert np.max(np.abs(np.array(runs[0]) - oracle.losses) / np.array(oracle.losses)) < 1e-5
    assert capsys.readouterr().out.startswith(f"loss: {oracle.losses[-1]:.3f}, ")
    assert len(calls) == 2  # one compiled run of steps per train_ch11 call


def _counting(fn, calls):
    def wrapper(*args, **kwargs):
        calls.append(args)
        return fn(*args, **kwargs)
    return wrapper


def test_jax_trainer_that_returns_nothing_is_told_to_return_the_new_values():
    from d2lmomentum import jax as d2l
    from d2lmomentum.errors import InvalidTypeError
    data_iter, dim = d2l.get_data_ch11(10, seed=0)

    def in_place_habit(params, grads, states, hyperparams):
        for p, g in zip(params, grads):
            p = p - hyperparams["lr"] * g  # noqa: F841 (rebinds a name, as an in-place habit would)

    with pytest.raises(InvalidTypeError, match=r"returned NoneType; on JAX it must return the new \(params, states\)"):
        d2l.train_ch11(in_place_habit, (d2l.zeros((dim, 1)), d2l.zeros(1)), {"lr": 0.02}, data_iter, dim, 1)
    d2l.plt.close("all")


@pytest.mark.parametrize("nesterov", [False, True])
def test_jax_train_concise_ch11_with_optax_is_the_oracle(nesterov, capsys):
    import optax
    from d2lmomentum import jax as d2l
    data_iter, _ = d2l.get_data_ch11(10, seed=0)
    assert d2l.train_concise_ch11(optax.sgd(learning_rate=0.02, momentum=0.5, nesterov=nesterov), data_iter) is None
    d2l.plt.close("all")
    oracle = __import__("d2lmomentum").train_momentum(0.02, 0.5, backend="numpy", seed=0, nesterov=nesterov)
    assert capsys.readouterr().out.startswith(f"loss: {oracle.losses[-1]:.3f}, ")


def test_jax_train_concise_ch11_wants_an_optax_transformation():
    from d2lmomentum import jax as d2l
    from d2lmomentum.errors import InvalidTypeError
    data_iter, _ = d2l.get_data_ch11(10, seed=0)
    with pytest.raises(InvalidTypeError, match="takes an optax GradientTransformation .* got str"):
        d2l.train_concise_ch11("sgd", data_iter)
