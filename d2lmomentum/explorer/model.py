"""What the explorer shows, computed by :mod:`d2lmomentum.theory`: each method's trace on
``f_2d`` and, in the directions ``lambda = 0.2`` (x1) and ``4`` (x2), its eigenvalues and
spectral radius (gradient descent: ``1 - eta*lambda`` and ``|1 - eta*lambda|``)."""
import numpy as np

from d2lmomentum import theory

LAMBDAS = np.array([0.2, 4.0])
STEPS = {"gd": theory.gd_2d, "momentum": theory.momentum_2d, "nesterov": theory.nesterov_2d}
NAMES = {"gd": "경사 하강", "momentum": "모멘텀", "nesterov": "네스테로프"}


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
    """The page's numbers for the setting ``p``: ``x1``, ``x2`` as ``'%.6f'`` or ``'발산'`` (the
    direction's radius is above 1 and the coordinate started off zero), ``rho`` (the larger
    radius), ``diverged`` (``rho > 1``), the end point and both radii as floats."""
    end = trace(p["method"], p["eta"], p["beta"], p["steps"], p["x1"], p["x2"])[-1]
    rho = radii(p["method"], p["eta"], p["beta"])
    out = {"end": tuple(float(v) for v in end), "radii": tuple(float(r) for r in rho), "rho": float(rho.max()),
           "diverged": bool(rho.max() > 1)}
    for i, start in enumerate((p["x1"], p["x2"])):
        runaway = (rho[i] > 1 and start != 0) or not np.isfinite(end[i])
        out[f"x{i + 1}"] = "발산" if runaway else f"{end[i]:.6f}"
    return out
