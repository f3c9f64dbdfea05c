"""The backend registry: names, aliases, defaults, and errors that say how to fix them."""
import dataclasses
import importlib.util
import subprocess
import sys

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum import backends


@pytest.mark.parametrize("alias,name", [("np", "numpy"), ("torch", "pytorch"), ("tf", "tensorflow"),
                                        ("mx", "mxnet"), ("PyTorch", "pytorch"), ("mxnet", "mxnet"),
                                        ("jax", "jax"), ("JAX", "jax")])
def test_aliases_resolve(alias, name):
    assert backends.canonical_name(alias) == name


def test_available_backends_are_those_whose_framework_imports(monkeypatch):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "mxnet" else real(name))
    assert dm.available_backends() == ["numpy", "pytorch", "tensorflow", "jax"]
    assert backends.is_installed("torch") and not backends.is_installed("mx")


def test_unknown_name_lists_valid_names():
    with pytest.raises(dm.BackendError) as e:
        dm.set_backend("paddle")
    for name in ("numpy", "pytorch", "tensorflow", "mxnet", "jax"):
        assert name in str(e.value)


def test_missing_framework_names_the_extra(monkeypatch):
    monkeypatch.setattr(backends, "is_installed", lambda name: False)
    monkeypatch.delitem(backends._loaded, "mxnet", raising=False)
    with pytest.raises(dm.BackendNotInstalledError, match=r"d2lmomentum\[mxnet\]"):
        backends.load("mx")


def test_the_registry_holds_what_a_backend_is_and_only_that():
    fields = [f.name for f in dataclasses.fields(backends.Registered)]
    assert fields == ["name", "display_name", "module", "extra", "alias"]
    jax_row = next(row for row in backends.REGISTRY if row.name == "jax")
    assert (jax_row.display_name, jax_row.module, jax_row.extra) == ("JAX", "jax", "jax")
    with pytest.raises(dataclasses.FrozenInstanceError):
        jax_row.alias = "j"
    assert backends.FRAMEWORKS == ("pytorch", "tensorflow", "mxnet", "jax")


def test_without_jax_the_package_imports_and_asking_for_it_names_the_extra():
    code = ("import sys; sys.modules['jax'] = None  # as if not installed\n"
            "import importlib.util; real = importlib.util.find_spec\n"
            "importlib.util.find_spec = lambda n, *a: None if n == 'jax' else real(n, *a)\n"
            "import d2lmomentum as dm\n"
            "print(dm.available_backends())\n"
            "dm.train_momentum(0.02, 0.5, backend='jax')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    # every other backend whose framework this environment has (mxnet is absent on the numpy-2 stack)
    others = [row.name for row in backends.REGISTRY
              if row.name != "jax" and importlib.util.find_spec(row.module) is not None]
    assert out.stdout.strip() == str(others) and "numpy" in others and "pytorch" in others
    assert "d2lmomentum.errors.BackendNotInstalledError: backend 'jax' needs the 'jax' package" in out.stderr
    assert "pip install 'd2lmomentum[jax]'" in out.stderr


def test_set_get_backend_and_environment_default(monkeypatch):
    monkeypatch.setattr(backends, "_current", None)
    monkeypatch.delenv("D2LMOMENTUM_BACKEND", raising=False)
    assert dm.get_backend() == "pytorch"
    monkeypatch.setenv("D2LMOMENTUM_BACKEND", "tf")
    assert dm.get_backend() == "tensorflow"
    assert dm.set_backend("np") == "numpy"
    assert dm.get_backend() == "numpy"


def test_backend_of_tensor(backend):
    B = backends.load(backend)
    assert backends.backend_of(B.state(np.zeros(2, np.float32))) == backend


def test_mxnet_shim_restores_numpy_aliases_only_when_mxnet_is_loaded():
    code = ("import numpy as np, d2lmomentum as dm\n"
            "before = hasattr(np, 'bool') and np.bool is bool\n"
            "dm.init_momentum_states(2, backend='mx')\n"
            "print(before, np.bool is bool, np.object is object, np.str is str)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "True", "True", "True"]


def test_a_keras_variable_belongs_to_kerass_backend(monkeypatch):
    import keras
    assert backends.backend_of(keras.Variable(np.zeros(2, np.float32))) == "tensorflow"
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    with pytest.raises(dm.BackendError, match="Keras's 'jax' backend"):
        backends.backend_of(keras.Variable(np.zeros(2, np.float32)))


def test_an_unknown_tensor_type_asks_for_backend():
    with pytest.raises(dm.BackendError, match="pass backend="):
        backends.backend_of([1.0, 2.0])
