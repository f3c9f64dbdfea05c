"""``d2lmomentum bench --quick`` runs and reports every figure (no assertion on time)."""
import json
import math
import subprocess
import sys

from d2lmomentum.bench_reference import REFERENCE
from d2lmomentum.data import load_airfoil


def test_quick_bench_reports_p1_to_p4():
    r = subprocess.run([sys.executable, "-m", "d2lmomentum", "bench", "--quick", "--backend", "pytorch", "--json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout)
    p1, p2, p3, p4 = res["P1"]["pytorch"], res["P2"]["pytorch"], res["P3"]["pytorch"], res["P4"]
    for v in (p1["speedup_vs_chapter_literal"], p1["times_numpy_oracle"], p2["vs_fastest_builtin"],
              p2["fraction_of_copy_bandwidth"], p3["beyond_import_s"], p4["import_s"] + 1):
        assert math.isfinite(v) and v > 0
    assert p2["fastest_builtin"].startswith("torch SGD")
    assert p3["ok"] and p4["heavy_modules_loaded"] == []


def test_chapter_literal_references_train_the_same_model():
    """The baselines are real: each reaches the oracle's loss level (their data order differs)."""
    X, y = load_airfoil()
    for name, train in REFERENCE.items():
        losses = train(X, y, 0.02, 0.5)
        assert len(losses) == 15 and 0.22 < losses[-1] < 0.30, name
