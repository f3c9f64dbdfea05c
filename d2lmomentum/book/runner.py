"""Run a d2l-format chapter on each framework's Jupyter kernel and write what it did.

For each framework the chapter becomes a notebook (:mod:`d2lmomentum.book.notebooks`), executed on
a kernel of its own, the frameworks in parallel (``jobs`` kernels at a time). From each
executed notebook come, under ``<out>/<framework>/``: the notebook with its outputs
(``momentum-<framework>.ipynb``), the figures (``cell<NN>-<k>.<png|svg>``, NN the cell's index
in the chapter) and ``report.json``, which lists per code cell: index, tabs, source, ok or the
error with its traceback, wall seconds, printed text, the value of a final expression,
figure files, and ``outputs`` (the same, in the order the cell produced them). After the
first failing cell the rest are marked not run. Then ``<out>/index.html`` is built
(:mod:`d2lmomentum.book.page`).

Every file is written whole or not at all (:mod:`d2lmomentum.atomic`), so an interrupted run
leaves no half-written file.
"""
import base64
import dataclasses
import json
import re
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.backends import START_ORDER
from d2lmomentum.book.cells import TABS, check_tabs, parse
from d2lmomentum.book.notebooks import (DEFAULT_TIMEOUT, REPORT_NAME, build_notebook, check_options, execute_async, kernel_env,
                                   notebook_name, run_limited, run_sync)
from d2lmomentum.progress import ProgressBar

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_IMAGES = {"image/png": "png", "image/svg+xml": "svg"}


def default_source():
    from importlib.resources import files
    return files("d2lmomentum.chapter").joinpath("momentum.md")


@dataclasses.dataclass
class ChapterRun:
    """What :func:`run_chapter` wrote: each framework's report and the page."""
    out: Path
    reports: dict  # framework -> report (as in report.json)
    index: Path


def run_chapter(source_text, out_dir, frameworks=TABS, *, fmt="png", timeout=DEFAULT_TIMEOUT, jobs=None,
                seed=None, progress=False, bibliography=None):
    """Run the chapter on every framework in ``frameworks`` and build the page; returns a
    :class:`ChapterRun`. ``timeout``: seconds a cell; ``jobs``: kernels at a time (default:
    the CPU count); ``seed``: the drop-ins' seed (``$D2LMOMENTUM_SEED`` in the kernels);
    ``bibliography``: ``.bib`` files beyond the packaged ones."""
    from d2lmomentum.book import page
    from d2lmomentum.explorer.page import PAGE
    from d2lmomentum.book.page.references import References
    check_options(timeout, jobs)
    frameworks = check_tabs(frameworks)
    cells = parse(source_text)
    refs = References.of_chapter(source_text, bibliography or ())
    explorer_href = f"../{page.EXPLORER_DIR}/{PAGE}"  # from a framework's folder
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    notebooks = {fw: build_notebook(source_text, fw, fmt=fmt, explorer_href=explorer_href, references=refs)
                 for fw in frameworks}
    total = sum(c.cell_type == "code" for nb in notebooks.values() for c in nb.cells)
    bar = ProgressBar(total, progress, "chapter (" + ", ".join(frameworks) + ")", unit="cell")
    env = kernel_env(seed)

    async def one(fw):
        folder = out / fw
        folder.mkdir(exist_ok=True)
        execution = await execute_async(notebooks[fw], timeout=timeout, cwd=folder, env=env,
                                        on_cell=lambda _: bar.update())
        return write_results(execution, fw, cells, folder, fmt)

    try:
        order = sorted(frameworks, key=lambda fw: START_ORDER.index(fw) if fw in START_ORDER else len(START_ORDER))
        reports = dict(zip(order, run_sync(run_limited(jobs, [one(fw) for fw in order]))))
    finally:
        bar.close()
    index = page.build(out, source_text, frameworks, references=refs)
    return ChapterRun(out, {fw: reports[fw] for fw in frameworks}, index)


def write_results(execution, tab, cells, folder, fmt="png"):
    """Write the executed notebook, its figures and ``report.json`` into ``folder``; returns the
    report. Figures of an earlier run into ``folder`` go first, so that none is left unlisted."""
    import nbformat
    for ext in _IMAGES.values():
        for old in folder.glob(f"cell*-*.{ext}"):
            old.unlink()
    nb = execution.notebook
    records, failed = [], None
    for position, cell in enumerate(nb.cells):
        index = cell.metadata.get("d2lmomentum", {}).get("index")
        if cell.cell_type != "code" or index is None:
            continue
        chapter_cell = cells[index]
        rec = {"index": index, "tabs": list(chapter_cell.tabs), "source": chapter_cell.source,
               "seconds": execution.cell_seconds.get(position, 0.0)}
        rec.update(_outputs(cell.get("outputs", []), index, folder, fmt))
        if position == execution.failed_cell:
            failed = index
            rec.update(ok=False, error=execution.error)
        elif execution.error and (failed is not None or position not in execution.cell_seconds):
            reason = f"cell {failed} failed" if failed is not None else execution.error
            rec.update(ok=False, error=f"not run: {reason}")
        else:
            rec.update(ok=True, error=None)
        records.append(rec)
    report = {"framework": tab, "ok": execution.ok, "failed_cell": failed, "error": execution.error,
              "seconds": execution.seconds, "notebook": notebook_name(tab), "cells": records}
    write_atomic(folder / notebook_name(tab), nbformat.writes(nb))
    write_atomic(folder / REPORT_NAME, json.dumps(report, indent=1, ensure_ascii=False))
    return report


def _outputs(outputs, index, folder, fmt):
    """A code cell's outputs for the report; its images written as figure files."""
    ordered, figures, stdout, value, traceback = [], [], [], None, ""
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            stdout.append(out["text"])
            ordered.append({"type": "stream", "name": out["name"], "text": out["text"]})
        elif kind == "error":
            traceback = _ANSI.sub("", "\n".join(out.get("traceback", [])))
            ordered.append({"type": "error", "text": traceback})
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            image = _pick_image(data, fmt)
            if image is not None:
                name = f"cell{index:02d}-{len(figures)}.{_IMAGES[image]}"
                raw = data[image]
                write_atomic(folder / name, raw.encode("utf-8") if image == "image/svg+xml" else base64.b64decode(raw))
                figures.append(name)
                ordered.append({"type": "figure", "file": name})
            elif "text/plain" in data:
                text = data["text/plain"]
                if kind == "execute_result":
                    value = text
                ordered.append({"type": "value" if kind == "execute_result" else "display", "text": text})
    return {"stdout": "".join(stdout), "value": value, "figures": figures, "outputs": ordered,
            "traceback": traceback}


def _pick_image(data, fmt):
    preferred = "image/svg+xml" if fmt == "svg" else "image/png"
    if preferred in data:
        return preferred
    return next((mime for mime in _IMAGES if mime in data), None)
