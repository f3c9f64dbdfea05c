"""The ``d2lmomentum`` command: bad input is one line ``d2lmomentum: error: ...`` and exit status
2 (1 for a failure while running); a chapter with failing cells prints one error line per cell
with its line in the file and exits 1; every subcommand has help with an example. These run
``main(argv)`` in this process; the last tests run the command as a real process (its exit
status and stderr as a terminal sees them, Ctrl-C)."""
import json
import subprocess
import sys
import time

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum import backends
from d2lmomentum.book.cells import TABS
from d2lmomentum.cli.main import main
from d2lmomentum.book.chapter import packaged_path as packaged_chapter
from d2lmomentum.data import packaged_path

from _helpers import SLEEPER, code_cell_lines, files_under, gone, interrupt_once_started, read_report, write_chapter

FILE = str(packaged_path())  # a file where a folder is wanted
CLI_CASES = [
    (["train", "--lr", "abc"], 2, "argument --lr: invalid float value: 'abc'"),
    (["train", "--lr", "-1"], 2, "lr must be > 0, got -1.0"),
    (["train", "--momentum", "1.5"], 2, "momentum must be in [0, 1), got 1.5"),
    (["train", "--epochs", "0"], 2, "num_epochs must be a positive integer (>= 1), got 0"),
    (["train", "--batch-size", "5000"], 2, "batch_size must be <= 1500"),
    (["train", "--backend", "caffe"], 2, "unknown backend 'caffe'"),
    (["train", "--nesterov", "--momentum", "0"], 2, "nesterov=True needs momentum > 0"),
    (["train", "--seed", "-2"], 2, "--seed must be a non-negative integer"),
    (["train", "--data-dir", "/no/such/dir"], 2, "--data-dir /no/such/dir: no such file or folder"),
    (["train", "--frobnicate"], 2, "unrecognized arguments: --frobnicate"),
    (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
    (["parity", "--dtype", "float16"], 2, "invalid choice: 'float16'"),
    (["chapter", "--backend", "numpy"], 2, "--backend must name frameworks among mxnet, pytorch, tensorflow, "
                                           "jax, got 'numpy'"),
    (["notebooks", "--out", "nb", "--backend", "paddle"], 2, "--backend must name frameworks among mxnet, "
                                                             "pytorch, tensorflow, jax, got 'paddle'"),
    (["chapter", "--source", "/no/such.md"], 2, "chapter /no/such.md: no such file"),
    (["chapter", "--format", "jpg"], 2, "argument --format: invalid choice: 'jpg'"),
    (["chapter", "--timeout", "0"], 2, "--timeout must be a positive number of seconds (1 to 86400), got 0.0"),
    (["chapter", "--jobs", "0"], 2, "--jobs must be a positive integer (kernels at a time), got 0"),
    (["chapter", "--out", FILE], 2, f"--out {FILE} is a file; give a folder"),
    (["notebooks"], 2, "the following arguments are required: --out"),
    (["book", "/no/such/dir"], 2, "book /no/such/dir: no such folder"),
    (["theory", "--out", FILE], 2, "is a file; give a folder"),
    (["explore", "--out", FILE], 2, "is a file; give a folder"),
    (["train", "--lr", "5", "--momentum", "0.9", "--backend", "np", "--seed", "0"], 1, "training diverged"),
]


def _error_line(capsys):
    """The one ``d2lmomentum: error:`` line of stderr (fails on any other stderr line)."""
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("d2lmomentum: error: "), err
    return lines[0]


@pytest.mark.parametrize("args,status,message", CLI_CASES, ids=[" ".join(c[0]) for c in CLI_CASES])
def test_bad_input_is_one_line_and_its_exit_status(args, status, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) == status
    assert message in _error_line(capsys)
    assert list(tmp_path.iterdir()) == []  # nothing written


# --source files that are wrong in themselves: (file name, bytes, the .bib beside it or None, message)
SOURCE_CASES = [
    ("latin1.md", "# Caf\xe9\n".encode("latin-1"), None, "latin1.md:1:6: not UTF-8 (byte 0xe9"),
    ("badbib.md", b"# T\n", b"@article{X, title={no closing brace}\n", "badbib.bib: not a BibTeX file pybtex can read"),
    ("open.md", b"# T\n\n```{.python .input}\nx = 1\n", None, "open.md:3: a code cell is never closed"),
]


@pytest.mark.parametrize("command", ["chapter", "notebooks"])
@pytest.mark.parametrize("name,text,bib,message", SOURCE_CASES, ids=[c[0] for c in SOURCE_CASES])
def test_a_bad_source_is_one_line_and_writes_nothing(tmp_path, capsys, command, name, text, bib, message):
    (tmp_path / name).write_bytes(text)
    if bib is not None:
        (tmp_path / name).with_suffix(".bib").write_bytes(bib)
    out = tmp_path / "out"
    assert main([command, "--source", str(tmp_path / name), "--out", str(out)]) == 2
    assert message in _error_line(capsys)
    assert not out.exists()


def test_a_framework_not_installed_names_the_extra_before_any_run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(backends, "is_installed", lambda name: backends.canonical_name(name) != "tensorflow")
    out = tmp_path / "out"
    assert main(["chapter", "--backend", "pytorch,tf", "--out", str(out)]) == 2
    line = _error_line(capsys)
    assert "'tensorflow'" in line and "pip install 'd2lmomentum[tensorflow]'" in line
    assert not out.exists()


#: The failing chapter's code cells, chapter cells 1…7, run with --timeout 2: cell 2 never ends
#: (a loop that sleeps, so the limit costs no CPU), cell 3 raises, cell 4 runs (cell 2 was
#: interrupted, not left looping), cell 5 uses the name cell 3 never bound, cell 6 ends the
#: kernel, cell 7 is not run.
FAILING = ("x = 1", "import time\nwhile True:\n    time.sleep(0.05)", "z = 1 / 0", "print(x + 1)", "print(z)",
           "import os; os._exit(3)", "print('after')")


def test_notebooks_without_execute_are_written_per_framework(tmp_path, capsys):
    assert main(["notebooks", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    expected = [f"{fw}/momentum-{fw}.ipynb" for fw in TABS]
    assert files_under(tmp_path) == sorted(expected) and captured.err == ""
    assert captured.out.splitlines() == [f"read: settings none (no config.ini: d2lbook defaults); bibliography "
                                         f"{packaged_chapter().with_suffix('.bib')}",
                                         *(str(tmp_path / name) for name in expected)]


def test_train_json_and_line(capsys):
    assert main(["train", "--backend", "np", "--seed", "0", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    expected = dm.train_momentum(0.02, 0.5, backend="numpy", seed=0)
    assert d["losses"] == expected.losses and d["backend"] == "numpy"
    assert np.array(d["w"]).shape == (5, 1)
    assert main(["train", "--backend", "np", "--seed", "0"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"loss: {expected.losses[-1]:.3f}, ") and line.endswith(" sec/epoch")


@pytest.mark.parametrize("sub", ["train", "parity", "theory", "chapter", "notebooks", "book", "bench", "explore"])
def test_every_subcommand_has_help_with_an_example(sub, capsys):
    with pytest.raises(SystemExit) as e:
        main([sub, "--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0 and "example:" in out and f"d2lmomentum {sub}" in out.split("example:")[1]


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.strip() == f"d2lmomentum {dm.__version__}"


def test_as_a_process_each_failing_cell_is_an_error_line_with_its_line_and_later_cells_run(tmp_path):
    src = write_chapter(tmp_path, *FAILING)
    fence = code_cell_lines(src)  # the line of chapter cell k is fence[k - 1]
    out = tmp_path / "out"
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "d2lmomentum", "chapter", "--out", str(out), "--source", str(src),
                        "--timeout", "2"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and time.monotonic() - t0 < 40
    cells = read_report(out)["cells"]
    why = {2: "CellTimeoutError: ran past the 2 s limit (timeout) and was interrupted",
           3: "ZeroDivisionError: division by zero", 5: "NameError: name 'z' is not defined",
           6: "the kernel died (exit status 3)"}
    assert r.stderr.splitlines() == [  # only these: no kernel or framework noise
        f"d2lmomentum: error: small/pytorch: cell {k} (line {fence[k - 1]}) failed: {why[k]}" for k in sorted(why)
    ], [(c["index"], c["error"], c["seconds"]) for c in cells]
    assert [c["ok"] for c in cells] == [True, False, False, True, False, False, False]
    assert "KeyboardInterrupt" in cells[1]["traceback"] and cells[3]["stdout"] == "2\n"
    assert cells[6]["status"] == "not_run" and cells[6]["error"] == "the kernel died (exit status 3)"
    assert [c["status"] for c in cells] == ["ok", "timed_out", "failed", "ok", "failed", "failed", "not_run"]
    assert list((out / ".d2lmomentum" / "cache").glob("*")) == []  # a run that timed out or died is never kept
    assert read_report(out)["failed_cells"] == [2, 3, 5, 6]


def test_ctrl_c_stops_the_run_shuts_the_kernels_down_and_leaves_no_partial_file(tmp_path):
    src, out = write_chapter(tmp_path, SLEEPER), tmp_path / "out"
    frameworks = ("pytorch", "tensorflow")
    status, stderr, kernels = interrupt_once_started(
        ["-m", "d2lmomentum", "chapter", "--backend", ",".join(frameworks), "--jobs", "2", "--out", str(out),
         "--source", str(src)], [out / fw / "started" for fw in frameworks])
    assert status == 130 and stderr.splitlines()[-1] == "d2lmomentum: interrupted"
    assert len(kernels) == 2 and gone(kernels)
    assert files_under(out) == sorted(f"{fw}/started" for fw in frameworks)
