"""The d2l drop-ins (``d2lmomentum.mxnet``, ``.torch``, ``.tensorflow``): d2l's names and
signatures, each importing only its framework, and the reader's code run as written."""
import subprocess
import sys

import numpy as np
import pytest

from d2lmomentum import theory


@pytest.mark.parametrize("module,framework", [("torch", "torch"), ("tensorflow", "tensorflow"),
                                              ("mxnet", "mxnet")])
def test_each_dropin_imports_only_its_framework(module, framework):
    code = (f"from d2lmomentum import {module} as d2l\nimport sys\n"
            "print(' '.join(m for m in ('torch', 'tensorflow', 'mxnet') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == [framework]


def test_show_trace_2d_uses_the_same_grid_on_every_framework():
    import matplotlib
    matplotlib.use("Agg")
    from d2lmomentum import mxnet, tensorflow, torch
    grids = []
    for d2l in (mxnet, torch, tensorflow):
        seen = []
        d2l.show_trace_2d(lambda a, b: (seen.append((a, b)), theory.f_2d(a, b))[1], [(-5, -2), (0, 0)])
        grids.append(seen[0])
        d2l.plt.close("all")
    for a, b in grids[1:]:
        np.testing.assert_array_equal(a, grids[0][0])
        np.testing.assert_array_equal(b, grids[0][1])
    assert grids[0][0].shape == (40, 65)  # x2 rows from -3 to 0.9, x1 columns from -5.5 to 0.9


def test_dropin_runs_repeat_with_a_seed(monkeypatch, capsys):
    """The runner sets D2LMOMENTUM_SEED, so the chapter's data order and weights repeat."""
    import matplotlib
    matplotlib.use("Agg")
    from d2lmomentum import torch as d2l
    monkeypatch.setenv("D2LMOMENTUM_SEED", "3")
    curves = []
    for _ in range(2):
        data_iter, dim = d2l.get_data_ch11(10)
        states = (d2l.zeros((dim, 1)), d2l.zeros(1))

        def sgd(params, states, hp):
            import torch
            with torch.no_grad():
                for p, v in zip(params, states):
                    v[:] = hp["momentum"] * v + p.grad
                    p[:] -= hp["lr"] * v

        curves.append(d2l.train_ch11(sgd, states, {"lr": 0.01, "momentum": 0.9}, data_iter, dim)[1])
        d2l.plt.close("all")
    assert curves[0] == curves[1] and len(curves[0]) == 15
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split(",")[0] == printed[1].split(",")[0] == f"loss: {curves[0][-1]:.3f}"


def test_dropin_plot_takes_each_frameworks_tensors():
    import matplotlib
    matplotlib.use("Agg")
    from d2lmomentum import mxnet, tensorflow, torch
    for d2l in (mxnet, torch, tensorflow):
        x = d2l.arange(5)
        d2l.plot(x, [x * 2, x * 3], "x", "y", legend=["a", "b"])
        ax = d2l.plt.gca()
        np.testing.assert_array_equal(ax.lines[1].get_ydata(), np.arange(5) * 3)
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
        d2l.plt.close("all")
