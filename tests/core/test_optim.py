"""``init_momentum_states`` (the chapter's ``feature_dim`` or any model's tensors) and ``sgd_momentum``
on every backend, against closed forms."""
import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum.backends import load

from _helpers import momentum_closed_form as closed_form, rel_err


def test_states_are_zero_with_the_chapters_shapes(backend):
    B = load(backend)
    v_w, v_b = dm.init_momentum_states(5, backend=backend)
    assert B.shape(v_w) == (5, 1) and B.shape(v_b) == (1,)
    assert B.dtype_name(v_w) == "float32"
    assert not B.to_numpy(v_w).any() and not B.to_numpy(v_b).any()


def _torch_parameter(a):
    import torch
    return torch.nn.Parameter(torch.tensor(a))


def _keras_variable(a):
    import keras
    return keras.Variable(a)


# A parameter as a programmer's own model holds it (default: the adapter's parameter)
OWN_PARAMETER = {"pytorch": _torch_parameter, "tensorflow": _keras_variable}


def _framework_tensors(name):
    """Parameters of float32 and float64, several shapes, as a model on framework ``name`` holds them."""
    arrays = [np.full((3, 2), 1.5, np.float32), np.full(4, -2.0, np.float64), np.full((2, 1, 3), 0.5, np.float32)]
    return arrays, [OWN_PARAMETER.get(name, load(name).parameter)(a) for a in arrays]


def test_states_for_tensors_are_zeros_like_each(backend):
    B = load(backend)
    with B.precision("float64"):
        _states_are_zeros_like_each(B, backend)


def _states_are_zeros_like_each(B, backend):
    arrays, tensors = _framework_tensors(backend)
    for params in (tensors, tuple(tensors), (t for t in tensors)):  # a generator, as model.parameters()
        states = dm.init_momentum_states(params)
        assert len(states) == len(arrays)
        for v, a in zip(states, arrays):
            assert B.is_tensor(v) and B.shape(v) == a.shape and B.dtype_name(v) == a.dtype.name
            np.testing.assert_array_equal(B.to_numpy(v), np.zeros_like(a))
    # the states are new tensors: updating them leaves the parameters as they were
    states = [B.assign(v, v + 1) for v in states]
    np.testing.assert_array_equal(B.to_numpy(tensors[0]), arrays[0])


def test_sgd_momentum_on_states_for_tensors_is_the_rule(backend):
    """Two steps on tensors of two dtypes, against the closed form."""
    B = load(backend)
    with B.precision("float64"):
        arrays, tensors = _framework_tensors(backend)
        states = dm.init_momentum_states(tensors)
        gs = [[np.full(a.shape, k + 1.0, a.dtype) for a in arrays] for k in range(2)]
        for g in gs:
            tensors, states = dm.sgd_momentum(tensors, states, {"lr": 0.5, "momentum": 0.5},
                                              grads=[B.constant(x) for x in g])
    for i, a in enumerate(arrays):
        p_exp, v_exp = closed_form(a, [g[i] for g in gs], 0.5, 0.5)
        np.testing.assert_array_equal(B.to_numpy(tensors[i]), p_exp.astype(a.dtype))  # exact in binary
        np.testing.assert_array_equal(B.to_numpy(states[i]), v_exp.astype(a.dtype))


@pytest.mark.parametrize("params,error,message", [
    (lambda: [np.ones(2), load("pytorch").parameter(np.ones(2))], dm.InvalidArgumentError,
     "params mix frameworks: params\\[0\\] is a numpy tensor, params\\[1\\] a pytorch one"),
    (lambda: [np.ones(2), 3.0], dm.InvalidTypeError, "params\\[1\\] is a float, not a framework's tensor"),
    (lambda: [load("tensorflow").constant(np.ones(2))], dm.InvalidTypeError,
     "params\\[0\\] is a EagerTensor, not a mutable tensorflow tensor"),
    (lambda: np.ones(3), dm.InvalidTypeError, "for one tensor w pass \\[w\\]"),
    (lambda: "w", dm.InvalidTypeError, "got str"),
    (lambda: [], dm.InvalidArgumentError, "params is empty"),
])
def test_bad_params_for_states_say_what_to_pass(params, error, message):
    with pytest.raises(error, match=message):
        dm.init_momentum_states(params())


@pytest.mark.mxnet
def test_mxnet_gluon_parameter_is_pointed_to_its_array():
    from d2lmomentum.backends.mxnet import mx
    p = mx.gluon.Parameter("w", shape=(2,))
    with pytest.raises(dm.InvalidTypeError, match=r"pass its array, p.data\(\)"):
        dm.init_momentum_states([p])


def test_states_for_tensors_reject_dtype_and_another_backend():
    w = load("pytorch").parameter(np.ones(2, np.float32))
    with pytest.raises(dm.InvalidArgumentError, match="dtype= applies to init_momentum_states\\(feature_dim\\) only"):
        dm.init_momentum_states([w], dtype="float64")
    with pytest.raises(dm.InvalidArgumentError, match="backend='tf' but params are pytorch tensors"):
        dm.init_momentum_states([w], backend="tf")
    assert len(dm.init_momentum_states([w], backend="torch")) == 1


