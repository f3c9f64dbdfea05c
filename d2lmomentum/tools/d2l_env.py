"""Make a Python environment with d2l 1.0.3 for ``d2lmomentum bench --d2l-python DIR/bin/python``.

    python -m d2lmomentum.tools.d2l_env DIR [--find-links WHEELS]

It is a venv of this interpreter that sees this interpreter's packages (a ``.pth`` file naming
its site-packages: the frameworks, numpy, matplotlib, ipykernel are not installed twice), with
``d2l==1.0.3`` installed without its dependencies (its pins, numpy 1.23.5 among them, would
replace this project's stack) and, at d2l's own pinned versions, whichever of the modules that
d2l's framework modules import at their top is missing here (pandas and scipy, usually). numpy
is held at this interpreter's version. ``--find-links WHEELS`` installs offline from a folder of
wheels (``pip download d2l==1.0.3 pandas==2.0.3 scipy==1.10.1 pytz --no-deps -d WHEELS`` makes one).

Not installed: torchvision (PyPI's build does not load beside torch 2.13; the bench's d2l side
puts an empty module in its place, see :mod:`d2lmomentum.tools.bench_d2l_side`), and gym and
jupyter, which the optimization chapter's code never imports.
"""
import argparse
import re
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import numpy

from d2lmomentum.errors import D2LMomentumError, InvalidArgumentError

D2L = "d2l==1.0.3"
#: What d2l 1.0.3's torch/tensorflow/mxnet modules import at their top besides the frameworks
#: and the standard library: module -> the distribution that provides it.
D2L_IMPORTS = {"numpy": "numpy", "pandas": "pandas", "scipy": "scipy", "requests": "requests", "PIL": "pillow",
               "IPython": "ipython", "matplotlib": "matplotlib", "matplotlib_inline": "matplotlib-inline",
               "ipykernel": "ipykernel"}


def _run(cmd, what):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or [f"exit status {r.returncode}"])[-1]
        raise D2LMomentumError(f"{what} failed: {last}")
    return r.stdout


def make(folder, find_links=None):
    """Make the environment in ``folder`` (new or empty); returns its python."""
    folder = Path(folder).resolve()
    if folder.exists() and any(folder.iterdir()):
        raise InvalidArgumentError(f"{folder} is not empty; give a new folder")
    _run([sys.executable, "-m", "venv", str(folder)], "python -m venv")
    python = folder / "bin" / "python"
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], "venv python")
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(site.strip()) / "d2lmomentum_stack.pth").write_text("\n".join(ours) + "\n")
    index = ["--no-index", "--find-links", str(find_links)] if find_links else []
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *index]
    _run([*pip, "--no-deps", D2L], f"pip install {D2L}")
    requires = _run([str(python), "-c", "import importlib.metadata as m; print('\\n'.join(m.requires('d2l')))"],
                    "reading d2l's pins")
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^;\s]+)", requires, re.M))
    missing = [m for m in D2L_IMPORTS
               if _run([str(python), "-c", f"import importlib.util; print(importlib.util.find_spec({m!r}) is None)"],
                       f"looking for {m}").strip() == "True"]
    if missing:
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as hold:
            hold.write(f"numpy=={numpy.__version__}\n")
            hold.flush()
            wanted = [f"{D2L_IMPORTS[m]}=={pins[D2L_IMPORTS[m]]}" if D2L_IMPORTS[m] in pins else D2L_IMPORTS[m]
                      for m in missing]
            _run([*pip, "-c", hold.name, *wanted], "pip install " + " ".join(wanted))
    return python


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m d2lmomentum.tools.d2l_env",
                                     description="make a venv with d2l 1.0.3 for d2lmomentum bench --d2l-python")
    parser.add_argument("folder", help="a new folder for the environment")
    parser.add_argument("--find-links", default=None, help="a folder of wheels: install offline from it")
    args = parser.parse_args(argv)
    try:
        python = make(args.folder, args.find_links)
    except D2LMomentumError as e:
        sys.exit(f"d2l_env: error: {e}")
    print(python)


if __name__ == "__main__":
    main()
