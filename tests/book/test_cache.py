"""The execution cache (``d2lmomentum.book.cache``): a book built again executes only the runs
whose inputs changed. Unchanged, a run (its notebook, figures and report) is reused, failing
runs included, and says when it originally ran; edited prose is rebuilt without a kernel; an
edited code cell executes its chapter's run again and no other; ``rerun`` executes all. A run
that timed out or died, or an entry cut short, is never trusted."""
import json
import os
from pathlib import Path

import nbformat
import pytest

from d2lmomentum.book import cache, pipeline
from d2lmomentum.book.kernels import Execution, KernelOptions
from d2lmomentum.book.options import BuildOptions
from d2lmomentum.book.report import CellStatus
from d2lmomentum.book.site import build_book
from d2lmomentum.book.ui import strings
from d2lmomentum.cli.main import main as cli_main

from _helpers.dom import parse

CHAPTERS = {
    "alpha": "# Alpha\n\nFirst paragraph.\n\n```{.python .input}\n#@tab all\nimport os\nprint(os.getpid())\n```\n\n"
             "Between the cells.\n\n```{.python .input}\n#@tab all\nimport matplotlib.pyplot as plt\n"
             "plt.plot([0, 1], [1, 0])\nprint('drawn')\n```\n",
    "beta": "# Beta\n\n```{.python .input}\n#@tab all\nimport os\nprint(os.getpid())\n```\n\n"
            "```{.python .input}\n#@tab all\n1 / 0\n```\n",
}
SENTENCE = "A sentence added to the prose."


def _write_book(part):
    part.mkdir(parents=True, exist_ok=True)
    (part / "index.md").write_text("# Cached Book\n\n```toc\n:maxdepth: 2\n\nalpha\nbeta\n```\n", encoding="utf-8")
    for name, text in CHAPTERS.items():
        (part / f"{name}.md").write_text(text, encoding="utf-8")


def _executed(monkeypatch):
    """The runs that start a kernel: (chapter, framework) of each ``execute_async`` call."""
    calls, real = [], pipeline.execute_async

    def counting(nb, **kwargs):
        calls.append((nb.metadata["d2lmomentum"]["chapter"], nb.metadata["d2lmomentum"]["framework"]))
        return real(nb, **kwargs)

    monkeypatch.setattr(pipeline, "execute_async", counting)
    return calls


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """One book built five times into one folder: first, unchanged, after a prose edit, after a
    code edit in one chapter, with ``rerun``; each step's result, the runs it executed, and what
    the first build wrote."""
    root = tmp_path_factory.mktemp("cache")
    part, out = root / "book", root / "out"
    _write_book(part)
    steps = {}
    with pytest.MonkeyPatch.context() as mp:
        calls = _executed(mp)

        def build(step, **options):
            calls.clear()
            steps[step] = (build_book(part, out, "pytorch", timeout=60, **options), list(calls), _disk(out))

        build("first")
        build("unchanged")
        alpha = part / "alpha.md"
        alpha.write_text(alpha.read_text(encoding="utf-8").replace("First paragraph.", f"First paragraph.\n\n{SENTENCE}"),
                         encoding="utf-8")
        beta = part / "beta.md"
        beta.write_text(beta.read_text(encoding="utf-8").replace("```\n\n```", f"```\n\n{SENTENCE}\n\n```"),
                        encoding="utf-8")
        build("prose")
        alpha.write_text(alpha.read_text(encoding="utf-8").replace("print('drawn')", "print('drawn again')"),
                         encoding="utf-8")
        build("code")
        build("rerun", rerun=True)
    return part, steps


def _disk(out):
    """What a build left in ``out``: each chapter's page, report.json, notebook and figures, and
    the cache's entries (their chapter and framework)."""
    disk = {"kept": sorted(json.loads(p.read_text(encoding="utf-8"))["chapter"]
                           for p in (out / ".d2lmomentum" / "cache").glob("*/run.json"))}
    for name in CHAPTERS:
        run = out / name / "pytorch"
        disk[name] = {"page": (out / name / "index.html").read_text(encoding="utf-8"),
                      "report": json.loads((run / "report.json").read_text(encoding="utf-8")),
                      "notebook": nbformat.read(run / f"{name}-pytorch.ipynb", as_version=4),
                      "figures": {p.name: p.read_bytes() for p in run.glob("cell*")}}
    return disk


