"""``d2lmomentum bench``: every figure it prints is measured in the run (ratios are quotients
of the medians it prints), its baselines are real, and ``--d2l-python`` measures the d2l side
in its own interpreter beside ours.

The d2l side here is a fake d2l 1.0.3 written into tmp_path (``d2l/torch.py`` with d2l's names,
delegating to the drop-in, its ``train_ch11`` a known sleep longer), run by a wrapper
interpreter: a real d2l environment needs d2l's wheel, which a test cannot fetch offline
(``python -m d2lmomentum.tools.d2l_env`` makes one; the bench run on it is in the report)."""
import hashlib
import re
import sys

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum.backends import FRAMEWORKS
from d2lmomentum.data import SHA1, load_airfoil
from d2lmomentum.errors import InvalidArgumentError
from d2lmomentum.tools import bench, bench_d2l
from d2lmomentum.tools.bench import _baselines
from d2lmomentum.tools.parity import TOLERANCE
from d2lmomentum.train import seeded_start

#: Seconds the fake d2l's ``train_ch11`` sleeps before training with the drop-in's.
FAKE_DELAY = 0.25
FAKE_TORCH = f'''
import hashlib
import os
import time
from d2lmomentum.torch import numpy, zeros, arange, linreg, squared_loss, Animator, Timer, plt, show_trace_2d, train_2d
from d2lmomentum import torch as _dropin

def get_data_ch11(batch_size=10, n=1500):
    path = os.path.join("..", "data", "airfoil_self_noise.dat")  # d2l's download cache
    assert hashlib.sha1(open(path, "rb").read()).hexdigest() == {SHA1!r}, path
    return _dropin.get_data_ch11(batch_size, n)

def train_ch11(*args, **kwargs):
    time.sleep({FAKE_DELAY})
    return _dropin.train_ch11(*args, **kwargs)
'''
TINY_CHAPTER = '''
```{.python .input}
#@tab pytorch
from d2l import torch as d2l
import torch
```

```{.python .input}
#@tab pytorch
x = d2l.numpy(d2l.zeros(3))
```

```{.python .input}
#@tab pytorch
print(d2l.BACKEND)
```

```{.python .input}
y = x + 1
```
'''
#: The tiny chapter's book settings: its untagged cell (the last) is PyTorch's, as ``chapter`` reads it.
TINY_CONFIG = "[build]\ntabs = pytorch\n"


def fake_d2l_python(folder, version="1.0.3"):
    """An executable that runs this interpreter with a fake ``d2l`` package first on its path."""
    (folder / "d2l").mkdir(parents=True)
    (folder / "d2l" / "__init__.py").write_text(f"__version__ = {version!r}\n")
    for module in ("torch", "tensorflow", "mxnet"):
        (folder / "d2l" / f"{module}.py").write_text(FAKE_TORCH if module == "torch" else "")
    python = folder / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH={folder} exec {sys.executable} "$@"\n')
    python.chmod(0o755)
    return str(python)


@pytest.fixture(scope="module")
def d2l_run(tmp_path_factory):
    """One quick bench on PyTorch with the fake d2l: P1 to P4, P3 on the tiny chapter (beside
    its ``config.ini``)."""
    tmp = tmp_path_factory.mktemp("bench")
    (tmp / "tiny.md").write_text(TINY_CHAPTER)
    (tmp / "config.ini").write_text(TINY_CONFIG)
    return bench.run_bench(("pytorch",), quick=True, source=tmp / "tiny.md", d2l_python=fake_d2l_python(tmp / "fake"))


def test_p1_measures_d2l_beside_ours(d2l_run):
    """d2l's train_ch11 ran in the d2l process on the data it found in d2l's cache folder, and
    its own clock saw the fake's sleep; every ratio is a quotient of the medians."""
    p1 = d2l_run["P1"]["pytorch"]
    assert "error" not in p1, p1
    s = p1["seconds"]
    assert s["d2l_train_ch11"] >= FAKE_DELAY
    assert s["d2l_train_ch11"] > s["dropin_train_ch11"]
    assert p1["d2l_over_dropin"] == s["d2l_train_ch11"] / s["dropin_train_ch11"]
    assert p1["d2l_over_train_momentum"] == s["d2l_train_ch11"] / s["d2lmomentum"]
    assert p1["speedup_vs_chapter_literal"] == s["chapter_literal"] / s["d2lmomentum"]
    loss = float(re.fullmatch(r"loss: (\d\.\d+), \d+\.\d+ sec/epoch", p1["d2l_printed"]).group(1))
    assert 0.22 < loss < 0.35  # d2l's plot range: it trained
    import importlib.util
    assert any("torchvision stub" in n for n in p1["d2l_notes"]) == (importlib.util.find_spec("torchvision") is None)


def test_p3_runs_the_shared_cells_on_both_kernels(d2l_run):
    """Cell 3, untagged, is PyTorch's by the chapter's ``config.ini``: P3 runs it."""
    entry = d2l_run["P3"]["pytorch"]
    assert entry["cells"] == [0, 1, 3] and entry["dropped"] == [(2, "d2l has no BACKEND")]
    ours, d2l = entry["d2lmomentum"], entry["d2l"]
    assert ours["ok"] and d2l["ok"]
    assert sorted(d2l["cell_seconds"]) == sorted(ours["cell_seconds"]) == [0, 1, 3]
    assert d2l["beyond_import_s"] == pytest.approx(sum(d2l["cell_seconds"].values()), rel=1e-12)
    assert entry["d2l_over_d2lmomentum"] == d2l["beyond_import_s"] / ours["beyond_import_s"]


