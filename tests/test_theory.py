"""The chapter's claims about momentum on quadratics, against independent computation."""
import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum import theory
from d2lmomentum.backends import load


def test_matrix_matches_the_chapter():
    R = theory.momentum_matrix(0.5, 0.1, 3.0)
    np.testing.assert_array_equal(R, [[0.5, 3.0], [-0.05, 0.7]])


def test_closed_form_eigenvalues_equal_numpys():
    rng = np.random.default_rng(0)
    beta, eta, lam = rng.uniform(0, 1, 500), rng.uniform(0, 2, 500), rng.uniform(0, 5, 500)
    expected = np.abs(np.linalg.eigvals(theory.momentum_matrix(beta, eta, lam))).max(axis=-1)
    np.testing.assert_allclose(theory.spectral_radius(beta, eta, lam), expected, rtol=1e-6, atol=1e-12)


BAND = 1e-9


def test_convergence_region_is_exactly_0_lt_etalam_lt_2_plus_2beta():
    x = np.linspace(-0.5, 5.0, 2751)
    beta = np.linspace(0.0, 0.999, 1000)
    X, B = np.meshgrid(x, beta)
    off_band = (np.abs(X) >= BAND) & (np.abs(X - (2 + 2 * B)) >= BAND)  # on the boundary rho == 1
    X, B = X[off_band], B[off_band]
    assert X.size > 2_700_000
    # and points at BAND on either side of each analytic boundary
    Xb = np.concatenate([X.ravel(), 2 + 2 * beta - BAND, 2 + 2 * beta + BAND, np.full_like(beta, BAND),
                         np.full_like(beta, -BAND)])
    Bb = np.concatenate([B.ravel(), beta, beta, beta, beta])
    analytic = (Xb > 0) & (Xb < 2 + 2 * Bb)
    rho = theory.spectral_radius(Bb, Xb, 1.0)
    assert np.array_equal(rho < 1, analytic)
    # beta = 0 is gradient descent: 0 < eta*lambda < 2, and its rate is |1 - eta*lambda|
    np.testing.assert_allclose(theory.spectral_radius(0.0, x, 1.0), theory.gd_rate(x, 1.0), atol=1e-12)


def test_iterating_R_equals_the_matrix_power():
    R = theory.momentum_matrix(0.9, 0.3, 2.0)
    z = np.array([0.0, 1.0])
    for _ in range(25):
        z = R @ z
    np.testing.assert_allclose(z, np.linalg.matrix_power(R, 25) @ [0.0, 1.0], rtol=1e-12)


@pytest.mark.parametrize("beta,eta,lam", [(0.9, 0.3, 2.0), (0.5, 0.6, 3.5), (0.0, 0.1, 4.0)])
def test_sgd_momentum_on_a_1d_quadratic_is_R_to_the_t(backend, beta, eta, lam):
    B = load(backend)
    steps = 30
    with B.precision("float64"):  # JAX: float64 for this block only
        x, v = B.parameter(np.array([1.0])), B.state(np.array([0.0]))
        for _ in range(steps):  # every framework returns (params, states); JAX's are new arrays
            (x,), (v,) = dm.sgd_momentum([x], [v], {"lr": eta, "momentum": beta}, grads=[x * lam], backend=backend)
        got = np.array([B.to_numpy(v)[0], B.to_numpy(x)[0]])
    expected = np.linalg.matrix_power(theory.momentum_matrix(beta, eta, lam), steps) @ [0.0, 1.0]
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("kappa", [1.5, 10.0, 100.0, 1e4])
def test_optimal_parameters_reach_their_rate_and_beat_gd(kappa):
    mu, L = 0.5, 0.5 * kappa
    best = theory.optimal_parameters(mu, L)
    m, g = best["momentum"], best["gd"]
    lams = np.linspace(mu, L, 20001)
    worst = theory.spectral_radius(m["beta"], m["eta"], lams).max()
    assert worst == pytest.approx(m["rate"], rel=1e-6)
    assert theory.gd_rate(g["eta"], lams).max() == pytest.approx(g["rate"], rel=1e-12)
    assert m["rate"] < g["rate"]
    # no other GD step size does better
    etas = np.linspace(0.01, 2 / L, 400)
    assert min(theory.gd_rate(e, lams).max() for e in etas) >= g["rate"] - 1e-9


