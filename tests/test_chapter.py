"""The chapter runs on every framework: the project's own chapter and the seed's cells
through the d2l drop-in; figures are written; printed end points equal closed forms."""
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from d2lmomentum import theory
from d2lmomentum.cells import TABS, for_tab, parse

from _helpers import REPO, SHARED

SEED = SHARED / "seed" / "000_3b6f3673f65fe21e.txt"
SECTIONS = ["기초", "누설 평균", "조건이 좋지 않은 문제", "모멘텀 방법", "유효 샘플 가중치", "실용적인 실험",
            "처음부터 구현", "간결한 구현", "이론적 분석", "2차 볼록 함수", "스칼라 함수", "요약", "연습문제"]


def _run(args, **kw):
    return subprocess.run([sys.executable, "-m", "d2lmomentum", *args], capture_output=True, text=True, **kw)


def _closed_form_lines():
    """``train_2d``'s lines for the chapter's four traces, from closed forms."""
    gd = lambda eta: (-5 * (1 - eta * 0.2) ** 20, -2 * (1 - eta * 4) ** 20)  # noqa: E731

    def mom(eta, beta):
        return tuple((np.linalg.matrix_power(theory.momentum_matrix(beta, eta, lam), 20) @ [0, x0])[1]
                     for lam, x0 in ((0.2, -5.0), (4.0, -2.0)))
    return [f"epoch 20, x1: {x1:f}, x2: {x2:f}" for x1, x2 in (gd(0.4), gd(0.6), mom(0.6, 0.5), mom(0.6, 0.25))]


def _check_run(out, frameworks):
    expected_lines = _closed_form_lines()
    for fw in frameworks:
        report = json.loads((out / fw / "report.json").read_text(encoding="utf-8"))
        assert report["ok"], [c.get("error") for c in report["cells"] if not c["ok"]]
        text = "".join(c["stdout"] for c in report["cells"])
        assert re.findall(r"epoch 20, x1: \S+, x2: \S+", text) == expected_lines
        losses = [float(x) for x in re.findall(r"loss: (\d\.\d{3}), \d+\.\d{3} sec/epoch", text)]
        assert len(losses) == 4 and all(0.22 < l < 0.30 for l in losses), text
        figures = [f for c in report["cells"] for f in c["figures"]]
        assert len(figures) >= 9
        for f in figures:
            assert (out / fw / f).stat().st_size > 3000
    page = (out / "index.html").read_text(encoding="utf-8")
    for fw in frameworks:
        assert f"<h4>{fw}</h4>" in page


def test_chapter_has_the_seeds_sections_and_cells_for_every_framework():
    text = (REPO / "chapter" / "momentum.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#{2,3} (.+)$", text, re.M)
    assert headings == SECTIONS
    assert "https://://" not in text and "https://distill.pub/2017/momentum/" in text
    cells = parse(text)
    for fw in TABS:
        assert len([c for c in for_tab(cells, fw) if c.kind == "code"]) >= 15


def test_every_chapter_cell_runs_on_all_three_frameworks(tmp_path):
    r = _run(["chapter", "--backend", "all", "--out", str(tmp_path)])
    assert r.returncode == 0, r.stderr[-3000:]
    _check_run(tmp_path, TABS)
    # the exercises print computed results
    torch_report = json.loads((tmp_path / "pytorch" / "report.json").read_text(encoding="utf-8"))
    out = "".join(c["stdout"] for c in torch_report["cells"])
    assert "h(x*) == h_star: True" in out and "momentum rate" in out


@pytest.mark.skipif(not SEED.is_file(), reason=f"the seed chapter is not at {SEED} (only CI and dev machines have ../shared)")
def test_the_seeds_own_cells_run_through_the_dropin(tmp_path):
    r = _run(["chapter", "--backend", "all", "--out", str(tmp_path), "--source", str(SEED), "--format", "svg"])
    assert r.returncode == 0, r.stderr[-3000:]
    _check_run(tmp_path, TABS)
    assert any(p.suffix == ".svg" for p in (tmp_path / "mxnet").iterdir())


def test_a_failing_cell_is_reported_with_its_index(tmp_path):
    src = tmp_path / "bad.md"
    src.write_text("```{.python .input}\n#@tab all\nx = 1\n```\n\n```{.python .input}\n#@tab all\n"
                   "1 / 0\n```\n\n```{.python .input}\n#@tab all\nprint('after')\n```\n", encoding="utf-8")
    r = _run(["chapter", "--backend", "pytorch", "--out", str(tmp_path / "out"), "--source", str(src)])
    assert r.returncode == 1
    assert "cell 1 failed: ZeroDivisionError" in r.stderr
    report = json.loads((tmp_path / "out" / "pytorch" / "report.json").read_text())
    assert [c["ok"] for c in report["cells"]] == [True, False, False]
    assert "Traceback" in report["cells"][1]["traceback"]


def test_notebook_executes_on_a_real_kernel(tmp_path):
    import nbformat
    r = _run(["notebooks", "--out", str(tmp_path), "--backend", "pytorch", "--execute"])
    assert r.returncode == 0, r.stderr[-3000:]
    nb = nbformat.read(tmp_path / "momentum-pytorch.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = "".join(o.get("text", "") for o in outputs)
    assert "epoch 20, x1: -0.943467, x2: -0.000073" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 9
    assert any(c.cell_type == "markdown" and "모멘텀" in c.source for c in nb.cells)


def test_notebooks_without_execute_have_no_outputs(tmp_path):
    import nbformat
    assert _run(["notebooks", "--out", str(tmp_path)]).returncode == 0
    for fw in TABS:
        nb = nbformat.read(tmp_path / f"momentum-{fw}.ipynb", as_version=4)
        assert nb.metadata["d2lmomentum"]["framework"] == fw
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