@pytest.mark.parametrize("nesterov", [False, True])
# per step, a few roundings relative to the values (float32 eps 1.2e-7, float64 2.2e-16)
@pytest.mark.parametrize("dtype,tol", [("float32", 2e-6), ("float64", 1e-13)])
def test_sgd_momentum_equals_the_unrolled_sum(backend, nesterov, dtype, tol):
    rng = np.random.default_rng(1)
    lr, beta, steps = 0.05, 0.9, 12
    p0 = [rng.normal(size=(4, 1)).astype(dtype), rng.normal(size=(1,)).astype(dtype)]
    gs = [[rng.normal(size=p.shape).astype(dtype) for _ in range(steps)] for p in p0]
    B = load(backend)
    with B.precision(dtype):
        params = [B.parameter(p) for p in p0]
        states = [B.state(np.zeros_like(p)) for p in p0]
        for t in range(steps):
            params, states = dm.sgd_momentum(params, states, {"lr": lr, "momentum": beta, "nesterov": nesterov},
                                             grads=[B.constant(gs[i][t]) for i in range(2)], backend=backend)
    for i in range(2):
        p_exp, v_exp = closed_form(p0[i], [g.astype(np.float64) for g in gs[i]], lr, beta, nesterov)
        assert B.dtype_name(params[i]) == dtype
        assert rel_err(B.to_numpy(states[i]), v_exp) < tol * steps
        assert rel_err(B.to_numpy(params[i]), p_exp) < tol * steps


def test_grads_default_to_the_stored_gradient():
    import torch
    w = torch.ones(3, requires_grad=True)
    (w * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    (v,) = [torch.zeros(3)]
    dm.sgd_momentum([w], [v], {"lr": 0.5, "momentum": 0.9})
    np.testing.assert_array_equal(w.detach().numpy(), [0.5, 0.0, -0.5])
    np.testing.assert_array_equal(v.numpy(), [1, 2, 3])


def test_mxnet_grads_default_to_the_stored_gradient():
    B = load("mxnet")
    from d2lmomentum.backends.mxnet import autograd
    w = B.parameter(np.ones(3, np.float32))
    with autograd.record():
        y = (w * B.constant(np.array([1.0, 2.0, 3.0], np.float32))).sum()
    y.backward()
    v = B.state(np.zeros(3, np.float32))
    dm.sgd_momentum([w], [v], {"lr": 0.5, "momentum": 0.9})
    np.testing.assert_array_equal(B.to_numpy(w), [0.5, 0.0, -0.5])


def test_tensorflow_without_grads_says_to_pass_them():
    B = load("tensorflow")
    w, v = B.parameter(np.ones(2, np.float32)), B.state(np.zeros(2, np.float32))
    with pytest.raises(dm.InvalidArgumentError, match="grads="):
        dm.sgd_momentum([w], [v], {"lr": 0.1, "momentum": 0.5})


def test_mismatched_state_is_rejected(backend):
    B = load(backend)
    with B.precision("float64"):
        _mismatched_state_is_rejected(B, backend)


def _mismatched_state_is_rejected(B, backend):
    w = B.parameter(np.ones((5, 1), np.float32))
    v_w, _ = dm.init_momentum_states(4, backend=backend)
    with pytest.raises(dm.InvalidArgumentError, match=r"state 0 has shape \(4, 1\)"):
        dm.sgd_momentum([w], [v_w], {"lr": 0.1, "momentum": 0.5},
                        grads=[B.constant(np.ones((5, 1), np.float32))], backend=backend)
    v64 = B.state(np.zeros((5, 1), np.float64))
    with pytest.raises(dm.InvalidArgumentError, match="dtype float64"):
        dm.sgd_momentum([w], [v64], {"lr": 0.1, "momentum": 0.5},
                        grads=[B.constant(np.ones((5, 1), np.float32))], backend=backend)


def test_gradient_of_another_dtype_is_rejected(backend):
    B = load(backend)
    with B.precision("float64"):
        w, v = B.parameter(np.ones(3, np.float32)), B.state(np.zeros(3, np.float32))
        with pytest.raises(dm.InvalidArgumentError,
                           match="gradient 0 has dtype float64 but parameter 0 has dtype float32"):
            dm.sgd_momentum([w], [v], {"lr": 0.1, "momentum": 0.5}, grads=[B.constant(np.ones(3))], backend=backend)


def test_unknown_hyperparameter_is_rejected():
    with pytest.raises(dm.InvalidArgumentError, match="unknown hyperparameter 'learning_rate'"):
        dm.sgd_momentum([np.ones(2)], [np.zeros(2)], {"lr": 0.1, "momentum": 0.5, "learning_rate": 0.1},
                        grads=[np.ones(2)])
