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


def test_wheel_installs_only_d2lmomentum_at_the_top(tmp_path):
    """``backends/`` ships as ``d2lmomentum.backends`` and ``chapter/`` as package data."""
    import zipfile
    from pathlib import Path
    repo = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(repo)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("d2lmomentum-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"d2lmomentum", wheel.name.split("-py")[0] + ".dist-info"}
    for expected in ("d2lmomentum/backends/mxnet/__init__.py", "d2lmomentum/backends/pytorch/baselines.py",
                     "d2lmomentum/chapter/momentum.md", "d2lmomentum/chapter/momentum.bib",
                     "d2lmomentum/datasets/airfoil_self_noise.dat", "d2lmomentum/datasets/README.md",
                     "d2lmomentum/book/page/assets/katex/katex.min.js", "d2lmomentum/explorer/assets/explorer.html",
                     "d2lmomentum/__main__.py"):
        assert expected in names
    assert not any(n.startswith(("backends/", "tests/")) for n in names)


def test_backends_resolve_inside_the_package():
    import d2lmomentum.backends as b
    assert b.__name__ == "d2lmomentum.backends"
    from d2lmomentum.book.runner import default_source
    assert default_source().read_text(encoding="utf-8").startswith("# 모멘텀")
