"""Helpers shared by the tests (importable: tests/ is on pytest's pythonpath)."""
import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from d2lmomentum.backends import FRAMEWORKS, NAMES as BACKENDS  # noqa: F401  (re-exported)
from d2lmomentum.book.outdir import STATE_DIR

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def unavailable(reason, hint):
    """Skip for want of something a dev machine may lack (``reason``, with how to get it: ``hint``);
    under CI (``CI=true``), which has everything, fail instead, so that CI skips nothing."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason}; CI must run this test. {hint}")
    pytest.skip(f"{reason}. {hint}")


def rel_err(a, b):
    """Worst relative error of ``a`` against the expectation ``b``, elementwise."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-30)))


def momentum_closed_form(p0, gs, lr, beta, nesterov=False):
    """``(p_T, v_T)`` from ``v_t = sum_tau beta^tau g_{t-tau}`` and ``p_t = p_{t-1} - lr*v_t``
    (Nesterov: ``p_t = p_{t-1} - lr*(g_t + beta*v_t)``), in float64."""
    p = np.asarray(p0, np.float64).copy()
    v = np.zeros_like(p)
    for t in range(1, len(gs) + 1):
        v = sum(beta ** tau * np.asarray(gs[t - 1 - tau], np.float64) for tau in range(t))
        p = p - lr * (gs[t - 1] + beta * v if nesterov else v)
    return p, v


def shared_tree(name="d2l-en"):
    """The read-only test book ``../shared/<name>``: skipped when absent, failed under CI."""
    tree = SHARED / name
    if not (tree / "config.ini").is_file():
        unavailable(f"the shared book tree {tree} is missing", "put ../shared beside the repository")
    return tree


def write_chapter(folder, *cells, tabs="all", name="small.md", title="Small"):
    """A d2l-format chapter ``folder/name``: a ``# title`` markdown cell (chapter cell 0), then
    the code ``cells`` (chapter cells 1, 2, …), each tagged ``#@tab tabs``; returns its path."""
    path = Path(folder) / name
    code = [f"```{{.python .input}}\n#@tab {tabs}\n{c}\n```" for c in cells]
    path.write_text("\n\n".join([f"# {title}", *code]) + "\n", encoding="utf-8")
    return path


def read_report(folder, framework="pytorch"):
    """The ``report.json`` of one framework's run in a chapter's ``folder``."""
    return json.loads((Path(folder) / framework / "report.json").read_text(encoding="utf-8"))


def files_under(folder):
    """Every file under ``folder``, as sorted POSIX paths relative to it, but the tool's own state
    (``.d2lmomentum/``: the manifest of what it wrote, the lock; tested in ``tests/book/test_outdir.py``)."""
    folder = Path(folder)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.relative_to(folder).parts[0] != STATE_DIR)


def snapshot(folder):
    """Every file under ``folder`` (relative POSIX path -> its bytes), to compare before and after."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


#: The chapters of d2l-en's optimization part that :func:`shared_book` builds, in its toc order:
#: two of the fastest on PyTorch (a few cells each, plots but no long training).
SHARED_BOOK_CHAPTERS = ("optimization-intro", "convexity")
_SHARED_BOOK = {}


@dataclasses.dataclass(frozen=True)
class SharedBookRun:
    """What the :func:`shared_book` build returned: the chapter names in order, the reports
    ((chapter, framework) -> report dict) and the warning messages."""
    chapters: list
    reports: dict
    warnings: list

    @property
    def ok(self):
        return all(r["ok"] for r in self.reports.values())


def _build_shared_book(root):
    """Build the book of :data:`SHARED_BOOK_CHAPTERS` under ``root``; its record as JSON data."""
    from d2lmomentum.book.site import build_book
    tree = shared_tree()
    part = root / "d2l-en" / "chapter_optimization"
    part.mkdir(parents=True)
    for name in ("config.ini", "d2l.bib"):
        shutil.copy(tree / name, part.parent / name)
    shutil.copytree(tree / "img", part.parent / "img")
    for name in SHARED_BOOK_CHAPTERS:
        shutil.copy(tree / "chapter_optimization" / f"{name}.md", part)
    index = (tree / "chapter_optimization" / "index.md").read_text(encoding="utf-8")
    toc = "```toc\n:maxdepth: 2\n\n" + "\n".join(SHARED_BOOK_CHAPTERS) + "\n```"
    (part / "index.md").write_text(re.sub(r"```toc\n.*?```", lambda _: toc, index, count=1, flags=re.S),
                                   encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build_book(part, root / "book", "pytorch", timeout=120)
    return {"chapters": [c.name for c in result.chapters], "warnings": [str(w.message) for w in caught],
            "reports": [[c, fw, r.to_dict()] for (c, fw), r in result.reports.items()]}


def once(tmp_path_factory, name, build):
    """``(folder, record)``: ``build(folder)`` run once per test session into ``folder`` (named
    ``name``, shared by every xdist worker) and the JSON data it returned: the first worker to
    ask builds, under a lock, the others wait for it and reuse it. A build that raised is
    tried again by the next worker to ask (nothing was recorded)."""
    import fcntl
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / name
    root.mkdir(exist_ok=True)
    built = root / "built.json"
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not built.is_file():
            built.write_text(json.dumps(build(root)), encoding="utf-8")
        return root, json.loads(built.read_text(encoding="utf-8"))


def shared_book(tmp_path_factory):
    """The output folder of a book of :data:`SHARED_BOOK_CHAPTERS`, built on PyTorch from a copy
    of ``../shared/d2l-en`` (``config.ini``, ``d2l.bib``, ``img/`` and
    ``chapter_optimization/index.md`` with its toc cut to those chapters), once per test session
    (:func:`once`). Call it from a module- or session-scoped fixture; what the build returned is
    ``shared_book.result`` (a :class:`SharedBookRun`) and ``shared_book.warnings`` (also
    :func:`shared_book_run`)."""
    if "out" not in _SHARED_BOOK:
        root, record = once(tmp_path_factory, "shared-book", _build_shared_book)
        run = SharedBookRun(record["chapters"], {(c, fw): r for c, fw, r in record["reports"]}, record["warnings"])
        _SHARED_BOOK.update(out=root / "book", run=run)
    shared_book.result = _SHARED_BOOK["run"]
    shared_book.warnings = _SHARED_BOOK["run"].warnings
    return _SHARED_BOOK["out"]


@dataclasses.dataclass(frozen=True)
class PackagedRun:
    """The packaged chapter run once (:func:`packaged_run`): its output folder, each
    framework's :class:`~d2lmomentum.book.report.RunReport` and the markup warnings the run gave."""
    out: Path
    reports: dict
    warnings: list

    @property
    def ok(self):
        return all(r.ok for r in self.reports.values())


