"""The one pipeline (``d2lmomentum.book.pipeline``): a chapter is parsed once per run, run on
each framework's kernel, written as notebook, figures and ``report.json``, and its page is
built from the reports in memory. A failing cell does not end the chapter. ``write_notebooks``
writes what ``run_chapter`` writes, less the page; a framework that is not installed is
reported before any kernel starts."""
import base64
import builtins
import io
import shutil

import nbformat
import pytest

from d2lmomentum import backends
from d2lmomentum.book import cells as cell_format
from d2lmomentum.book import markdown, pipeline
from d2lmomentum.book.cells import TABS
from d2lmomentum.book.outdir import STATE_DIR
from d2lmomentum.book.pipeline import run_chapter, write_notebooks
from d2lmomentum.book.report import CellStatus, RunReport
from d2lmomentum.errors import BackendNotInstalledError, InvalidArgumentError

from _helpers import code_cell_lines, files_under, read_report, write_chapter
from _helpers.dom import parse

FRAMEWORKS = ("pytorch", "tensorflow")
#: A cell that says whether another framework's kernel ran it at the same time (1.5 s watch).
_WATCH = """import pathlib, time
here = pathlib.Path.cwd()
(here / 'running').touch()
others = [here.parent / fw / 'running' for fw in {frameworks} if fw != here.name]
seen, deadline = False, time.time() + 1.5
while not seen and time.time() < deadline:
    seen = any(p.exists() for p in others)
    time.sleep(0.02)
(here / 'running').unlink()
print('overlap' if seen else 'alone')"""
#: The tiny chapter's code cells (chapter cells 1…6; cell 0 is its title). Cell 2 fails, cell 3
#: does not need it, cell 4 uses the name cell 2 never bound, cell 5 draws a figure, cell 6
#: watches for the other framework's kernel.
CELLS = ("import os\nx = 41\nprint(os.getpid())", "z = 1 / 0", "print(x + 1)", "print(z)",
         "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nprint('drawn')\n6 * 7",
         _WATCH.format(frameworks=FRAMEWORKS))
OK = [True, False, True, False, True, True]
#: A markdown cell after the code (chapter cell 7): the chapter has two markdown cells.
PROSE = "\nSome *prose* after the cells.\n"


