"""``d2lmomentum bench``: it runs and reports every figure (no assertion on time), and its
baselines are real: each framework's chapter-literal loop trains the oracle's model."""
import json
import math
import subprocess
import sys

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum.backends import FRAMEWORKS
from d2lmomentum.tools.bench import _baselines
from d2lmomentum.data import load_airfoil
from d2lmomentum.tools.parity import TOLERANCE
from d2lmomentum.train import seeded_start


def test_quick_bench_reports_p1_to_p4():
    r = subprocess.run([sys.executable, "-m", "d2lmomentum", "bench", "--quick", "--backend", "pytorch", "--json"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout)
    p1, p2, p3, p4 = res["P1"]["pytorch"], res["P2"]["pytorch"], res["P3"]["pytorch"], res["P4"]
    for v in (p1["speedup_vs_chapter_literal"], p1["times_numpy_oracle"], p2["vs_fastest_builtin"],
              p2["fraction_of_copy_bandwidth"], p3["beyond_import_s"], p4["interpreter_start_s"]):
        assert math.isfinite(v) and v > 0
    assert math.isfinite(p4["import_s"])  # a difference of two medians: may be noise around 0
    assert p2["fastest_builtin"].startswith("torch SGD")
    assert p3["ok"] and p4["heavy_modules_loaded"] == []


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