def installed_tabs():
    """The chapter's frameworks this environment has, in the chapter's order (``TABS``: all four,
    but mxnet on the numpy-2 stack)."""
    from d2lmomentum.backends import available_backends
    from d2lmomentum.book.cells import TABS
    return tuple(fw for fw in TABS if fw in available_backends())


def _run_packaged(root):
    from d2lmomentum.book.diagnostics import collect_markup_warnings
    from d2lmomentum.book.pipeline import run_chapter
    with collect_markup_warnings() as warned:
        result = run_chapter(None, root / "out", installed_tabs())
    return {"warnings": [str(w) for w in warned], "frameworks": [fw for (_, fw) in result.reports]}


def packaged_run(tmp_path_factory):
    """The packaged chapter run on every framework this environment has (:func:`installed_tabs`),
    once per test session (:func:`once`): the page tests and the chapter's JAX test read the same run."""
    from d2lmomentum.book.report import RunReport
    root, record = once(tmp_path_factory, "packaged-chapter", _run_packaged)
    out = root / "out"
    return PackagedRun(out, {fw: RunReport.read(out / fw / "report.json") for fw in record["frameworks"]},
                       record["warnings"])


def shared_book_run():
    """The :class:`SharedBookRun` of the :func:`shared_book` build (call that first)."""
    return _SHARED_BOOK["run"]


def children(pid):
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def gone(pids, seconds=5):
    """Whether every process in ``pids`` has ended within ``seconds``."""
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(pid) for pid in pids)


def interrupt_once_started(args, markers, grace=10, sig=signal.SIGINT):
    """Start ``python args`` as from a terminal (SIGINT not ignored, which a shell's background
    job would inherit), wait for every ``markers`` file, press Ctrl-C (or send ``sig``); returns (exit status,
    stderr, the pids of its children then). Fails if it runs on ``grace`` seconds after, with
    its stacks (``-X faulthandler``)."""
    as_in_a_terminal = [sys.executable, "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                        "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])", "-X", "faulthandler"]
    proc = subprocess.Popen([*as_in_a_terminal, *args], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while not all(Path(m).exists() for m in markers):
            assert proc.poll() is None and time.monotonic() < deadline, "the kernels did not start"
            time.sleep(0.2)
        kernels = children(proc.pid)
        proc.send_signal(sig)
        try:
            status = proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            pytest.fail(f"still running {grace} s after Ctrl-C:\n{proc.communicate(timeout=10)[1][-6000:]}")
    finally:
        if proc.poll() is None:
            proc.kill()
    return status, proc.stderr.read(), kernels


#: A cell that says it started (a file ``started`` in the kernel's folder), then sleeps.
SLEEPER = "import pathlib, time\npathlib.Path('started').touch()\ntime.sleep(300)"


def code_cell_lines(path):
    """The line of each ``{.python .input}`` fence of the chapter at ``path``, in order (read
    line by line, without the chapter parser)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, 1) if line.startswith("```{.python")]
