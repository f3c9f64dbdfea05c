"""Each adapter's fast paths compute what the simple path written once in ops.py computes."""
import numpy as np
import pytest

from d2lmomentum.backends import load
from d2lmomentum.ops import reference_momentum_update

from _helpers import FRAMEWORKS


class _SimplePath:
    """One ``loss_grads`` call and the reference update per minibatch, on ``backend``'s tensors."""

    def __init__(self, backend):
        self.B = backend

    def train_steps(self, params, states, X, y, batch_size, lr, momentum, nesterov=False):
        B = self.B
        for s in range(0, B.shape(X)[0], batch_size):
            grads = B.loss_grads(params, X[s:s + batch_size], y[s:s + batch_size])
            for p, v, g in zip(params, states, grads):
                reference_momentum_update(B, p, v, g, lr, momentum, nesterov)


@pytest.mark.parametrize("name", FRAMEWORKS)
@pytest.mark.parametrize("momentum,nesterov", [(0.0, False), (0.9, False), (0.5, True)])
def test_fast_train_steps_match_the_simple_path(name, airfoil, momentum, nesterov):
    B = load(name)
    X, y = (np.ascontiguousarray(a[:400]) for a in airfoil)
    w0 = np.random.default_rng(0).normal(0, 0.01, (5, 1)).astype(np.float32)
    runs = []
    for path in (B, _SimplePath(B)):
        params = [B.parameter(w0), B.parameter(np.zeros(1, np.float32))]
        states = [B.state(np.zeros((5, 1), np.float32)), B.state(np.zeros(1, np.float32))]
        for _ in range(3):
            path.train_steps(params, states, B.constant(X), B.constant(y), 10, 0.02, momentum, nesterov)
        runs.append(np.concatenate([B.to_numpy(p).ravel() for p in params + states]))
    fast, simple = runs
    assert not np.array_equal(fast[:6], np.concatenate([w0.ravel(), [0]]))  # it trained
    assert np.max(np.abs(fast - simple)) <= 1e-5 * np.max(np.abs(simple))


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_fast_update_on_several_tensors_matches_the_reference(name):
    B = load(name)
    rng = np.random.default_rng(1)
    shapes = [(5, 1), (1,), (70000,)]  # small ones (batched kernels) and a large one
    init = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [B.constant(rng.standard_normal(s).astype(np.float32)) for s in shapes]
    fast = ([B.parameter(a) for a in init], [B.state(a * 0) for a in init])
    ref = ([B.parameter(a) for a in init], [B.state(a * 0) for a in init])
    for _ in range(4):
        B.momentum_update_all(fast[0], fast[1], grads, 0.05, 0.9)
        for p, v, g in zip(ref[0], ref[1], grads):
            reference_momentum_update(B, p, v, g, 0.05, 0.9)
    for a, b in zip(fast[0] + fast[1], ref[0] + ref[1]):
        a, b = B.to_numpy(a), B.to_numpy(b)
        assert np.max(np.abs(a - b)) <= 4 * np.finfo(np.float32).eps * np.max(np.abs(b))
