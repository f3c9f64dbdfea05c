"""``import d2lmomentum`` is light: no framework, no matplotlib."""
import subprocess
import sys


def _modules_after(code):
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
                         check=True, capture_output=True, text=True).stdout.split()
    return set(out)


def test_import_loads_no_framework_and_no_matplotlib():
    mods = _modules_after("import d2lmomentum as dm\ndm.get_backend()\ndm.available_backends()")
    assert "d2lmomentum" in mods
    for heavy in ("torch", "tensorflow", "mxnet", "matplotlib", "tqdm"):
        assert heavy not in mods, heavy


def test_only_the_asked_framework_is_imported():
    mods = _modules_after("import d2lmomentum as dm\ndm.init_momentum_states(5, backend='numpy')")
    assert not {"torch", "tensorflow", "mxnet"} & mods
    mods = _modules_after("import d2lmomentum as dm\ndm.init_momentum_states(5, backend='torch')")
    assert "torch" in mods and not {"tensorflow", "mxnet"} & mods


def test_installed_top_level_is_only_d2lmomentum():
    import d2lmomentum.backends as b
    assert b.__name__ == "d2lmomentum.backends"
    import importlib.util
    assert importlib.util.find_spec("backends") is None or "site-packages" not in str(
        importlib.util.find_spec("backends").origin)