def test_effective_weight_tends_to_one_over_one_minus_beta():
    for beta in (0.0, 0.5, 0.9, 0.95):
        assert theory.effective_weight(beta, 2000) == pytest.approx(1 / (1 - beta), rel=1e-12)
    assert theory.effective_weight(0.9, 10) == pytest.approx((1 - 0.9 ** 10) / 0.1, rel=1e-12)


def test_run_quadratic_matches_closed_forms():
    lambdas = 2.0 ** -np.arange(5)
    runs = theory.run_quadratic(lambdas, 0.5, 0.9, 40)
    t = np.arange(41)[:, None]
    np.testing.assert_allclose(runs["gd"], (1 - 0.5 * lambdas) ** t, rtol=1e-12)
    for i, lam in enumerate(lambdas):
        R = theory.momentum_matrix(0.9, 0.5, lam)
        np.testing.assert_allclose(runs["momentum"][40, i], (np.linalg.matrix_power(R, 40) @ [0, 1])[1],
                                   rtol=1e-9, atol=1e-15)


def test_quadratic_minimum_agrees_with_iterative_minimisation():
    rng = np.random.default_rng(5)
    for n in (2, 5, 10):
        A = rng.normal(size=(n, n))
        Q = A @ A.T + n * np.eye(n)
        c, b = rng.normal(size=n), 1.7
        x_star, h_star = theory.quadratic_minimum(Q, c, b)
        h = lambda x: 0.5 * x @ Q @ x + x @ c + b  # noqa: E731
        ev = np.linalg.eigvalsh(Q)
        best = theory.optimal_parameters(ev[0], ev[-1])["momentum"]
        x, v = np.zeros(n), np.zeros(n)
        for _ in range(3000):  # heavy ball on the gradient Qx + c
            v = best["beta"] * v + Q @ x + c
            x = x - best["eta"] * v
        np.testing.assert_allclose(x_star, x, rtol=1e-9, atol=1e-12)
        assert h_star == pytest.approx(h(x), rel=1e-12)
        assert all(h(x_star + 1e-3 * rng.normal(size=n)) > h_star for _ in range(20))


@pytest.mark.parametrize("Q,match", [([[1.0, 2.0], [0.0, 1.0]], "symmetric"),
                                     ([[1.0, 0.0], [0.0, -1.0]], "positive definite"),
                                     ([[1.0, 0.0, 0.0]], "shape")])
def test_quadratic_minimum_rejects_bad_Q(Q, match):
    with pytest.raises(dm.InvalidArgumentError, match=match):
        theory.quadratic_minimum(Q, np.zeros(2))


def test_2d_traces_end_where_the_closed_form_says():
    gd = theory.train_2d(lambda *a: theory.gd_2d(*a, eta=0.4))
    assert gd[-1] == pytest.approx((-5 * (1 - 0.4 * 0.2) ** 20, -2 * (1 - 0.4 * 4) ** 20), rel=1e-12)
    mom = theory.train_2d(lambda *a: theory.momentum_2d(*a, eta=0.6, beta=0.5))
    for coord, lam, x0 in ((0, 0.2, -5.0), (1, 4.0, -2.0)):
        R = theory.momentum_matrix(0.5, 0.6, lam)
        assert mom[-1][coord] == pytest.approx((np.linalg.matrix_power(R, 20) @ [0, x0])[1], rel=1e-9)