def test_the_first_build_executes_every_run_and_keeps_each(builds):
    _, steps = builds
    result, executed, disk = steps["first"]
    assert sorted(executed) == [("alpha", "pytorch"), ("beta", "pytorch")]
    assert not any(r.cached for r in result.reports.values())
    assert disk["kept"] == ["alpha", "beta"]  # the failing run is kept too
    assert disk["beta"]["report"]["cached"] is False


def test_an_unchanged_rebuild_executes_no_run_and_reuses_notebook_figures_and_report(builds):
    _, steps = builds
    result, executed, disk = steps["unchanged"]
    before, first = steps["first"][0].reports, steps["first"][2]
    assert executed == []
    for key, report in result.reports.items():
        assert report.cached and report.ran_at == before[key].ran_at
        assert [(c.index, c.status, c.stdout) for c in report.cells] == \
               [(c.index, c.status, c.stdout) for c in before[key].cells]
    beta = result.reports["beta", "pytorch"]
    assert not beta.ok and beta.failed_cells == [2] and beta.cells[1].status is CellStatus.FAILED  # still failing
    assert disk["alpha"]["figures"] == first["alpha"]["figures"] and list(disk["alpha"]["figures"]) == ["cell03-0.png"]
    on_disk = disk["beta"]["report"]
    assert on_disk["cached"] is True and on_disk["ran_at"] == first["beta"]["report"]["ran_at"]
    assert on_disk["cells"] == first["beta"]["report"]["cells"]
    for name in CHAPTERS:  # outputs and all (a cell's id is new in each build)
        assert _without_ids(disk[name]["notebook"]) == _without_ids(first[name]["notebook"])


def _without_ids(nb):
    return [{k: v for k, v in cell.items() if k != "id"} for cell in nb.cells]


def test_the_page_says_a_run_was_reused_and_when_it_ran(builds):
    _, steps = builds
    disk = steps["unchanged"][2]
    for name, mark in (("alpha", "✓"), ("beta", "✗")):
        ran_at = steps["first"][0].reports[name, "pytorch"].ran_at
        when = ran_at.replace("T", " ").replace("+00:00", " UTC")
        status = parse(disk[name]["page"]).select_one(".run-summary .status")
        assert status.text.startswith(mark)
        assert strings("ko")["reused"].format(when=when) in status.text  # no config.ini: ko
        assert status.select_one("span.reused").get("data-ran-at") == ran_at
    status = parse(steps["first"][2]["alpha"]["page"]).select_one(".run-summary .status")
    assert status.text == "✓" and status.select("span.reused") == []


def test_a_prose_edit_rebuilds_the_pages_without_a_kernel(builds):
    part, steps = builds
    result, executed, disk = steps["prose"]
    assert executed == [] and all(r.cached for r in result.reports.values())
    article = parse(disk["alpha"]["page"]).select_one("article").text
    assert SENTENCE in article and "drawn" in article
    assert any(SENTENCE in c.source for c in disk["alpha"]["notebook"].cells if c.cell_type == "markdown")
    # beta's new paragraph between its code cells moved the failing cell: index and line follow the chapter
    beta = result.reports["beta", "pytorch"]
    lines = [i + 1 for i, text in enumerate((part / "beta.md").read_text(encoding="utf-8").splitlines())
             if text.startswith("```{")]
    assert [c.index for c in beta.cells] == [1, 3] and beta.failed_cells == [3] and not beta.ok
    assert [c.line for c in beta.cells] == lines
    article = parse(disk["beta"]["page"]).select_one("article").text
    assert SENTENCE in article and "ZeroDivisionError" in article


def test_a_code_edit_executes_that_chapters_run_only(builds):
    _, steps = builds
    result, executed, disk = steps["code"]
    assert executed == [("alpha", "pytorch")]
    assert not result.reports["alpha", "pytorch"].cached and result.reports["beta", "pytorch"].cached
    assert result.reports["alpha", "pytorch"].cells[1].stdout == "drawn again\n"
    article = parse(disk["alpha"]["page"]).select_one("article").text
    assert "drawn again" in article
    assert disk["kept"] == ["alpha", "beta"]  # the changed run's entry replaced its old one


