"""Property-based: ``sgd_momentum`` on random shapes, values and learning rates, with the
momentum and Nesterov choice of each named configuration (``parity.CONFIGS``), equals the
closed form ``v_t = sum_tau beta^tau g_{t-tau}``, keeping dtype and shape, on every backend: in
place where the framework mutates (the same tensors come back), as new arrays on JAX."""
import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes

import d2lmomentum as dm
from d2lmomentum.backends import load
from d2lmomentum.configs import CONFIGS

from _helpers import momentum_closed_form as _closed_form


@st.composite
def problems(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    steps = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    lr = draw(st.floats(1e-4, 1.0))
    config = draw(st.sampled_from(CONFIGS))
    beta, nesterov = config.momentum, config.nesterov
    scale = draw(st.sampled_from([1e-3, 1.0, 1e3]))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    return shape, steps, seed, lr, beta, nesterov, scale, dtype


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(problem=problems())
def test_sgd_momentum_is_the_closed_form(backend, problem):
    shape, steps, seed, lr, beta, nesterov, scale, dtype = problem
    rng = np.random.default_rng(seed)
    p0 = (rng.standard_normal(shape) * scale).astype(dtype)
    gs = [(rng.standard_normal(shape) * scale).astype(dtype) for _ in range(steps)]
    B = load(backend)
    with B.precision(dtype):
        p, v = B.parameter(p0), B.state(np.zeros(shape, dtype))
        for g in gs:
            (p_new,), (v_new,) = dm.sgd_momentum([p], [v], {"lr": lr, "momentum": beta, "nesterov": nesterov},
                                                 grads=[B.constant(g)], backend=backend)
            # in place: the tensors passed in come back, holding the result (checked below)
            assert (p_new is p and v_new is v) == B.in_place
            p, v = p_new, v_new
        assert B.shape(p) == shape and B.shape(v) == shape
        assert B.dtype_name(p) == dtype and B.dtype_name(v) == dtype
    p_exp, v_exp = _closed_form(p0, [g.astype(np.float64) for g in gs], lr, beta, nesterov)
    eps = np.finfo(dtype).eps
    # error bound: a few roundings per step, on the scale of the values involved
    bound = 8 * steps * eps * (np.abs(p0).max() + lr * steps * np.abs(np.stack(gs)).max() / (1 - beta)
                               + np.abs(p_exp).max())
    assert np.abs(B.to_numpy(p) - p_exp).max() <= bound
    assert np.abs(B.to_numpy(v) - v_exp).max() <= 8 * steps * eps * steps * np.abs(np.stack(gs)).max() / (1 - beta)
