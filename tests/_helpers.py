"""Helpers shared by the tests (importable: tests/ is on pytest's pythonpath)."""
import os
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FRAMEWORKS = ("pytorch", "tensorflow", "mxnet")
BACKENDS = ("numpy",) + FRAMEWORKS

if not os.environ.get("D2LMOMENTUM_DATA_DIR") and (SHARED / "data").is_dir():
    os.environ["D2LMOMENTUM_DATA_DIR"] = str(SHARED / "data")


def rel_err(a, b):
    """Worst relative error of ``a`` against the expectation ``b``, elementwise."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-30)))
