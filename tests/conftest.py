"""Shared fixtures. The airfoil data comes from ``../shared/data`` via D2LMOMENTUM_DATA_DIR
(set by .ci/run and the README's test command); every backend is tested, none skipped."""
import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

from _helpers import BACKENDS, FRAMEWORKS  # noqa: E402  (also sets D2LMOMENTUM_DATA_DIR)


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture(params=FRAMEWORKS)
def framework(request):
    return request.param


@pytest.fixture(scope="session")
def airfoil():
    from d2lmomentum.data import load_airfoil
    return load_airfoil()
