"""Run one framework's cells of a d2l-format chapter headlessly and report what they did.

Cells run in order in one namespace, with matplotlib's non-interactive Agg backend. After
each cell every open figure is saved (``cell<NN>-<k>.<fmt>``) and closed. The report,
``<out>/<framework>/report.json``, lists per cell: index, tabs, source, ok or the error with
its traceback, wall seconds, printed text, the value of a final expression (as Jupyter
shows it) and figure files. After the first failing cell the rest are marked not run.
"""
import ast
import contextlib
import io
import json
import os
import sys
import time
import traceback
from pathlib import Path

from d2lmomentum.cells import TABS, for_tab, parse, runnable_source
from d2lmomentum.progress import ProgressBar


def default_source():
    from importlib.resources import files
    return files("d2lmomentum.chapter").joinpath("momentum.md")


def write_atomic(path, text):
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _exec_cell(code, namespace):
    """Exec ``code``; if it ends in an expression without ``;``, return that value (Jupyter's Out)."""
    tree = ast.parse(code, mode="exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        return eval(compile(last, "<cell>", "eval"), namespace)
    return None


def run_tab(tab, source_text, out_dir, fmt="png", progress=False):
    """Run ``tab``'s cells; writes figures and ``report.json`` under ``out_dir/tab``; returns the report."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out_dir) / tab
    out.mkdir(parents=True, exist_ok=True)
    cells = [c for c in for_tab(parse(source_text), tab) if c.kind == "code"]
    namespace = {"__name__": "__main__"}
    records, failed = [], None
    bar = ProgressBar(len(cells), progress, f"chapter ({tab})", unit="cell")
    t_all = time.perf_counter()
    for cell in cells:
        bar.update()
        rec = {"index": cell.index, "tabs": list(cell.tabs), "source": cell.source, "figures": []}
        if failed is not None:
            rec.update(ok=False, error=f"not run: cell {failed} failed", traceback="", seconds=0.0, stdout="")
            records.append(rec)
            continue
        buf = io.StringIO()
        t0 = time.perf_counter()
        try:
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                value = _exec_cell(runnable_source(cell.source), namespace)
            rec.update(ok=True, value=None if value is None else repr(value))
        except BaseException as e:  # a cell's error, whatever it is, belongs in the report
            if isinstance(e, KeyboardInterrupt):
                raise
            rec.update(ok=False, error=f"{type(e).__name__}: {e}",
                       traceback="".join(traceback.format_exception(type(e), e, e.__traceback__)))
            failed = cell.index
        rec["seconds"] = time.perf_counter() - t0
        rec["stdout"] = buf.getvalue()
        for k, num in enumerate(plt.get_fignums()):
            name = f"cell{cell.index:02d}-{k}.{fmt}"
            fig = plt.figure(num)
            tmp = out / f".{name}.part"
            fig.savefig(tmp, format=fmt, bbox_inches="tight", dpi=100)
            os.replace(tmp, out / name)
            rec["figures"].append(name)
        plt.close("all")
        records.append(rec)
    bar.close()
    report = {"framework": tab, "ok": failed is None, "failed_cell": failed,
              "seconds": time.perf_counter() - t_all, "cells": records}
    write_atomic(out / "report.json", json.dumps(report, indent=1, ensure_ascii=False))
    return report


def main(argv=None):
    """``python -m d2lmomentum.runner TAB SOURCE OUT FMT [--progress]``: one framework, in its own process."""
    argv = sys.argv[1:] if argv is None else argv
    tab, source, out, fmt = argv[:4]
    if tab not in TABS:
        raise SystemExit(f"unknown tab {tab!r}")
    report = run_tab(tab, Path(source).read_text(encoding="utf-8"), out, fmt, progress="--progress" in argv)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
