"""The chapter runner: each framework's notebook runs on a real Jupyter kernel, and the report,
the figures and the kept notebook come from that one run. A failing, hanging or crashing cell
is reported with its index; Ctrl-C stops the run and its kernels; frameworks run in parallel."""
import base64
import json
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from d2lmomentum.book.cells import TABS


def _chapter(tmp_path, *cells, tabs="all", name="small.md"):
    """A d2l-format chapter of code cells (cell k has index k), written to ``tmp_path/name``."""
    path = tmp_path / name
    path.write_text("\n\n".join(f"```{{.python .input}}\n#@tab {tabs}\n{c}\n```" for c in cells) + "\n",
                    encoding="utf-8")
    return path


def _run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "d2lmomentum", *args], capture_output=True, text=True, **kw)


def _report(out, fw="pytorch"):
    return json.loads((out / fw / "report.json").read_text(encoding="utf-8"))


def test_report_figures_and_kept_notebook_come_from_one_kernel_run(tmp_path):
    src = _chapter(tmp_path, "import os\nprint('pid', os.getpid())",
                   "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nprint('drawn')\n6 * 7")
    out = tmp_path / "out"
    r = _run("chapter", "--backend", "pytorch", "--out", str(out), "--source", str(src))
    assert r.returncode == 0, r.stderr
    report = _report(out)
    assert report["ok"] and report["failed_cell"] is None and report["framework"] == "pytorch"
    first, second = report["cells"]
    assert [first["index"], second["index"]] == [0, 1] and first["tabs"] == list(TABS)
    assert int(first["stdout"].split()[1]) != os.getpid()  # a kernel of its own, not this process
    assert second["stdout"] == "drawn\n" and second["value"] == "42" and second["figures"] == ["cell01-0.png"]
    assert [o["type"] for o in second["outputs"]] == ["stream", "value", "figure"]
    assert first["error"] is None and all(c["seconds"] > 0 for c in report["cells"])

    nb = nbformat.read(out / "pytorch" / "momentum-pytorch.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "index" in c.metadata.get("d2lmomentum", {})]
    assert [c.metadata["d2lmomentum"]["index"] for c in code] == [0, 1]
    assert code[0].outputs[0]["text"] == first["stdout"]  # the same process id: one run
    png = next(o for o in code[1].outputs if "image/png" in o.get("data", {}))["data"]["image/png"]
    figure = (out / "pytorch" / "cell01-0.png").read_bytes()
    assert figure == base64.b64decode(png) and figure.startswith(b"\x89PNG")


def test_execute_notebook_says_where_and_why_a_run_stopped(tmp_path):
    from d2lmomentum.book.notebooks import build_notebook, execute_notebook
    src = _chapter(tmp_path, "x = 41", "x += 1\nprint(x)", "raise KeyError('missing')", "print('never')")
    nb = build_notebook(src.read_text(encoding="utf-8"), "mxnet")
    run = execute_notebook(nb, cwd=tmp_path, timeout=60)
    assert not run.ok and run.error == "KeyError: 'missing'"
    assert run.failed_cell == 3 and run.failed_index == 2  # after the setup cell, chapter cell 2
    assert sorted(run.cell_seconds) == [0, 1, 2, 3] and run.seconds >= sum(run.cell_seconds.values())
    assert nb.cells[2].outputs[0]["text"] == "42\n" and nb.cells[4].outputs == []


def test_execute_notebook_works_where_an_event_loop_already_runs(tmp_path):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    from d2lmomentum.book.notebooks import build_notebook, execute_notebook
    nb = build_notebook(_chapter(tmp_path, "print(6 * 7)").read_text(encoding="utf-8"), "pytorch")

    async def inside_a_loop():  # as in Jupyter, or beside Playwright's sync API
        asyncio.get_running_loop()
        return execute_notebook(nb, cwd=tmp_path)

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: this one may hold Playwright's loop
        assert pool.submit(asyncio.run, inside_a_loop()).result().ok
    assert nb.cells[1].outputs[0]["text"] == "42\n"


def test_svg_figures_with_format_svg(tmp_path):
    src = _chapter(tmp_path, "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0]);")
    out = tmp_path / "out"
    assert _run("chapter", "--out", str(out), "--source", str(src), "--format", "svg").returncode == 0
    assert _report(out)["cells"][0]["figures"] == ["cell00-0.svg"]
    assert b"<svg" in (out / "pytorch" / "cell00-0.svg").read_bytes()[:1000]


def test_a_rerun_into_the_same_folder_leaves_only_its_own_figures(tmp_path):
    out = tmp_path / "out"
    two = _chapter(tmp_path, "import matplotlib.pyplot as plt\nplt.plot([0, 1]); plt.figure(); plt.plot([1, 0]);")
    assert _run("chapter", "--out", str(out), "--source", str(two)).returncode == 0
    assert sorted(p.name for p in (out / "pytorch").glob("cell*")) == ["cell00-0.png", "cell00-1.png"]
    one = _chapter(tmp_path, "print('no figure now')", name="other.md")
    assert _run("chapter", "--out", str(out), "--source", str(one), "--format", "svg").returncode == 0
    assert list((out / "pytorch").glob("cell*")) == [] and _report(out)["cells"][0]["figures"] == []


def test_a_cell_past_the_timeout_is_interrupted_and_named(tmp_path):
    src = _chapter(tmp_path, "x = 1", "while True: pass", "print('after')")
    out = tmp_path / "out"
    t0 = time.monotonic()
    r = _run("chapter", "--out", str(out), "--source", str(src), "--timeout", "5", timeout=60)
    assert time.monotonic() - t0 < 30
    assert r.returncode == 1
    assert "pytorch: cell 1 failed: CellTimeoutError: ran past the 5 s limit" in r.stderr
    cells = _report(out)["cells"]
    assert [c["ok"] for c in cells] == [True, False, False]
    assert "KeyboardInterrupt" in cells[1]["traceback"]  # the kernel was interrupted, not left spinning
    assert cells[2]["error"] == "not run: cell 1 failed"


@pytest.mark.parametrize("crash, why", [("import os; os._exit(3)", "exit status 3"),
                                        ("import ctypes; ctypes.string_at(0)", "SIGSEGV")])
def test_a_dying_kernel_is_reported_with_the_cell_index(tmp_path, crash, why):
    src = _chapter(tmp_path, "x = 1", crash, "print('after')")
    out = tmp_path / "out"
    r = _run("chapter", "--out", str(out), "--source", str(src), timeout=60)
    assert r.returncode == 1
    assert f"pytorch: cell 1 failed: the kernel died ({why})" in r.stderr
    assert [c["ok"] for c in _report(out)["cells"]] == [True, False, False]


def test_a_failing_cell_stops_the_run_and_keeps_its_traceback(tmp_path):
    src = _chapter(tmp_path, "x = 1", "1 / 0", "print('after')")
    r = _run("chapter", "--backend", "pytorch", "--out", str(tmp_path / "out"), "--source", str(src))
    assert r.returncode == 1
    assert "cell 1 failed: ZeroDivisionError: division by zero" in r.stderr
    cells = _report(tmp_path / "out")["cells"]
    assert [c["ok"] for c in cells] == [True, False, False]
    assert "Traceback" in cells[1]["traceback"] and "\x1b[" not in cells[1]["traceback"]


def _children(pid):
    """Process ids whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid):
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# A shell starts background jobs (a CI script's, say) with SIGINT ignored, and children inherit
# that; a terminal's Ctrl-C reaches a process that does not ignore it. This prefix restores it.
_AS_IN_A_TERMINAL = [sys.executable, "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                     "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])", "-X", "faulthandler"]


def _interrupt_once_started(args, markers):
    """Start ``python args`` as from a terminal, wait for every ``markers`` file, press Ctrl-C;
    returns (exit status, stderr, the kernel pids it had). Fails if it runs on 10 s after."""
    proc = subprocess.Popen([*_AS_IN_A_TERMINAL, *args], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while not all(m.exists() for m in markers):
            assert proc.poll() is None and time.monotonic() < deadline, "the kernels did not start"
            time.sleep(0.2)
        kernels = _children(proc.pid)
        proc.send_signal(signal.SIGINT)
        try:
            status = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)  # -X faulthandler: the stacks say where it hangs
            pytest.fail(f"still running 10 s after Ctrl-C:\n{proc.communicate(timeout=10)[1][-6000:]}")
    finally:
        if proc.poll() is None:
            proc.kill()
    return status, proc.stderr.read(), kernels


def _gone(pids):
    """Whether every process in ``pids`` has ended within 5 s."""
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(pid) for pid in pids)


_SLEEPER = "import pathlib, time\npathlib.Path('started').touch()\ntime.sleep(300)"


def test_ctrl_c_stops_the_run_shuts_the_kernels_down_and_leaves_no_partial_file(tmp_path):
    src, out = _chapter(tmp_path, _SLEEPER), tmp_path / "out"
    status, stderr, kernels = _interrupt_once_started(
        ["-m", "d2lmomentum", "chapter", "--backend", "all", "--jobs", "3", "--out", str(out), "--source", str(src)],
        [out / fw / "started" for fw in TABS])
    assert status == 130 and "interrupted" in stderr
    assert len(kernels) == 3 and _gone(kernels)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        sorted(f"{fw}/started" for fw in TABS)


_IN_A_LOOP = """import asyncio, sys
from d2lmomentum.book.notebooks import build_notebook, execute_notebook
nb = build_notebook(open(sys.argv[1], encoding="utf-8").read(), "pytorch")

async def cell():  # as in Jupyter: the notebook runs from code inside a running event loop
    return execute_notebook(nb, cwd=sys.argv[2])

asyncio.new_event_loop().run_until_complete(cell())
"""


def test_ctrl_c_inside_a_running_event_loop_shuts_the_kernel_down(tmp_path):
    src = _chapter(tmp_path, _SLEEPER)
    status, stderr, kernels = _interrupt_once_started(["-c", _IN_A_LOOP, str(src), str(tmp_path)],
                                                      [tmp_path / "started"])
    assert status != 0 and stderr.rstrip().endswith("KeyboardInterrupt")
    assert len(kernels) == 1 and _gone(kernels)


_MEET = """import pathlib, time
here = pathlib.Path.cwd()
(here / 'ready').touch()
deadline = time.time() + 60
while not all((here.parent / fw / 'ready').exists() for fw in {tabs}) and time.time() < deadline:
    time.sleep(0.05)
print('met' if time.time() < deadline else 'alone')"""


def test_frameworks_run_in_parallel_with_jobs(tmp_path):
    src = _chapter(tmp_path, _MEET.format(tabs=TABS))  # each kernel waits until all three are running
    out = tmp_path / "out"
    assert _run("chapter", "--backend", "all", "--jobs", "3", "--out", str(out), "--source", str(src)).returncode == 0
    assert [_report(out, fw)["cells"][0]["stdout"] for fw in TABS] == ["met\n"] * 3


_WATCH = """import pathlib, time
here = pathlib.Path.cwd()
(here / 'running').touch()
others = [here.parent / fw / 'running' for fw in {tabs} if fw != here.name]
seen, deadline = False, time.time() + 2
while not seen and time.time() < deadline:
    seen = any(p.exists() for p in others)
    time.sleep(0.02)
(here / 'running').unlink()
print('overlap' if seen else 'alone')"""


def test_jobs_1_runs_the_frameworks_one_after_another(tmp_path):
    src = _chapter(tmp_path, _WATCH.format(tabs=TABS))  # each cell watches 2 s for another one running
    out = tmp_path / "out"
    assert _run("chapter", "--backend", "all", "--jobs", "1", "--out", str(out), "--source", str(src)).returncode == 0
    assert [_report(out, fw)["cells"][0]["stdout"] for fw in TABS] == ["alone\n"] * 3


@pytest.mark.parametrize("option", ["--timeout", "--jobs"])
def test_bad_run_options_are_one_line_errors(tmp_path, option):
    r = _run("chapter", "--out", str(tmp_path / "out"), option, "0")
    assert r.returncode == 2
    assert r.stderr.strip() == f"d2lmomentum: error: {option} must be at least 1" + \
        (" second, got 0" if option == "--timeout" else ", got 0")
    assert not (tmp_path / "out").exists()


def test_notebooks_execute_shares_the_engine_and_keeps_a_failed_notebook(tmp_path):
    src = _chapter(tmp_path, "print('ran')", "raise ValueError('bad value')")
    r = _run("notebooks", "--execute", "--backend", "pytorch", "--out", str(tmp_path / "nb"), "--source", str(src))
    assert r.returncode == 1
    assert "momentum-pytorch.ipynb: cell 1 failed: ValueError: bad value" in r.stderr
    nb = nbformat.read(tmp_path / "nb" / "momentum-pytorch.ipynb", as_version=4)
    assert nb.cells[1].outputs[0]["text"] == "ran\n"
    assert nb.cells[2].outputs[0]["ename"] == "ValueError"
