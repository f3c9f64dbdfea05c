"""What one framework's run of a chapter did, from its executed notebook: ``report.json``, the
figures and the notebook itself, written into the run's folder (each file whole or not at all).

The report lists per code cell: ``index``, ``tabs``, ``source``, ``line`` (in the chapter
file), ``ok`` or the ``error`` (one line; a cell after a dead kernel is ``not run``), wall
``seconds``, printed text (``stdout``), the value of a final expression (``value``), figure
files (``cell<NN>-<k>.<png|svg>``, NN the cell's index in the chapter), the traceback, and
``outputs`` (the same, in the order the cell produced them).
"""
import base64
import json
import re

from d2lmomentum.atomic import write_atomic
from d2lmomentum.book.notebooks import notebook_name
from d2lmomentum.book.outdir import remove_written

#: Each framework's report of a chapter run, beside its notebook.
REPORT_NAME = "report.json"
NOT_RUN = "not run"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_IMAGES = {"image/png": "png", "image/svg+xml": "svg"}


def write_results(execution, chapter, tab, folder, fmt="png"):
    """Write the executed notebook, its figures and ``report.json`` into ``folder``; returns the
    report (a dict, as in the file). Figures an earlier run wrote into ``folder`` go first, so
    that none is left unlisted (:func:`~d2lmomentum.book.outdir.remove_written`: never a file
    the tool did not write)."""
    import nbformat
    remove_written(folder, [f"cell*-*.{ext}" for ext in _IMAGES.values()])
    nb = execution.notebook
    records = []
    for position, cell in enumerate(nb.cells):
        index = cell.metadata.get("d2lmomentum", {}).get("index")
        if cell.cell_type != "code" or index is None:
            continue
        chapter_cell = chapter.cells[index]
        rec = {"index": index, "tabs": list(chapter_cell.tabs), "source": chapter_cell.source,
               "line": chapter_cell.line, "seconds": execution.cell_seconds.get(position, 0.0)}
        rec.update(_outputs(cell.get("outputs", []), index, folder, fmt))
        if position in execution.errors:
            rec.update(ok=False, error=execution.errors[position])
        elif not execution.ran(position):
            reason = f"{execution.error}" if execution.error else "the run stopped"
            rec.update(ok=False, error=f"{NOT_RUN}: {reason}")
        else:
            rec.update(ok=True, error=None)
        records.append(rec)
    failed = [r for r in records if not r["ok"] and not r["error"].startswith(NOT_RUN)]
    name = notebook_name(chapter.name, tab)
    report = {"chapter": chapter.name, "framework": tab, "ok": execution.ok and all(r["ok"] for r in records),
              "failed_cells": [r["index"] for r in failed], "failed_cell": failed[0]["index"] if failed else None,
              "error": execution.error or (failed[0]["error"] if failed else None),
              "seconds": execution.seconds, "notebook": name, "cells": records}
    write_atomic(folder / name, nbformat.writes(nb))
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
