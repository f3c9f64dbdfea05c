"""Momentum on convex quadratics: the chapter's analysis, checkable. NumPy only.

On ``f(x) = lambda/2 x^2`` the chapter's rule ``v <- beta v + lambda x; x <- x - eta v``
is linear in ``[v, x]``:

.. math::
    \\begin{bmatrix} v_{t+1} \\\\ x_{t+1} \\end{bmatrix} = R \\begin{bmatrix} v_t \\\\ x_t \\end{bmatrix},
    \\qquad R(\\beta, \\eta, \\lambda) =
    \\begin{bmatrix} \\beta & \\lambda \\\\ -\\eta\\beta & 1 - \\eta\\lambda \\end{bmatrix}.

``trace R = 1 + beta - eta*lambda`` and ``det R = beta``, so the eigenvalues are
``(T +- sqrt(T^2 - 4 beta)) / 2``; the iteration converges iff the spectral radius is
below 1, which for ``beta`` in [0, 1) holds exactly when ``0 < eta*lambda < 2 + 2 beta``
(gradient descent, ``beta = 0``: ``0 < eta*lambda < 2``).

Nesterov's variant in the same (PyTorch's) convention, ``v <- beta v + lambda x;
x <- x - eta (lambda x + beta v)`` with the gradient at the current ``x``, is linear too:

.. math::
    N(\\beta, \\eta, \\lambda) =
    \\begin{bmatrix} \\beta & \\lambda \\\\ -\\eta\\beta^2 & 1 - \\eta\\lambda(1 + \\beta) \\end{bmatrix},

``trace N = (1 + beta)(1 - eta*lambda)``, ``det N = beta (1 - eta*lambda)``; it converges
exactly when ``0 < eta*lambda < (2 + 2 beta)/(1 + 2 beta)``. The functions below take
``nesterov=True`` for it.

Every function broadcasts over array arguments.
"""
import numpy as np

from d2lmomentum.errors import InvalidArgumentError

#: The 2D methods the chapter traces: gradient descent, momentum, Nesterov's momentum.
METHODS = ("gd", "momentum", "nesterov")
#: d2l's ``show_trace_2d`` contour grid: ``(start, stop, step)`` of ``arange`` for x1 and x2.
TRACE_GRID = ((-5.5, 1.0, 0.1), (-3.0, 1.0, 0.1))
#: d2l's ``train_2d`` start point.
START_2D = (-5.0, -2.0)


def momentum_matrix(beta, eta, lam, nesterov=False):
    """``R`` (``N`` with ``nesterov``) of shape ``broadcast(beta, eta, lam).shape + (2, 2)``."""
    beta, eta, lam = np.broadcast_arrays(*(np.asarray(a, np.float64) for a in (beta, eta, lam)))
    R = np.empty(beta.shape + (2, 2))
    R[..., 0, 0], R[..., 0, 1] = beta, lam
    if nesterov:
        R[..., 1, 0], R[..., 1, 1] = -eta * beta * beta, 1 - eta * lam * (1 + beta)
    else:
        R[..., 1, 0], R[..., 1, 1] = -eta * beta, 1 - eta * lam
    return R


def _trace_det(beta, eta, lam, nesterov):
    """``(trace, det)`` of ``R`` (``N``), broadcast."""
    beta, eta, lam = (np.asarray(a, np.float64) for a in (beta, eta, lam))
    if nesterov:
        return (1 + beta) * (1 - eta * lam), beta * (1 - eta * lam)
    return 1 + beta - eta * lam, beta


def eigenvalues(beta, eta, lam, nesterov=False):
    """The two (complex) eigenvalues of ``R`` (``N``), ``(T +- sqrt(T^2 - 4 D))/2`` with
    ``T``, ``D`` its trace and determinant, stacked on the last axis."""
    T, D = _trace_det(beta, eta, lam, nesterov)
    root = np.sqrt((T * T - 4 * D).astype(np.complex128))
    return np.stack([(T + root) / 2, (T - root) / 2], axis=-1)


