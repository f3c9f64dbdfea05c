"""``train_2d``/``show_trace_2d``: the printed end points of gradient descent and momentum on
``f(x) = 0.1 x1^2 + 2 x2^2`` equal closed forms on every framework, and the trace is drawn over
d2l's grid, the same on every framework."""
import numpy as np
import pytest

from d2lmomentum import theory

LAMBDAS = (0.2, 4.0)  # the curvatures of f along x1 and x2


def _closed_form(eta, beta, steps):
    """``[(x1_t, x2_t)]`` for ``t = 0..steps``: ``[v, x]_t = R(beta, eta, lambda)^t [0, x_0]`` per axis
    (gradient descent is ``beta = 0``)."""
    return [tuple((np.linalg.matrix_power(theory.momentum_matrix(beta, eta, lam), t) @ [0.0, x0])[1]
                  for lam, x0 in zip(LAMBDAS, theory.START_2D)) for t in range(steps + 1)]


def _momentum_trainer(eta, beta):
    """The chapter's 2D momentum step in the reader's form ``(x1, x2, v1, v2) -> same``."""
    def step(x1, x2, v1, v2):
        v1, v2 = beta * v1 + LAMBDAS[0] * x1, beta * v2 + LAMBDAS[1] * x2
        return x1 - eta * v1, x2 - eta * v2, v1, v2
    return step


@pytest.mark.parametrize("eta,beta", [(0.4, 0.0), (0.6, 0.0), (0.6, 0.5), (0.6, 0.25)])
def test_train_2d_prints_the_closed_form_end_point(d2l, capsys, eta, beta):
    _, module = d2l
    results = module.train_2d(_momentum_trainer(eta, beta))
    expected = _closed_form(eta, beta, 20)
    np.testing.assert_allclose(results, expected, rtol=1e-12, atol=1e-15)
    x1, x2 = expected[-1]
    assert capsys.readouterr().out == f"epoch 20, x1: {x1:f}, x2: {x2:f}\n"


# TensorFlow notes that float() of a shape-(1,) tensor (the chapter's noisy x1) is deprecated
@pytest.mark.filterwarnings("ignore:Conversion of an array with ndim > 0 to a scalar:DeprecationWarning")
def test_train_2d_passes_f_grad_and_takes_the_frameworks_tensors(d2l, capsys):
    framework, module = d2l
    noise = {"tensorflow": lambda: module.normal([1], 0.0, 1.0)}.get(framework, lambda: module.normal(0.0, 1.0, (1,)))
    seen = []

    def sgd(x1, x2, s1, s2, f_grad):
        g1, g2 = f_grad(x1, x2)
        n = noise()
        seen.append(float(n[0]))
        return x1 - 0.1 * (g1 + n), x2 - 0.1 * g2, 0, 0

    results = module.train_2d(sgd, steps=3, f_grad=lambda x1, x2: (0.2 * x1, 4 * x2))
    x1 = theory.START_2D[0]
    for n in seen:
        x1 = x1 - 0.1 * (0.2 * x1 + n)
    assert abs(results[-1][0] - x1) < 1e-5 * abs(x1)  # float32 noise tensors
    assert capsys.readouterr().out.startswith("epoch 3, x1: ")


@pytest.mark.mxnet
def test_show_trace_2d_uses_the_same_grid_on_every_framework():
    from d2lmomentum import mxnet, tensorflow, torch
    grids = []
    for module in (mxnet, torch, tensorflow):
        seen = []
        module.show_trace_2d(lambda a, b: (seen.append((a, b)), theory.f_2d(a, b))[1], [(-5, -2), (0, 0)])
        grids.append(seen[0])
        module.plt.close("all")
    for a, b in grids[1:]:
        np.testing.assert_array_equal(a, grids[0][0])
        np.testing.assert_array_equal(b, grids[0][1])
    x1, x2 = grids[0]
    assert x1.shape == (40, 65)  # x2 rows from -3 to 0.9, x1 columns from -5.5 to 0.9, step 0.1
    np.testing.assert_allclose([x1[0, 0], x1[0, -1], x2[0, 0], x2[-1, 0]], [-5.5, 0.9, -3.0, 0.9], atol=1e-12)