class _Spy:
    """Records the calls of ``target`` and passes them on."""

    def __init__(self, target):
        self.target, self.calls = target, []

    def __call__(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        return self.target(*args, **kwargs)


@pytest.fixture(scope="module")
def chapter_run(tmp_path_factory):
    """One ``run_chapter`` on PyTorch and TensorFlow, with ``cells.parse``, ``markdown.parse``
    and ``build_page`` spied on and every file opened recorded."""
    root = tmp_path_factory.mktemp("pipeline")
    src = write_chapter(root, *CELLS)
    src.write_text(src.read_text(encoding="utf-8") + PROSE, encoding="utf-8")
    opened, real_open = [], builtins.open

    def recording_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    spies = {}
    with pytest.MonkeyPatch.context() as mp:
        for module, name in ((cell_format, "parse"), (markdown, "parse"), (pipeline, "build_page")):
            spies[name if module is not markdown else "markdown"] = spy = _Spy(getattr(module, name))
            mp.setattr(module, name, spy)
        mp.setattr(builtins, "open", recording_open)
        mp.setattr(io, "open", recording_open)  # pathlib's read_text opens through io.open
        result = run_chapter(src, root / "out", ",".join(FRAMEWORKS), timeout=60, jobs=2)
    return src, root / "out", result, spies, opened


def test_a_failing_cell_does_not_end_the_chapter(chapter_run):
    _, out, result, _, _ = chapter_run
    for fw in FRAMEWORKS:
        report = result.reports["small", fw]
        by_index = {c.index: c for c in report.cells}
        assert sorted(by_index) == [1, 2, 3, 4, 5, 6]
        assert [by_index[i].ok for i in range(1, 7)] == OK
        assert [by_index[i].status for i in range(1, 7)] == [CellStatus.OK if ok else CellStatus.FAILED for ok in OK]
        assert by_index[2].error == "ZeroDivisionError: division by zero"
        assert by_index[4].error == "NameError: name 'z' is not defined"
        assert "Traceback" in by_index[2].traceback and "\x1b[" not in by_index[2].traceback
        assert by_index[3].stdout == "42\n"
        assert not report.ok and report.failed_cells == [2, 4]
        assert report.error is None  # the run itself went to its end
        assert not report.cached and report.ran_at
    assert not result.ok


def test_the_report_on_disk_is_the_report_in_memory(chapter_run):
    _, out, result, _, _ = chapter_run
    for fw in FRAMEWORKS:
        on_disk = read_report(out, fw)
        assert on_disk == result.reports["small", fw].to_dict()
        assert RunReport.from_dict(on_disk) == result.reports["small", fw]
        assert on_disk["cells"][1]["status"] == "failed" and "failed_cell" not in on_disk
        assert result.notebooks["small", fw] == out / fw / f"small-{fw}.ipynb"


def test_cells_lines_output_and_figure_come_from_one_kernel_run(chapter_run):
    src, out, result, _, _ = chapter_run
    fences = code_cell_lines(src)
    report = result.reports["small", "pytorch"]
    assert [c.line for c in report.cells] == fences
    assert all(c.tabs == list(TABS) and c.seconds > 0 for c in report.cells)
    first, figure_cell = report.cells[0], report.cells[4]
    assert figure_cell.stdout == "drawn\n" and figure_cell.value == "42"
    assert figure_cell.figures == ["cell05-0.png"]
    assert [o["type"] for o in figure_cell.outputs] == ["stream", "value", "figure"]
    nb = nbformat.read(out / "pytorch" / "small-pytorch.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "index" in c.metadata.get("d2lmomentum", {})]
    assert [c.metadata["d2lmomentum"]["index"] for c in code] == [1, 2, 3, 4, 5, 6]
    assert code[0].outputs[0]["text"] == first.stdout  # the same process id: one run
    png = next(o for o in code[4].outputs if "image/png" in o.get("data", {}))["data"]["image/png"]
    drawn = (out / "pytorch" / "cell05-0.png").read_bytes()
    assert drawn == base64.b64decode(png) and drawn.startswith(b"\x89PNG")
    pids = {int(result.reports["small", fw].cells[0].stdout) for fw in FRAMEWORKS}
    assert len(pids) == 2  # a kernel per framework


def test_the_chapter_is_parsed_once_per_run(chapter_run):
    src, _, _, spies, _ = chapter_run
    assert len(spies["parse"].calls) == 1  # not once per framework
    assert [args[0] for args, _ in spies["markdown"].calls] == ["# Small", PROSE.strip()]  # once each


def test_the_page_is_built_from_the_reports_in_memory(chapter_run):
    _, out, result, spies, opened = chapter_run
    (args, kwargs), = spies["build_page"].calls
    chapter, folder, reports, frameworks = args
    assert folder == out and tuple(frameworks) == FRAMEWORKS
    assert list(reports) == list(FRAMEWORKS)
    assert all(reports[fw] is result.reports["small", fw] for fw in FRAMEWORKS)
    assert not [f for f in opened if f.endswith("report.json")]  # written, never read back


def test_exactly_the_asked_frameworks_are_written_and_shown(chapter_run):
    _, out, result, _, _ = chapter_run
    assert sorted(p.name for p in out.iterdir() if p.is_dir() and p.name not in ("_static", STATE_DIR)) == \
        sorted(FRAMEWORKS)
    page = parse(result.pages["small"].read_text(encoding="utf-8"))
    assert result.pages["small"] == out / "index.html"
    assert page.select_one("body").get("data-frameworks") == " ".join(FRAMEWORKS)
    assert {tab.get("data-framework") for tab in page.select('[role="tab"]')} == set(FRAMEWORKS)


def test_executed_notebooks_are_the_chapter_run_less_the_page_with_jobs_1_one_at_a_time(chapter_run, tmp_path):
    src, out, _, _, _ = chapter_run
    nb_out, ended = tmp_path / "nb", []
    result = write_notebooks(src, nb_out, FRAMEWORKS, execute=True, timeout=60, jobs=1,
                             on_run=lambda chapter, fw, report: ended.append(fw))
    runs = [f for f in files_under(nb_out) if f.split("/")[0] in FRAMEWORKS]
    assert runs == [f for f in files_under(out) if f.split("/")[0] in FRAMEWORKS]
    assert [f for f in files_under(nb_out) if f not in runs and not f.startswith(".d2lmomentum/cache/")] == []
    assert result.pages == {} and not (nb_out / "index.html").exists()
    for fw in FRAMEWORKS:
        cells = result.reports["small", fw].cells
        assert [c.ok for c in cells] == OK
        assert cells[-1].stdout == "alone\n"  # the other framework's kernel ran before or after
    assert ended == ["tensorflow", "pytorch"]  # the slowest import starts first


def test_notebooks_without_execute_have_no_outputs(tmp_path):
    result = write_notebooks(None, tmp_path)  # the packaged chapter, every framework
    assert files_under(tmp_path) == sorted(f"{fw}/momentum-{fw}.ipynb" for fw in TABS)
    assert all(r is None for r in result.reports.values())
    for fw in TABS:
        nb = nbformat.read(tmp_path / fw / f"momentum-{fw}.ipynb", as_version=4)
        assert nb.metadata["d2lmomentum"] == {"framework": fw, "chapter": "momentum"}
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_a_missing_framework_is_reported_before_any_kernel_starts(tmp_path, monkeypatch):
    src = write_chapter(tmp_path, "print(1)")
    started = _Spy(pipeline.execute_async)
    monkeypatch.setattr(pipeline, "execute_async", started)
    monkeypatch.setattr(backends, "is_installed", lambda name: backends.canonical_name(name) != "mxnet")
    with pytest.raises(BackendNotInstalledError) as e:
        run_chapter(src, tmp_path / "out", "pytorch,mxnet")
    assert "'mxnet'" in str(e.value) and "pip install 'd2lmomentum[mxnet]'" in str(e.value)
    assert started.calls == [] and not (tmp_path / "out").exists()


def test_a_rerun_into_the_same_folder_leaves_only_its_own_figures_in_svg(chapter_run, tmp_path):
    _, first, _, _, _ = chapter_run
    out = tmp_path / "out"
    shutil.copytree(first, out)  # a PNG figure cell05-0.png from the first run
    two_figures = "import matplotlib.pyplot as plt\nplt.plot([0, 1]); plt.figure(); plt.plot([1, 0]);"
    other = write_chapter(tmp_path, two_figures, name="other.md")
    result = run_chapter(other, out, fmt="svg", timeout=60)
    figures = ["cell01-0.svg", "cell01-1.svg"]
    assert result.reports["other", "pytorch"].cells[0].figures == figures
    assert sorted(p.name for p in (out / "pytorch").glob("cell*")) == figures
    assert all(b"<svg" in (out / "pytorch" / f).read_bytes()[:1000] for f in figures)


@pytest.mark.parametrize("frameworks, message", [
    ("numpy", "frameworks must name frameworks among mxnet, pytorch, tensorflow, jax, got 'numpy'"),
    ("pytorch,,paddle", "frameworks must name frameworks among mxnet, pytorch, tensorflow, jax, got 'paddle'"),
    ("", "frameworks must name at least one of mxnet, pytorch, tensorflow, jax"),
])
def test_bad_frameworks_are_one_line_errors(tmp_path, frameworks, message):
    with pytest.raises(InvalidArgumentError) as e:
        run_chapter(None, tmp_path / "out", frameworks)
    assert str(e.value) == message and not (tmp_path / "out").exists()


def test_frameworks_take_aliases_all_and_repeats():
    assert pipeline.parse_frameworks("torch, tf,pytorch") == ("pytorch", "tensorflow")
    assert pipeline.parse_frameworks("ALL") == TABS and pipeline.parse_frameworks(["mx"]) == ("mxnet",)


def test_an_out_dir_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match=r"out_dir .*f is a file; give a folder"):
        write_notebooks(None, tmp_path / "f", "pytorch")
    assert (tmp_path / "f").read_text(encoding="utf-8") == "x"