def complex_roots(beta, eta, lam, nesterov=False):
    """Whether the eigenvalues of ``R`` (``N``) are a complex pair, ``T^2 < 4 D``: the error then
    spirals, and for ``R`` its size shrinks by exactly ``sqrt(det R) = sqrt(beta)`` a step."""
    T, D = _trace_det(beta, eta, lam, nesterov)
    return T * T < 4 * D


def spectral_radius(beta, eta, lam, nesterov=False):
    """``max |eigenvalue of R|``: the factor by which the error shrinks per step, asymptotically."""
    return np.abs(eigenvalues(beta, eta, lam, nesterov)).max(axis=-1)


def converges(beta, eta, lam, nesterov=False):
    """Whether momentum (Nesterov's with ``nesterov``) converges on ``lambda/2 x^2``."""
    return spectral_radius(beta, eta, lam, nesterov) < 1


def convergence_bound(beta, nesterov=False):
    """The largest ``eta*lambda`` for which the iteration converges (for ``beta`` in [0, 1)):
    ``2 + 2 beta``, or ``(2 + 2 beta)/(1 + 2 beta)`` for Nesterov's."""
    beta = np.asarray(beta, np.float64)
    return (2 + 2 * beta) / (1 + 2 * beta) if nesterov else 2 + 2 * beta


def gd_rate(eta, lam):
    """Gradient descent's factor per step, ``|1 - eta*lambda|``."""
    return np.abs(1 - np.asarray(eta, np.float64) * np.asarray(lam, np.float64))


def optimal_parameters(mu, L):
    """The best constant parameters for eigenvalues in ``[mu, L]``, ``kappa = L/mu``.

    Heavy ball (Polyak): ``eta = 4/(sqrt(L)+sqrt(mu))^2``, ``beta = ((sqrt(kappa)-1)/(sqrt(kappa)+1))^2``,
    rate ``(sqrt(kappa)-1)/(sqrt(kappa)+1)``. Gradient descent: ``eta = 2/(mu+L)``, rate
    ``(kappa-1)/(kappa+1)``. With ``v`` as in the chapter, heavy ball's step size is ``eta``.
    """
    mu, L = np.asarray(mu, np.float64), np.asarray(L, np.float64)
    if np.any(mu <= 0) or np.any(L < mu):
        raise InvalidArgumentError(f"need 0 < mu <= L, got mu={mu}, L={L}")
    kappa = L / mu
    sk = np.sqrt(kappa)
    rate = (sk - 1) / (sk + 1)
    return {"momentum": {"eta": 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, "beta": rate ** 2, "rate": rate},
            "gd": {"eta": 2 / (mu + L), "rate": (kappa - 1) / (kappa + 1)},
            "kappa": kappa}


def worst_rate(beta, eta, mu, L):
    """Momentum's slowest rate over all eigenvalues in ``[mu, L]``: ``max(rho(mu), rho(L))``.

    Exact, not sampled: as ``lambda`` grows, ``T = 1 + beta - eta*lambda`` falls; ``rho`` is the
    real root ``(|T| + sqrt(T^2 - 4 beta))/2`` while ``|T| > 2 sqrt(beta)``, which shrinks as ``|T|``
    does, and ``sqrt(beta)`` in between, so its largest value on an interval is at an end.
    ``beta = 0`` is gradient descent's ``max |1 - eta*lambda|``.
    """
    mu, L = np.asarray(mu, np.float64), np.asarray(L, np.float64)
    if np.any(mu <= 0) or np.any(L < mu):
        raise InvalidArgumentError(f"need 0 < mu <= L, got mu={mu}, L={L}")
    return np.maximum(spectral_radius(beta, eta, mu), spectral_radius(beta, eta, L))


def effective_weight(beta, steps):
    """``sum_{tau < steps} beta^tau``, which tends to ``1/(1-beta)``."""
    beta = np.asarray(beta, np.float64)
    return np.sum(beta[..., None] ** np.arange(steps), axis=-1)