def test_rerun_executes_everything(builds):
    _, steps = builds
    result, executed, _ = steps["rerun"]
    assert sorted(executed) == [("alpha", "pytorch"), ("beta", "pytorch")]
    assert not any(r.cached for r in result.reports.values())
    pids = {int(r.cells[0].stdout) for r in result.reports.values()}
    first = {int(r.cells[0].stdout) for r in steps["first"][0].reports.values()}
    assert len(pids) == 2 and not pids & first  # new kernels


# -- the key: what is an input and what is not ----------------------------------------------------

def _notebook(*sources):
    v4 = nbformat.v4
    return v4.new_notebook(cells=[v4.new_markdown_cell("# prose"), *map(v4.new_code_cell, sources)])


def _context(tmp_path=None, **values):
    options = BuildOptions(**values)
    env = KernelOptions(data_dir=tmp_path).env() if tmp_path else options.kernel.env()
    return cache.Context.of(options, env, ["pytorch"])


def test_the_key_changes_with_each_input_and_not_with_the_timeout_or_prose(tmp_path):
    nb = _notebook("x = 1", "print(x)")
    base = cache.run_key(nb, "pytorch", _context())
    assert cache.run_key(nb, "pytorch", _context(timeout=5)) == base
    prose = _notebook("x = 1", "print(x)")
    prose.cells[0].source = "# other prose"
    assert cache.run_key(prose, "pytorch", _context()) == base
    changed = {
        "a cell": cache.run_key(_notebook("x = 2", "print(x)"), "pytorch", _context()),
        "the order": cache.run_key(_notebook("print(x)", "x = 1"), "pytorch", _context()),
        "the seed": cache.run_key(nb, "pytorch", _context(seed=1)),
        "compile": cache.run_key(nb, "pytorch", _context(compile=True)),
        "the framework": cache.run_key(nb, "tensorflow", _context()),
        "the chapter": cache.run_key(nb, "pytorch", _context(), "another"),
    }
    context = _context()
    changed["its version"] = cache.run_key(nb, "pytorch", cache.Context(
        **{**context.__dict__, "versions": {"pytorch": "torch 0.0.1"}}))
    changed["d2lmomentum's source"] = cache.run_key(nb, "pytorch", cache.Context(
        **{**context.__dict__, "source": "another digest"}))
    (tmp_path / "airfoil_self_noise.dat").write_text("1 2 3\n", encoding="utf-8")
    changed["the data folder"] = with_data = cache.run_key(nb, "pytorch", _context(tmp_path))
    (tmp_path / "airfoil_self_noise.dat").write_text("1 2 4\n", encoding="utf-8")
    changed["a data file's contents"] = cache.run_key(nb, "pytorch", _context(tmp_path))
    assert len({base, *changed.values()}) == len(changed) + 1, changed
    assert with_data != changed["a data file's contents"]


def test_the_source_digest_follows_the_installed_files(tmp_path, monkeypatch):
    import d2lmomentum
    before = cache.source_digest()
    assert before == cache.source_digest()
    fake = tmp_path / "d2lmomentum"
    fake.mkdir()
    for path in Path(d2lmomentum.__file__).parent.rglob("*.py"):
        target = fake / path.relative_to(Path(d2lmomentum.__file__).parent)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    monkeypatch.setattr(d2lmomentum, "__file__", str(fake / "__init__.py"))
    assert cache.source_digest() == before  # the same files, elsewhere
    (fake / "dropin" / "figures.py").write_text("# changed\n", encoding="utf-8")
    assert cache.source_digest() != before


def test_the_framework_version_is_the_installed_distributions():
    import torch
    assert cache.framework_version("pytorch") == f"torch {torch.__version__}"


def _execution(nb, **fields):
    execution = Execution(nb, cell_seconds={1: 0.1, 2: 0.1}, **fields)
    for cell in nb.cells[1:]:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    return execution


