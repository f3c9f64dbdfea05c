"""Shared fixtures. The airfoil data is the packaged copy; every backend is tested, none
skipped. The browser fixtures (``chromium``, ``open_page``) live in ``_helpers/browser.py``.

Tests that need mxnet carry the ``mxnet`` marker, so that an environment without it (numpy ≥ 2:
``.ci/run``'s second one) runs ``pytest -m "not mxnet"`` and reports them as deselected, not
skipped. The marker is added here to every test that runs on mxnet through a parameter (see
:func:`needs_mxnet`); a test that uses mxnet inside (a ``--backend all`` run) says so with
``@pytest.mark.mxnet``. An unmarked test that needs mxnet fails in that environment."""
import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

from _helpers.browser import chromium, open_page  # noqa: E402,F401  (fixtures)
from _helpers import BACKENDS, FRAMEWORKS  # noqa: E402

#: The parameters (and parametrized fixtures: ``backend``, ``framework``, the drop-in's ``d2l``)
#: whose value is the framework a test runs on.
FRAMEWORK_PARAMETERS = ("backend", "framework", "fw", "name", "d2l")


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


def needs_mxnet(item):
    """Whether the test ``item`` runs on mxnet by what it is called or given: one of
    :data:`FRAMEWORK_PARAMETERS` is ``mxnet`` (or its alias ``mx``), or its name starts with
    ``test_mxnet_``."""
    given = item.callspec.params if hasattr(item, "callspec") else {}
    if any(str(given.get(key, "")).strip().lower() in ("mx", "mxnet") for key in FRAMEWORK_PARAMETERS):
        return True
    return getattr(item, "originalname", item.name).startswith("test_mxnet_")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if needs_mxnet(item):
            item.add_marker(pytest.mark.mxnet)
