"""Helpers shared by the tests (importable: tests/ is on pytest's pythonpath)."""
import os
from pathlib import Path

import numpy as np
import pytest

from d2lmomentum.backends import FRAMEWORKS, NAMES as BACKENDS  # noqa: F401  (re-exported)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def unavailable(reason, hint):
    """Skip for want of something a dev machine may lack (``reason``, with how to get it: ``hint``);
    under CI (``CI=true``), which has everything, fail instead, so that CI skips nothing."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason}; CI must run this test. {hint}")
    pytest.skip(f"{reason}. {hint}")


def rel_err(a, b):
    """Worst relative error of ``a`` against the expectation ``b``, elementwise."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-30)))


def momentum_closed_form(p0, gs, lr, beta, nesterov=False):
    """``(p_T, v_T)`` from ``v_t = sum_tau beta^tau g_{t-tau}`` and ``p_t = p_{t-1} - lr*v_t``
    (Nesterov: ``p_t = p_{t-1} - lr*(g_t + beta*v_t)``), in float64."""
    p = np.asarray(p0, np.float64).copy()
    v = np.zeros_like(p)
    for t in range(1, len(gs) + 1):
        v = sum(beta ** tau * np.asarray(gs[t - 1 - tau], np.float64) for tau in range(t))
        p = p - lr * (gs[t - 1] + beta * v if nesterov else v)
    return p, v
