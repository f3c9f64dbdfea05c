"""The output folder is the tool's (d2lmomentum.book.outdir): a folder with a user's files, or the
source folder, is refused (status 2, one line saying how: another folder or ``--force``); with
``--force`` the user's files stay, a user's figure-named file included; a rebuild into the tool's
own output works; one run at a time per folder, and a crashed run does not hold the folder."""
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from d2lmomentum.book import outdir
from d2lmomentum.book.pipeline import run_chapter, write_notebooks
from d2lmomentum.cli.main import main as cli_main
from d2lmomentum.errors import InvalidArgumentError

from _helpers import snapshot, write_chapter


def _cli(capsys, *argv):
    status = cli_main(list(map(str, argv)))
    return status, capsys.readouterr()


def test_a_folder_with_a_users_files_is_refused_in_one_line(tmp_path, capsys):
    out = tmp_path / "out"
    (out / "pytorch").mkdir(parents=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "index.html").write_text("my page", encoding="utf-8")
    before = snapshot(tmp_path)
    status, printed = _cli(capsys, "notebooks", "--out", out, "--backend", "pytorch")
    assert status == 2 and printed.out == ""
    assert printed.err.count("\n") == 1 and printed.err.startswith("d2lmomentum: error: --out ")
    assert "'index.html', 'notes.txt', 'pytorch'" in printed.err and "--force" in printed.err
    assert snapshot(tmp_path) == before


def test_force_writes_beside_the_users_files_and_never_removes_one(tmp_path, capsys):
    out = tmp_path / "out"
    (out / "pytorch").mkdir(parents=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "pytorch" / "cell01-190.png").write_bytes(b"my own figure")
    status, printed = _cli(capsys, "notebooks", "--out", out, "--backend", "pytorch", "--force")
    assert status == 0, printed.err
    files = snapshot(out)
    assert files["notes.txt"] == b"mine" and files["pytorch/cell01-190.png"] == b"my own figure"
    manifest = outdir.read_manifest(out)
    assert manifest == {"pytorch/momentum-pytorch.ipynb"}  # what the tool wrote, only
    # now the tool's own output: a rebuild needs no --force, and still leaves the user's files
    status, printed = _cli(capsys, "notebooks", "--out", out, "--backend", "pytorch")
    assert status == 0, printed.err
    assert snapshot(out)["notes.txt"] == b"mine" and outdir.read_manifest(out) == manifest


def test_a_run_removes_its_own_old_figures_only(tmp_path):
    """A user's ``cell01-190.png`` beside the run's figures survives a rerun (main deleted it)."""
    src = write_chapter(tmp_path, "import matplotlib.pyplot as plt\nplt.plot([0, 1]);")
    out = tmp_path / "out"
    first = run_chapter(src, out, "pytorch", timeout=60)
    assert first.reports["small", "pytorch"].cells[0].figures == ["cell01-0.png"]
    (out / "pytorch" / "cell01-190.png").write_bytes(b"my own figure")
    (out / "pytorch" / "cell01-0.png").write_bytes(b"stale")  # the tool's own, rewritten below
    src.write_text(src.read_text(encoding="utf-8").replace("plt.plot([0, 1]);", "print(1)"), encoding="utf-8")
    second = run_chapter(src, out, "pytorch", timeout=60)
    assert second.reports["small", "pytorch"].cells[0].figures == []
    assert sorted(p.name for p in (out / "pytorch").glob("cell*")) == ["cell01-190.png"]
    assert "pytorch/cell01-190.png" not in outdir.read_manifest(out)


@pytest.mark.parametrize("where", ["same", "above"])
def test_the_source_folder_is_refused_even_with_force(tmp_path, where):
    (tmp_path / "book").mkdir()
    src = write_chapter(tmp_path / "book", "print(1)")
    out = src.parent if where == "same" else tmp_path
    before = snapshot(tmp_path)
    with pytest.raises(InvalidArgumentError, match=r"^out_dir .* is (the source folder|a folder above the source)"):
        write_notebooks(src, out, "pytorch", force=True)
    assert snapshot(tmp_path) == before


def test_a_second_run_is_refused_while_the_first_holds_the_folder(tmp_path, capsys):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from d2lmomentum.book.outdir import claim
        with claim({str(out)!r}):
            print("held", flush=True)
            time.sleep(120)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        status, printed = _cli(capsys, "notebooks", "--out", out, "--backend", "pytorch")
        assert status == 2 and printed.err.count("\n") == 1
        assert f"is being written by another d2lmomentum run (pid {holder.pid}, since " in printed.err
        assert not (out / "pytorch").exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # a crashed run: its lock goes with it
        holder.wait()
    status, printed = _cli(capsys, "notebooks", "--out", out, "--backend", "pytorch")
    assert status == 0, printed.err
    assert (out / "pytorch" / "momentum-pytorch.ipynb").is_file()


def test_the_tools_state_is_never_a_users_file(tmp_path):
    """A folder holding only ``.d2lmomentum/`` (an execution cache, a stale lock) is the tool's."""
    out = tmp_path / "out"
    (out / outdir.STATE_DIR / "cache").mkdir(parents=True)
    (out / outdir.STATE_DIR / "cache" / "entry").write_text("cached", encoding="utf-8")
    with outdir.claim(out):
        (out / "page.html").write_text("x", encoding="utf-8")
    manifest = json.loads((out / outdir.STATE_DIR / outdir.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["files"] == ["page.html"]
    assert (out / outdir.STATE_DIR / "cache" / "entry").read_text(encoding="utf-8") == "cached"
