"""The command facing hostile or clumsy input: escape codes in a cell's error or a file name are
shown, not sent, and one line stays one line; a failing book prints the warnings its error points
at; a chapter where nothing runs says so; a device or a pipe as ``--source`` is refused at once;
``--data-dir`` takes a folder, as its help says; the command says which config.ini and .bib it
read; SIGTERM stops a run as Ctrl-C does, leaving no kernel or connection file behind."""
import os
import signal

import pytest

from d2lmomentum.cli.main import build_parser, main

from _helpers import SLEEPER, children, gone, interrupt_once_started, read_report, write_chapter

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_escape_codes_from_a_cell_and_a_file_name_are_shown_not_sent(tmp_path, capsys):
    src = write_chapter(tmp_path, f"raise ValueError({ESCAPES + 'first' + chr(10) + 'second'!r})",
                        name=f"ch{ESCAPES}.md", tabs="pytorch")
    status, out, err = _run(capsys, "chapter", "--source", src, "--out", tmp_path / "out", "--timeout", 60)
    assert status == 1
    assert "\x1b" not in out + err and "\x07" not in out + err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("d2lmomentum: error: ch\\x1b]0;pwned\\x07\\x1b[2J/pytorch: cell 1")
    assert lines[0].endswith("failed: ValueError: \\x1b]0;pwned\\x07\\x1b[2Jfirst\\nsecond")
    assert all(line.isprintable() for line in out.splitlines())
    assert read_report(tmp_path / "out")["cells"][0]["error"] == f"ValueError: {ESCAPES}first\nsecond"  # kept whole


def test_a_failing_book_prints_the_warnings_its_error_points_at(tmp_path, capsys):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "latin.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (tmp_path / "book" / "...md").write_text("# Dots\n", encoding="utf-8")
    status, out, err = _run(capsys, "book", tmp_path / "book", "--out", tmp_path / "out")
    lines = err.splitlines()
    assert status == 2 and len(lines) == 3
    assert all(line.startswith("d2lmomentum: warning: ") for line in lines[:2])
    assert sum("latin.md:1:6: not UTF-8" in line for line in lines[:2]) == 1
    assert sum("...md: a name that starts with '.'" in line for line in lines[:2]) == 1
    assert lines[2].startswith("d2lmomentum: error: no readable chapter in ") and "named in a warning above" in lines[2]
    assert not (tmp_path / "out").exists()


def test_a_chapter_where_nothing_runs_says_so(tmp_path, capsys):
    src = write_chapter(tmp_path, "print(1)", tabs="pytorch")
    status, out, err = _run(capsys, "chapter", "--source", src, "--out", tmp_path / "out", "--backend", "tensorflow")
    assert status == 1
    assert err == (f"d2lmomentum: error: {src}: no code cell for tensorflow (its code cells are for pytorch); "
                   "nothing ran\n")


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_device_or_a_pipe_as_source_is_refused_at_once(tmp_path, capsys, kind):
    path = "/dev/zero" if kind == "device" else tmp_path / "pipe.md"
    if kind == "fifo":
        os.mkfifo(path)
    status, out, err = _run(capsys, "chapter", "--source", path, "--out", tmp_path / "out")
    assert status == 2 and err == (f"d2lmomentum: error: chapter {path}: not a regular file (a device or a pipe); "
                                   "give a d2l-format markdown file\n")


def test_data_dir_is_a_folder_as_its_help_says(tmp_path, capsys):
    data = tmp_path / "airfoil_self_noise.dat"
    data.write_text("1\t2\n", encoding="utf-8")
    for command in ("chapter", "notebooks", "book"):
        subparser = build_parser()._subparsers._group_actions[0].choices[command]
        [action] = [a for a in subparser._actions if "--data-dir" in a.option_strings]
        assert action.metavar == "FOLDER" and action.help.startswith("folder of the data files")
    status, out, err = _run(capsys, "chapter", "--data-dir", data, "--out", tmp_path / "out")
    assert status == 2 and err == f"d2lmomentum: error: --data-dir {data}: no such folder (give the folder " \
                                  "that holds the data files a chapter downloads)\n"


def test_the_command_says_which_config_and_bib_it_read(tmp_path, capsys):
    (tmp_path / "config.ini").write_text("[project]\nlang = en\n[build]\ntabs = pytorch\n", encoding="utf-8")
    (tmp_path / "d2l.bib").write_text("", encoding="utf-8")
    (tmp_path / "part").mkdir()
    src = write_chapter(tmp_path / "part", "print(1)", tabs="pytorch")
    status, out, err = _run(capsys, "notebooks", "--source", src, "--out", tmp_path / "nb", "--backend", "pytorch")
    assert status == 0 and err == ""
    assert f"read: settings {tmp_path / 'config.ini'}; bibliography {tmp_path / 'd2l.bib'}" in out.splitlines()
    alone = tmp_path / "x" / "alone"  # two folders below the config.ini: out of reach
    alone.mkdir(parents=True)
    src = write_chapter(alone, "print(1)", tabs="pytorch")
    status, out, _ = _run(capsys, "notebooks", "--source", src, "--out", tmp_path / "nb2", "--backend", "pytorch")
    assert "read: settings none (no config.ini: d2lbook defaults); bibliography none but the packaged one" in \
        out.splitlines()


def test_sigterm_stops_the_run_and_leaves_no_kernel_or_connection_file(tmp_path, monkeypatch):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    src, out = write_chapter(tmp_path, SLEEPER, tabs="pytorch"), tmp_path / "out"
    status, stderr, kernels = interrupt_once_started(
        ["-m", "d2lmomentum", "chapter", "--out", str(out), "--source", str(src)], [out / "pytorch" / "started"],
        sig=signal.SIGTERM)
    assert status == 128 + signal.SIGTERM and stderr.splitlines()[-1] == "d2lmomentum: terminated"
    assert kernels and gone(kernels)
    assert sorted(p.name for p in runtime.iterdir() if p.name.startswith("kernel-")) == []