def run_quadratic(lambdas, eta, beta, steps, x0=1.0):
    """GD and momentum on ``f(x) = 1/2 sum_i lambda_i x_i^2`` from ``x_i = x0``.

    Returns ``{'gd': (steps+1, n), 'momentum': (steps+1, n)}`` trajectories, row t = x_t.
    """
    lam = np.asarray(lambdas, np.float64)
    x_gd = np.full(lam.shape, float(x0))
    x, v = x_gd.copy(), np.zeros_like(x_gd)
    gd, mom = [x_gd.copy()], [x.copy()]
    for _ in range(steps):
        x_gd = x_gd - eta * lam * x_gd
        v = beta * v + lam * x
        x = x - eta * v
        gd.append(x_gd.copy())
        mom.append(x.copy())
    return {"gd": np.array(gd), "momentum": np.array(mom)}


def quadratic_minimum(Q, c, b=0.0):
    """Minimiser ``-Q^{-1} c`` and minimum ``b - 1/2 c^T Q^{-1} c`` of ``1/2 x^T Q x + x^T c + b``."""
    Q, c = np.asarray(Q, np.float64), np.asarray(c, np.float64)
    if Q.ndim != 2 or Q.shape[0] != Q.shape[1] or c.shape != (Q.shape[0],):
        raise InvalidArgumentError(f"need Q of shape (n, n) and c of shape (n,), got {Q.shape} and {c.shape}")
    if not np.allclose(Q, Q.T, rtol=1e-12, atol=1e-12 * np.abs(Q).max()):
        raise InvalidArgumentError("Q must be symmetric (Q == Q.T); use (Q + Q.T)/2 for the same quadratic form")
    try:
        chol = np.linalg.cholesky(Q)
    except np.linalg.LinAlgError:
        eig = np.linalg.eigvalsh(Q).min()
        raise InvalidArgumentError(
            f"Q must be positive definite (smallest eigenvalue {eig:.3g} <= 0): h has no unique minimum") from None
    x = -np.linalg.solve(chol.T, np.linalg.solve(chol, c))
    return x, float(b + 0.5 * c @ x)


# -- the chapter's 2D example: f(x) = 0.1 x1^2 + 2 x2^2 ------------------------------------
def f_2d(x1, x2):
    """The ill-conditioned quadratic ``0.1 x1^2 + 2 x2^2``."""
    return 0.1 * x1 ** 2 + 2 * x2 ** 2


def gd_2d(x1, x2, s1, s2, eta=0.4):
    """One gradient step on :func:`f_2d` (gradient ``(0.2 x1, 4 x2)``); states unused."""
    return (x1 - eta * 0.2 * x1, x2 - eta * 4 * x2, 0, 0)


def momentum_2d(x1, x2, v1, v2, eta=0.6, beta=0.5):
    """One momentum step on :func:`f_2d`."""
    v1 = beta * v1 + 0.2 * x1
    v2 = beta * v2 + 4 * x2
    return x1 - eta * v1, x2 - eta * v2, v1, v2


def nesterov_2d(x1, x2, v1, v2, eta=0.6, beta=0.5):
    """One Nesterov step on :func:`f_2d`: ``v <- beta v + g; x <- x - eta (g + beta v)``, ``g``
    the gradient at the current ``x``."""
    g1, g2 = 0.2 * x1, 4 * x2
    v1 = beta * v1 + g1
    v2 = beta * v2 + g2
    return x1 - eta * (g1 + beta * v1), x2 - eta * (g2 + beta * v2), v1, v2


def point(x1, x2):
    """``(x1, x2)`` as Python floats; each a number or any framework's one-element tensor of any
    shape (a trainer adding d2l's ``normal([1], 0, 1)`` noise returns shape ``(1,)``, which
    NumPy 2's ``float()`` refuses)."""
    return np.asarray(x1, dtype=np.float64).item(), np.asarray(x2, dtype=np.float64).item()


def train_2d(trainer, steps=20, f_grad=None, x1=START_2D[0], x2=START_2D[1]):
    """Iterate ``trainer(x1, x2, s1, s2[, f_grad])`` from ``(x1, x2)``, states from 0, as d2l's
    ``train_2d`` (which also prints the end point); returns the ``steps + 1`` points as floats."""
    s1 = s2 = 0
    points = [point(x1, x2)]
    for _ in range(steps):
        if f_grad is None:
            x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        else:
            x1, x2, s1, s2 = trainer(x1, x2, s1, s2, f_grad)
        points.append(point(x1, x2))
    return points