def test_report_prints_ratios_of_the_times_it_prints(d2l_run):
    """Parse the printed P1 row: each printed ratio is the quotient of two printed times (to
    the rounding of what is printed), and no figure of d2l is printed that was not measured."""
    report = bench.format_report(d2l_run)
    assert "d2l 1.0.3 measured side by side" in report and "not measured" not in report
    row = next(line for line in report.splitlines() if line.startswith("pytorch "))
    ours, literal, numpy_s, faster, x_numpy, dropin, d2l, d2l_ours, d2l_dropin = map(float, row.split()[1:])
    half = 0.00005  # half a unit of the 4 decimals the times are printed with
    for ratio, top, bottom in ((faster, literal, ours), (d2l_ours, d2l, ours), (d2l_dropin, d2l, dropin)):
        assert (top - half) / (bottom + half) - 0.05 <= ratio <= (top + half) / (bottom - half) + 0.05
    p3_line = next(line for line in report.splitlines() if "=> d2l / d2lmomentum" in line)
    seconds = [float(v) for v in re.findall(r"^\s+d2l(?:momentum)?\s+(\d+\.\d+) s beyond", report, re.M)]
    assert len(seconds) == 2
    printed = float(re.search(r"(\d+\.\d+)x", p3_line).group(1))
    half = 0.0005  # the seconds have 3 decimals, the ratio 2
    low, high = (seconds[1] - half) / (seconds[0] + half), (seconds[1] + half) / (seconds[0] - half)
    assert low - 0.005 <= printed <= high + 0.005


def test_report_without_d2l_says_how_to_measure_it(d2l_run):
    """The same measurements without the d2l side: nothing about d2l but how to get it."""
    p1 = d2l_run["P1"]["pytorch"]
    ours_only = {k: v for k, v in p1["seconds"].items() if k in ("d2lmomentum", "chapter_literal", "numpy_oracle")}
    entry = {k: v for k, v in d2l_run["P3"]["pytorch"].items() if not k.startswith("d2l")}
    report = bench.format_report({**d2l_run, "d2l": None, "P1": {"pytorch": bench._p1_result(ours_only)},
                                  "P3": {"pytorch": entry}})
    assert "--d2l-python PATH" in report and "d2l_env" in report
    assert "d2l/" not in report and "d2l /" not in report


def test_bad_d2l_python_is_a_one_line_error(tmp_path):
    cases = {str(tmp_path / "nope"): "no such executable", sys.executable: "cannot import d2l",
             fake_d2l_python(tmp_path / "old", version="0.17.6"): "has d2l 0.17.6"}
    for path, says in cases.items():
        with pytest.raises(InvalidArgumentError) as e:
            bench.run_bench(("pytorch",), quick=True, d2l_python=path)
        assert says in str(e.value) and path in str(e.value) and "\n" not in str(e.value)


def test_shared_cells_drop_what_d2l_cannot_run():
    cells = [(0, "from d2lmomentum import torch as d2l\nimport torch"),
             (1, "import d2lmomentum as dm\nr = dm.train_momentum(0.02, 0.5)"),
             (2, "print(r.losses)"),
             (3, "r = 1\nprint(r)"),
             (4, "d2l.BACKEND"),
             (5, "x = d2l.zeros(2)")]
    kept, dropped = bench_d2l.shared_cells(cells, ["zeros"])
    assert [i for i, _ in kept] == [0, 3, 5]
    assert dropped == [(1, "imports d2lmomentum"), (2, "uses r of a dropped cell"), (4, "d2l has no BACKEND")]
    assert bench_d2l.to_d2l(kept[0][1]) == "from d2l import torch as d2l\nimport torch"


def test_d2l_workdir_holds_the_airfoil_file_where_d2l_looks():
    with bench_d2l.D2LPython.workdir() as cwd:
        found = (cwd / ".." / "data" / "airfoil_self_noise.dat").read_bytes()
    assert hashlib.sha1(found).hexdigest() == SHA1


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_chapter_literal_baseline_trains_the_oracles_model(framework):
    """Fed the seed's weights and data order through the framework's own data loader, the
    chapter's literal loop records the oracle's 15 losses."""
    X, y = load_airfoil()
    w0, orders = seeded_start(0, len(X), X.shape[1], 2)
    losses = _baselines(framework).chapter_literal(X, y, 0.02, 0.5, w0, orders)
    oracle = dm.train_momentum(0.02, 0.5, backend="numpy", seed=0)
    # float32 roundings over 300 steps; the per-minibatch evaluation sums in another order
    assert len(losses) == 15
    assert np.max(np.abs(np.array(losses) - oracle.losses) / np.array(oracle.losses)) <= TOLERANCE["float32"]


def test_p6_edits_the_first_cell_every_framework_runs_where_the_chapter_numbers_it(tmp_path):
    """Line separators in the prose (which ``cells.parse`` counts as line ends, as
    ``str.splitlines`` does) do not move the edit into another cell, and the prose keeps them."""
    path = tmp_path / "c.md"
    prose = "Intro\u2028more\u2028prose\x0cend"
    cells = [("pytorch", "a = 1"), ("all", "b = 2"), ("pytorch", "c = 3")]
    path.write_text(f"# T\n\n{prose}\n\n" + "\n\n".join(f"```{{.python .input}}\n#@tab {tab}\n{code}\n```"
                                                      for tab, code in cells) + "\n", encoding="utf-8")
    bench._edit_code_cell(path, ("pytorch", "tensorflow"))
    from d2lmomentum.book.chapter import load_chapter
    assert [c.source for c in load_chapter(path).cells if c.kind == "code"] == ["a = 1", "b = 2\n_bench_edit = 1", "c = 3"]
    assert prose in path.read_text(encoding="utf-8")
