"""The packaged chapter and the seed it was written from: the seed's own cells run through the
d2l drop-in on the three frameworks it has cells for, their printed end points equal closed forms;
the packaged chapter keeps the seed's sections and has cells for every framework; its JAX tab, in
the run the page tests read, prints what the NumPy oracle computes; its notebooks carry the
markdown, references resolved, and one framework's code."""
import re

import numpy as np
import pytest

from d2lmomentum import theory
from d2lmomentum.book.cells import TABS, for_tab
from d2lmomentum.book.chapter import link, load_chapter, packaged_path
from d2lmomentum.book.diagnostics import collect_markup_warnings
from d2lmomentum.book.notebooks import build_notebook
from d2lmomentum.book.pipeline import run_chapter

from _helpers import SHARED, packaged_run, unavailable

SEED = SHARED / "seed" / "000_3b6f3673f65fe21e.txt"
_HEADING = re.compile(r"^(#{1,3}) ", re.M)


def _seed():
    """The seed chapter's path: only CI and dev machines have ../shared, and CI must use it."""
    if not SEED.is_file():
        unavailable(f"the seed chapter is not at {SEED}", "only CI and dev machines have ../shared beside the clone")
    return SEED


def _closed_form_lines():
    """``train_2d``'s lines for the chapter's four traces, from closed forms."""
    def gd(eta):
        return -5 * (1 - eta * 0.2) ** 20, -2 * (1 - eta * 4) ** 20

    def mom(eta, beta):
        return tuple((np.linalg.matrix_power(theory.momentum_matrix(beta, eta, lam), 20) @ [0, x0])[1]
                     for lam, x0 in ((0.2, -5.0), (4.0, -2.0)))
    return [f"epoch 20, x1: {x1:f}, x2: {x2:f}" for x1, x2 in (gd(0.4), gd(0.6), mom(0.6, 0.5), mom(0.6, 0.25))]


def _own_tabs(chapter):
    """The frameworks a chapter has cells of its own for (not only ``#@tab all`` cells): d2l's
    momentum chapter has none for JAX, so its ``all`` cells alone would run there without an import."""
    return tuple(fw for fw in TABS if any(fw in c.tabs and c.tabs != TABS for c in chapter.cells if c.kind == "code"))


@pytest.mark.mxnet
def test_the_seeds_own_cells_run_through_the_dropin_on_every_framework_it_has(tmp_path):
    seed_tabs = _own_tabs(load_chapter(_seed()))
    assert seed_tabs == ("mxnet", "pytorch", "tensorflow")
    with collect_markup_warnings() as warned:
        result = run_chapter(_seed(), tmp_path, seed_tabs, fmt="svg", timeout=300)
    assert warned == []  # every label and citation of d2l's chapter resolves
    expected_lines = _closed_form_lines()
    for fw in seed_tabs:
        report = result.reports[SEED.stem, fw]
        assert report.ok, [(c.index, c.error) for c in report.cells if not c.ok]
        text = "".join(c.stdout for c in report.cells)
        assert re.findall(r"epoch 20, x1: \S+, x2: \S+", text) == expected_lines
        losses = [float(x) for x in re.findall(r"loss: (\d\.\d{3}), \d+\.\d{3} sec/epoch", text)]
        assert len(losses) == 4 and all(0.22 < loss < 0.30 for loss in losses), text
        figures = [f for c in report.cells for f in c.figures]
        assert len(figures) >= 9 and all(f.endswith(".svg") for f in figures)
        for f in figures:
            assert (tmp_path / fw / f).stat().st_size > 3000
    page = result.pages[SEED.stem].read_text(encoding="utf-8")
    for fw in seed_tabs:
        assert f'<section class="panel" role="tabpanel" data-framework="{fw}">' in page


def test_the_chapter_keeps_the_seeds_sections_and_has_cells_for_every_framework():
    text = packaged_path().read_text(encoding="utf-8")
    seed = _seed().read_text(encoding="utf-8")
    assert _HEADING.findall(text) == _HEADING.findall(seed)  # the same sections at the same depths
    assert text.splitlines()[:2] == seed.splitlines()[:2]  # the title and its label
    assert "https://://" not in text and "https://distill.pub/2017/momentum/" in text
    chapter = load_chapter()
    for fw in TABS:
        assert len([c for c in for_tab(chapter.cells, fw) if c.kind == "code"]) >= 15


