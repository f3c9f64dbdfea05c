"""The installed package: ``import d2lmomentum`` is light (no framework, no matplotlib); the
repository's ``backends/`` and ``chapter/`` are installed inside it, every package folder is
listed in pyproject.toml, and the wheel holds only ``d2lmomentum`` at its top."""
import importlib.util
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import d2lmomentum
import d2lmomentum.backends
from d2lmomentum.backends import NAMES
from d2lmomentum.book.chapter import packaged_path

from _helpers import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


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


def _package_folder(package):
    """Where ``package`` is installed from: a wheel's ``d2lmomentum/<sub>/``, or for an editable
    install of this repository the folder pyproject.toml's package-dir maps it to."""
    top = Path(d2lmomentum.__file__).resolve().parent
    if top != (REPO / "d2lmomentum").resolve():
        return top.joinpath(*package.split(".")[1:])
    mapped = PYPROJECT["package-dir"]
    base = max((p for p in mapped if package == p or package.startswith(p + ".")), key=len)
    return (REPO / mapped[base]).joinpath(*package[len(base):].split(".")[1:]).resolve()


def test_the_backend_registry_resolves_inside_the_installed_package():
    folder = _package_folder("d2lmomentum.backends")
    assert folder.name == "backends" and Path(d2lmomentum.backends.__file__).resolve() == folder / "__init__.py"
    for name in NAMES:  # found, not imported: no framework is loaded
        origin = Path(importlib.util.find_spec(f"d2lmomentum.backends.{name}").origin).resolve()
        assert origin in (folder / f"{name}.py", folder / name / "__init__.py"), (name, origin)
    assert packaged_path().resolve() == _package_folder("d2lmomentum.chapter") / "momentum.md"
    assert packaged_path().read_text(encoding="utf-8").startswith("# 모멘텀")


def test_every_package_folder_is_listed_in_pyproject():
    found = set()
    for package, folder in PYPROJECT["package-dir"].items():
        for init in (REPO / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(REPO / folder).parts
            if "__pycache__" not in parts and not any(p.endswith(".egg-info") for p in parts):
                found.add(".".join([package, *parts]))
    assert sorted(found) == sorted(PYPROJECT["packages"])


def _clean_copy(dest):
    """The repository's files (tracked, or new and not ignored) copied into ``dest``: no stale
    ``build/`` can slip into the wheel."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    return dest


def test_wheel_installs_only_d2lmomentum_at_the_top(tmp_path):
    """``backends/`` ships as ``d2lmomentum.backends``; ``chapter/``, the page's assets and templates
    as package data."""
    source = _clean_copy(tmp_path / "src")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(source)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("d2lmomentum-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"d2lmomentum", wheel.name.split("-py")[0] + ".dist-info"}
    for expected in ("d2lmomentum/backends/mxnet/__init__.py", "d2lmomentum/tools/baselines/pytorch.py",
                     "d2lmomentum/chapter/momentum.md", "d2lmomentum/chapter/momentum.bib",
                     "d2lmomentum/datasets/airfoil_self_noise.dat", "d2lmomentum/datasets/README.md",
                     "d2lmomentum/book/page/assets/katex/katex.min.js", "d2lmomentum/explorer/assets/explorer.html",
                     "d2lmomentum/dropin/__init__.py", "d2lmomentum/__main__.py"):
        assert expected in names
    folder = REPO / "d2lmomentum" / "book" / "page" / "templates"
    templates = [f"d2lmomentum/book/page/templates/{p.name}" for p in folder.iterdir()]
    assert "d2lmomentum/book/page/templates/page.html" in templates and set(templates) <= set(names)
    assert not any(n.startswith(("backends/", "tests/")) for n in names)