@pytest.mark.parametrize("fields", [{"timed_out": {2}, "errors": {2: "CellTimeoutError: ran past"}},
                                    {"error": "the kernel died (SIGKILL)", "errors": {2: "the kernel died"}}])
def test_a_run_that_timed_out_or_died_is_never_kept(tmp_path, fields):
    nb = _notebook("x = 1", "print(x)")
    assert not cache.store(tmp_path, "k", _execution(nb, **fields), cache.now(), chapter="c", framework="pytorch")
    assert not cache.cache_dir(tmp_path).exists() or list(cache.cache_dir(tmp_path).iterdir()) == []


def test_a_run_whose_cell_raised_is_kept_with_its_error(tmp_path):
    nb = _notebook("x = 1", "1 / 0")
    ran_at = cache.now()
    assert cache.store(tmp_path, "k", _execution(nb, errors={2: "ZeroDivisionError: division by zero"}), ran_at,
                       chapter="c", framework="pytorch")
    hit = cache.load(tmp_path, "k", _notebook("x = 1", "1 / 0"))
    assert hit.ran_at == ran_at and hit.execution.errors == {2: "ZeroDivisionError: division by zero"}
    assert hit.execution.notebook.cells[1].outputs[0]["text"] == "1\n"


def test_an_interrupted_store_leaves_no_entry_and_a_damaged_entry_is_a_miss(tmp_path, monkeypatch):
    nb = _notebook("x = 1")

    def interrupted(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as mp:
        mp.setattr(os, "rename", interrupted)
        with pytest.raises(KeyboardInterrupt):
            cache.store(tmp_path, "k", _execution(nb), cache.now(), chapter="c", framework="pytorch")
    assert list(cache.cache_dir(tmp_path).iterdir()) == []  # neither the entry nor its temporary folder
    assert cache.load(tmp_path, "k", nb) is None
    cache.store(tmp_path, "k", _execution(nb), cache.now(), chapter="c", framework="pytorch")
    assert cache.load(tmp_path, "k", _notebook("x = 1")) is not None
    entry = cache.cache_dir(tmp_path) / "k" / cache.ENTRY
    entry.write_text(entry.read_text(encoding="utf-8")[:40], encoding="utf-8")  # cut short
    assert cache.load(tmp_path, "k", _notebook("x = 1")) is None


def _run_line(out):
    """The run's line of the command's output (after the line naming what it read)."""
    return next(line for line in out.splitlines() if line.startswith("pytorch:"))


def test_the_command_line_says_reused_and_rerun_runs_again(tmp_path, capsys):
    src = tmp_path / "ch.md"
    src.write_text("# Ch\n\n```{.python .input}\n#@tab all\nprint(6 * 7)\n```\n", encoding="utf-8")
    argv = ["chapter", "--source", str(src), "--out", str(tmp_path / "out"), "--timeout", "60"]
    assert cli_main(argv) == 0
    first = _run_line(capsys.readouterr().out)
    assert first.startswith("pytorch: 1/1 cells ok") and "reused" not in first
    assert cli_main(argv) == 0
    ran_at = json.loads((tmp_path / "out" / "pytorch" / "report.json").read_text(encoding="utf-8"))["ran_at"]
    line = _run_line(capsys.readouterr().out)
    assert line.startswith("pytorch: 1/1 cells ok") and f"(reused, ran {ran_at[:10]} {ran_at[11:19]} UTC)" in line
    assert cli_main([*argv, "--rerun"]) == 0
    assert "reused" not in capsys.readouterr().out


def test_a_crashs_leftover_temporary_folder_is_removed_once_stale_and_never_read(tmp_path):
    root = cache.cache_dir(tmp_path)
    old, recent = root / ".part-old", root / ".part-recent"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / cache.ENTRY).write_text("{}", encoding="utf-8")
    os.utime(old, (0, 0))
    nb = _notebook("x = 1")
    assert cache.store(tmp_path, "k", _execution(nb), cache.now(), chapter="c", framework="pytorch")
    assert sorted(p.name for p in root.iterdir()) == [".part-recent", "k"]  # a build in flight keeps its own