def test_cli_theory_writes_the_figures(tmp_path):
    from d2lmomentum.cli import main
    assert main(["theory", "--out", str(tmp_path), "--backend", "numpy"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["convergence_region.png", "exercise2_eigen_decay.png", "exercise4_batch_momentum.png",
                     "rate_vs_condition.png"]
    assert all((tmp_path / n).stat().st_size > 5000 for n in names)


# -- Nesterov (PyTorch's convention: v <- beta v + g; x <- x - eta (g + beta v)) ------------
def test_nesterov_matrix_is_one_step_of_the_rule():
    rng = np.random.default_rng(1)
    for beta, eta, lam, v, x in rng.uniform([0, 0, 0, -3, -3], [1, 2, 5, 3, 3], (50, 5)):
        v1 = beta * v + lam * x
        x1 = x - eta * (lam * x + beta * v1)
        np.testing.assert_allclose(theory.momentum_matrix(beta, eta, lam, nesterov=True) @ [v, x], [v1, x1],
                                   rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(theory.momentum_matrix(0.5, 0.1, 3.0, nesterov=True),
                                  [[0.5, 3.0], [-0.025, 1 - 0.1 * 3.0 * 1.5]])


def test_nesterov_closed_form_eigenvalues_equal_numpys():
    rng = np.random.default_rng(2)
    beta, eta, lam = rng.uniform(0, 1, 500), rng.uniform(0, 2, 500), rng.uniform(0, 5, 500)
    N = theory.momentum_matrix(beta, eta, lam, nesterov=True)
    expected = np.sort_complex(np.linalg.eigvals(N))
    got = np.sort_complex(theory.eigenvalues(beta, eta, lam, nesterov=True))
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(theory.spectral_radius(beta, eta, lam, nesterov=True),
                               np.abs(expected).max(axis=-1), rtol=1e-6, atol=1e-12)


def test_nesterov_convergence_region_is_0_lt_etalam_lt_bound():
    x = np.linspace(-0.5, 3.0, 1751)
    beta = np.linspace(0.0, 0.999, 500)
    X, B = np.meshgrid(x, beta)
    bound = theory.convergence_bound(B, nesterov=True)
    off_band = (np.abs(X) >= BAND) & (np.abs(X - bound) >= BAND)
    X, B, bound = X[off_band], B[off_band], bound[off_band]
    edges = theory.convergence_bound(beta, nesterov=True)
    Xb = np.concatenate([X, edges - BAND, edges + BAND, np.full_like(beta, BAND), np.full_like(beta, -BAND)])
    Bb = np.concatenate([B, beta, beta, beta, beta])
    analytic = (Xb > 0) & (Xb < theory.convergence_bound(Bb, nesterov=True))
    assert np.array_equal(theory.converges(Bb, Xb, 1.0, nesterov=True), analytic)
    # Nesterov's region is the narrower one; at beta = 0 both are gradient descent's 0 < eta*lambda < 2
    assert np.all(theory.convergence_bound(beta, nesterov=True) <= theory.convergence_bound(beta))
    assert theory.convergence_bound(0.0, nesterov=True) == theory.convergence_bound(0.0) == 2
    np.testing.assert_allclose(theory.spectral_radius(0.0, x, 1.0, nesterov=True), theory.gd_rate(x, 1.0),
                               atol=1e-12)


@pytest.mark.parametrize("eta,beta", [(0.6, 0.5), (0.3, 0.9), (0.45, 0.0), (1.0, 0.2)])
def test_nesterov_2d_is_the_matrix_power_and_the_closed_form(eta, beta):
    from _helpers import momentum_closed_form
    points = theory.train_2d(lambda *a: theory.nesterov_2d(*a, eta=eta, beta=beta), steps=30)
    for coord, lam, x0 in ((0, 0.2, -5.0), (1, 4.0, -2.0)):
        N = theory.momentum_matrix(beta, eta, lam, nesterov=True)
        expected = [(np.linalg.matrix_power(N, t) @ [0.0, x0])[1] for t in range(31)]
        np.testing.assert_allclose([p[coord] for p in points], expected, rtol=1e-9, atol=1e-13)
    # the same iterate from the summed form of v, with the gradients the iterate saw
    xs = np.array(points)
    grads = xs[:-1] * [0.2, 4.0]
    p, _ = momentum_closed_form(xs[0], grads, eta, beta, nesterov=True)
    np.testing.assert_allclose(p, xs[-1], rtol=1e-9, atol=1e-13)


def test_nesterov_2d_matches_sgd_momentum_with_nesterov():
    x, v = np.array([-5.0, -2.0]), np.zeros(2)
    for _ in range(20):
        dm.sgd_momentum([x], [v], {"lr": 0.6, "momentum": 0.5, "nesterov": True}, grads=[x * [0.2, 4.0]],
                        backend="numpy")
    points = theory.train_2d(lambda *a: theory.nesterov_2d(*a, eta=0.6, beta=0.5))
    np.testing.assert_allclose(x, points[-1], rtol=1e-12)


def test_momentum_functions_without_the_flag_are_heavy_ball():
    rng = np.random.default_rng(3)
    beta, eta, lam = rng.uniform(0, 1, 50), rng.uniform(0, 2, 50), rng.uniform(0, 5, 50)
    assert not np.allclose(theory.spectral_radius(beta, eta, lam),
                           theory.spectral_radius(beta, eta, lam, nesterov=True))
    np.testing.assert_array_equal(theory.momentum_matrix(beta, eta, lam)[..., 1, 0], -eta * beta)


def test_complex_roots_is_where_numpys_eigenvalues_leave_the_real_line():
    rng = np.random.default_rng(4)
    beta, eta, lam = rng.uniform(0, 1, 2000), rng.uniform(0, 2, 2000), rng.uniform(0, 5, 2000)
    for nesterov in (False, True):
        M = theory.momentum_matrix(beta, eta, lam, nesterov=nesterov)
        T, D = np.trace(M, axis1=-2, axis2=-1), np.linalg.det(M)
        clear = np.abs(T * T - 4 * D) > 1e-6  # off the double-root boundary
        ev = np.linalg.eigvals(M[clear])
        got = theory.complex_roots(beta, eta, lam, nesterov=nesterov)[clear]
        np.testing.assert_array_equal(got, np.abs(ev.imag).max(axis=-1) > 1e-9)
        assert 0.2 < got.mean() < 0.9  # both kinds occur
    # heavy ball's complex pair has modulus sqrt(det R) = sqrt(beta)
    spiral = theory.complex_roots(beta, eta, lam)
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(theory.momentum_matrix(beta, eta, lam)[spiral])),
                               np.sqrt(beta[spiral])[:, None] * [1, 1], rtol=1e-9)


def test_worst_rate_is_the_largest_radius_on_a_dense_grid():
    rng = np.random.default_rng(6)
    for beta, eta, mu, width in rng.uniform([0, 0.01, 0.01, 0], [0.99, 1.5, 2, 10], (200, 4)):
        lams = np.linspace(mu, mu + width, 2001)
        assert theory.worst_rate(beta, eta, mu, mu + width) == pytest.approx(
            theory.spectral_radius(beta, eta, lams).max(), rel=1e-12)
    # Polyak's parameters reach their rate; beta = 0 is gradient descent's worst factor
    best = theory.optimal_parameters(0.2, 4.0)
    assert theory.worst_rate(best["momentum"]["beta"], best["momentum"]["eta"], 0.2, 4.0) == pytest.approx(
        best["momentum"]["rate"], rel=1e-9)
    assert theory.worst_rate(0.0, best["gd"]["eta"], 0.2, 4.0) == pytest.approx(best["gd"]["rate"], rel=1e-12)
    with pytest.raises(dm.InvalidArgumentError, match="0 < mu <= L"):
        theory.worst_rate(0.5, 0.6, 4.0, 0.2)
