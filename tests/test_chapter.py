"""The chapter runs on every framework: the seed's cells through the d2l drop-in (the packaged
chapter's full run is in test_page.py, which checks its page too); figures are written;
printed end points equal closed forms. Notebooks carry the chapter's markdown, references
resolved, and one framework's code."""
import json
import re
import subprocess
import sys

import numpy as np

from d2lmomentum import theory
from d2lmomentum.book.cells import TABS, for_tab, parse

from _helpers import REPO, SHARED, unavailable

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


def check_run(out, frameworks):
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
        assert f'<section class="panel" role="tabpanel" data-framework="{fw}">' in page


def test_chapter_has_the_seeds_sections_and_cells_for_every_framework():
    text = (REPO / "chapter" / "momentum.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#{2,3} (.+)$", text, re.M)
    assert headings == SECTIONS
    assert "https://://" not in text and "https://distill.pub/2017/momentum/" in text
    cells = parse(text)
    for fw in TABS:
        assert len([c for c in for_tab(cells, fw) if c.kind == "code"]) >= 15


def _seed_text():
    """The seed chapter's text: only CI and dev machines have ../shared, and CI must use it."""
    if not SEED.is_file():
        unavailable(f"the seed chapter is not at {SEED}", "only CI and dev machines have ../shared beside the clone")
    return SEED.read_text(encoding="utf-8")


def test_the_seeds_own_cells_run_through_the_dropin(tmp_path):
    _seed_text()
    r = _run(["chapter", "--backend", "all", "--out", str(tmp_path), "--source", str(SEED), "--format", "svg"])
    assert r.returncode == 0, r.stderr[-3000:]
    check_run(tmp_path, TABS)
    assert any(p.suffix == ".svg" for p in (tmp_path / "mxnet").iterdir())
    assert "warning" not in r.stderr  # every label and citation of d2l's chapter resolves


def test_notebooks_without_execute_have_no_outputs(tmp_path):
    import nbformat
    r = _run(["notebooks", "--out", str(tmp_path)])
    assert r.returncode == 0 and r.stderr == ""
    for fw in TABS:
        nb = nbformat.read(tmp_path / f"momentum-{fw}.ipynb", as_version=4)
        assert nb.metadata["d2lmomentum"]["framework"] == fw
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_a_notebook_holds_one_frameworks_code_and_the_markdown_with_references_resolved():
    from d2lmomentum.book.notebooks import build_notebook
    text = (REPO / "chapter" / "momentum.md").read_text(encoding="utf-8")
    chapter = parse(text)
    nb = build_notebook(text, "tensorflow")
    setup, *cells, bibliography = nb.cells
    assert setup.cell_type == "code" and "%matplotlib inline" in setup.source
    indices = [c.metadata["d2lmomentum"]["index"] for c in cells]
    assert indices == [c.index for c in for_tab(chapter, "tensorflow")]
    code = [c.source for c in cells if c.cell_type == "code"]
    assert "import tensorflow as tf" in code[0] and not any("import torch" in c for c in code)
    md = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    for markup in (":label:", ":numref:", ":cite:", "<!-- explorer -->"):
        assert markup not in md
    assert '<a id="sec_momentum"></a>' in md
    assert "[확률적 경사 하강법](https://d2l.ai/chapter_optimization/sgd.html)" in md
    assert "[Polyak (1964)](#bib-Polyak.1964)" in md and "d2lmomentum explore" in md
    assert "$$\\mathbf{v}_t = \\beta \\mathbf{v}_{t-1}" in md  # math stays for Jupyter to render
    assert bibliography.source.startswith("## 참고 문헌") and bibliography.source.count("<a id=\"bib-") == 5


def test_the_seeds_d2l_imports_point_at_the_dropin_in_its_notebooks():
    from d2lmomentum.book.notebooks import build_notebook
    nb = build_notebook(_seed_text(), "pytorch")
    code = "\n".join(c.source for c in nb.cells[1:] if c.cell_type == "code")
    assert "from d2lmomentum import torch as d2l" in code and "from d2l import" not in code
