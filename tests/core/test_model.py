"""The model of ``d2lmomentum.model``: its closed-form gradient against central differences, and
every adapter's loss, autograd step and tensor ops against the NumPy closed form, for both loss
scales."""
import numpy as np
import pytest

from d2lmomentum import model
from d2lmomentum.backends import load

from _helpers import rel_err


def _problem(dtype, n=12, d=5):
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(n, d)), rng.normal(size=(n, 1))
    w, b = rng.normal(size=(d, 1)), rng.normal(size=1)
    return [a.astype(dtype) for a in (X, y, w, b)]


@pytest.mark.parametrize("scale", [model.HALF, model.PLAIN])
def test_closed_form_gradient_is_the_derivative(scale):
    X, y, w, b = _problem("float64")
    B = load("numpy")
    gw, gb = model.gradients(B, [w, b], X, y, scale)
    assert gw.shape == w.shape and gb.shape == b.shape

    def loss_at(w_, b_):
        return float(np.mean((X @ w_ + b_ - y) ** 2) * scale)  # the loss written out here

    assert loss_at(w, b) == pytest.approx(B.loss([w, b], X, y) * scale / model.HALF, rel=1e-15)
    h = 1e-6  # central differences: error ~h^2 times the third derivative (0 here) + rounding ~1e-16/h
    numeric_w = [(loss_at(w + h * e, b) - loss_at(w - h * e, b)) / (2 * h) for e in np.eye(len(w))[:, :, None]]
    numeric_b = (loss_at(w, b + h) - loss_at(w, b - h)) / (2 * h)
    assert rel_err(gw.ravel(), np.ravel(numeric_w)) < 1e-8
    assert rel_err(gb, [numeric_b]) < 1e-8


@pytest.mark.parametrize("scale", [model.HALF, model.PLAIN])
@pytest.mark.parametrize("dtype,tol", [("float32", 1e-5), ("float64", 1e-13)])  # a few roundings of a sum of 12
def test_autograd_step_and_loss_equal_the_closed_form(backend, dtype, tol, scale):
    X, y, w, b = _problem(dtype)
    B, ref = load(backend), load("numpy")
    expected = model.gradients(ref, [w, b], X.astype(np.float64), y, scale)
    with B.precision(dtype):  # JAX: float64 enabled for this block only
        params = [B.parameter(w), B.parameter(b)]
        by_autograd = B.loss_grads(params, B.constant(X), B.constant(y), scale)
        # the closed form on the framework's own tensor ops (matmul, transpose, sum_rows) too
        in_closed_form = model.gradients(B, params, B.constant(X), B.constant(y), scale)
        for grads in (by_autograd, in_closed_form):
            for g, e in zip(grads, expected):
                assert B.dtype_name(g) == dtype and B.shape(g) == e.shape
                assert rel_err(B.to_numpy(g), e) < tol
        loss = B.loss(params, B.constant(X), B.constant(y))
    assert rel_err(loss, ref.loss([w, b], X.astype(np.float64), y)) < tol
