"""Shared fixtures. The airfoil data is the packaged copy; every backend is tested, none
skipped. The browser fixtures (``chromium``, ``open_page``) live in ``_helpers/browser.py``."""
import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

from _helpers.browser import chromium, open_page  # noqa: E402,F401  (fixtures)
from _helpers import BACKENDS, FRAMEWORKS  # noqa: E402


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
