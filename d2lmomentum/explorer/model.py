"""What the explorer shows, computed by :mod:`d2lmomentum.theory`: each method's trace on
``f_2d`` and, in the directions ``lambda = 0.2`` (x1) and ``4`` (x2), its eigenvalues and
spectral radius (gradient descent: ``1 - eta*lambda`` and ``|1 - eta*lambda|``)."""
import numpy as np

from d2lmomentum import theory
from d2lmomentum.explorer import params

LAMBDAS = np.array(params.LAMBDAS)
STEPS = {"gd": theory.gd_2d, "momentum": theory.momentum_2d, "nesterov": theory.nesterov_2d}


def trace(method, eta, beta, steps, x1, x2):
    """The ``steps + 1`` points of ``method`` from ``(x1, x2)``, shape ``(steps + 1, 2)``."""
    step, kw = STEPS[method], {"eta": eta} if method == "gd" else {"eta": eta, "beta": beta}
    return np.array(theory.train_2d(lambda *a: step(*a, **kw), steps, x1=x1, x2=x2))


def radii(method, eta, beta):
    """The spectral radius at ``lambda = 0.2`` and ``4``."""
    if method == "gd":
        return theory.gd_rate(eta, LAMBDAS)
    return theory.spectral_radius(beta, eta, LAMBDAS, nesterov=method == "nesterov")


def eigenvalues(method, eta, beta):
    """The eigenvalues at ``lambda = 0.2`` and ``4``, shape ``(2, k)``: ``k = 1`` for gradient descent."""
    if method == "gd":
        return (1 - eta * LAMBDAS)[:, None].astype(np.complex128)
    return theory.eigenvalues(beta, eta, LAMBDAS, nesterov=method == "nesterov")


def readout(p):
    """The page's numbers for the setting ``p``: ``x1``, ``x2`` as :func:`params.number` shows
    them, ``runaway`` (per coordinate: its direction's radius is above 1 and it started off zero,
    or it overflowed), ``rho`` (the larger radius), ``diverged`` (``rho > 1``), the end point and
    both radii as floats."""
    end = trace(p["method"], p["eta"], p["beta"], p["steps"], p["x1"], p["x2"])[-1]
    rho = radii(p["method"], p["eta"], p["beta"])
    starts = (p["x1"], p["x2"])
    return {"end": tuple(float(v) for v in end), "radii": tuple(float(r) for r in rho), "rho": float(rho.max()),
            "diverged": bool(rho.max() > 1), "x1": params.number(end[0]), "x2": params.number(end[1]),
            "runaway": tuple(bool((rho[i] > 1 and starts[i] != 0) or not np.isfinite(end[i])) for i in range(2))}