def test_a_notebook_holds_one_frameworks_code_and_the_markdown_with_references_resolved():
    (chapter,) = link([load_chapter()])
    nb = build_notebook(chapter, "tensorflow")
    setup, *cells, bibliography = nb.cells
    assert setup.cell_type == "code" and "%matplotlib inline" in setup.source
    indices = [c.metadata["d2lmomentum"]["index"] for c in cells]
    assert indices == [c.index for c in for_tab(chapter.cells, "tensorflow")]
    code = [c.source for c in cells if c.cell_type == "code"]
    assert "import tensorflow as tf" in code[0] and not any("import torch" in c for c in code)
    md = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    for markup in (":label:", ":numref:", ":cite:", "<!-- explorer -->"):
        assert markup not in md
    assert '<a id="sec_momentum"></a>' in md
    assert "[확률적 경사 하강법](https://d2l.ai/chapter_optimization/sgd.html)" in md
    assert "[Polyak (1964)](#bib-Polyak.1964)" in md and "d2lmomentum explore" in md
    assert "$$\\mathbf{v}_t = \\beta \\mathbf{v}_{t-1}" in md  # math stays for Jupyter to render
    cited = set(re.findall(r":cite[tp]?:`([^`]+)`", packaged_path().read_text(encoding="utf-8")))
    keys = {k.strip() for target in cited for k in target.split(",")}
    assert bibliography.source.startswith("## 참고 문헌")
    assert set(re.findall(r'<a id="bib-([^"]+)"></a>', bibliography.source)) == keys


@pytest.mark.parametrize("fw, module", [("pytorch", "torch"), ("tensorflow", "tensorflow"), ("mxnet", "mxnet")])
def test_the_seeds_d2l_imports_point_at_the_dropin_in_its_notebooks(fw, module):
    (chapter,) = link([load_chapter(_seed())])
    code = "\n".join(c.source for c in build_notebook(chapter, fw).cells[1:] if c.cell_type == "code")
    assert f"from d2lmomentum import {module} as d2l" in code and "from d2l import" not in code


def test_the_packaged_chapter_runs_its_jax_tab_and_prints_what_numpy_computes(tmp_path_factory):
    """The JAX kernel of the packaged chapter's run (:func:`_helpers.packaged_run`, shared with
    the page tests): every cell ok; the traces end where the closed forms say; the seeded scratch
    and optax runs agree; exercises 1 and 4 print what the NumPy oracle computes for the same seeds."""
    import d2lmomentum as dm
    from d2lmomentum.tools import figures
    import matplotlib.pyplot as plt
    chapter = load_chapter()
    assert "jax" in _own_tabs(chapter)  # the JAX tab has cells of its own (its imports, pure trainer, optax)
    run = packaged_run(tmp_path_factory)
    report = run.reports["jax"]
    assert report.ok, [(c.line, c.error) for c in report.cells if not c.ok]
    assert [c.index for c in report.cells] == [c.index for c in for_tab(chapter.cells, "jax") if c.kind == "code"]
    text = "".join(c.stdout for c in report.cells)
    assert re.findall(r"epoch 20, x1: \S+, x2: \S+", text) == _closed_form_lines()
    losses = [float(x) for x in re.findall(r"loss: (\d\.\d{3}), \d+\.\d{3} sec/epoch", text)]
    assert len(losses) == 4 and all(0.22 < loss < 0.30 for loss in losses), text  # three scratch runs, optax
    (err,) = re.findall(r"최대 상대 오차: (\S+)", text)
    assert float(err) < 1e-6
    for lr, m in [(0.02, 0.0), (0.01, 0.5), (0.002, 0.9), (0.02, 0.9)]:
        r = dm.train_momentum(lr, m, backend="numpy", seed=0).losses
        assert f"momentum={m}, lr/(1-momentum)={lr / (1 - m):.3f}: first loss {r[0]:.3f}, last loss {r[-1]:.4f}" in text
    fig, finals = figures.batch_momentum_sweep(backend="numpy", batch_sizes=(10, 50, 100, 300, 1500))
    plt.close(fig)
    for beta, f in finals.items():
        assert f"beta={beta}: " + " ".join(f"{x:.3f}" for x in f) in text
    figures_drawn = [f for c in report.cells for f in c.figures]
    assert len(figures_drawn) >= 14 and all((run.out / "jax" / f).stat().st_size > 3000 for f in figures_drawn)
    page = (run.out / "index.html").read_text(encoding="utf-8")
    assert '<section class="panel" role="tabpanel" data-framework="jax">' in page


def test_the_jax_notebook_holds_the_jax_cells_only():
    (chapter,) = link([load_chapter()])
    code = "\n".join(c.source for c in build_notebook(chapter, "jax").cells[1:] if c.cell_type == "code")
    assert "from d2lmomentum import jax as d2l" in code and "import optax" in code
    for other in ("import torch", "import tensorflow", "from mxnet", "p.grad", ".assign("):
        assert other not in code, other
