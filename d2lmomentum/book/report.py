"""What one framework's run of a chapter did, from its executed notebook: a :class:`RunReport`,
written as ``report.json`` beside the executed notebook and the figures in the run's folder (each
file whole or not at all).

A report holds per code cell (:class:`CellReport`): ``index`` (in the chapter), ``tabs``,
``source``, ``line`` (in the chapter file), ``status`` (a :class:`CellStatus`), ``error`` (one
line, or the reason a cell did not run), wall ``seconds``, printed text (``stdout``), the value
of a final expression (``value``), figure files (``cell<NN>-<k>.<png|svg>``, NN the cell's index
in the chapter), the ``traceback``, and ``outputs`` (the same, in the order the cell produced
them). The JSON also carries what follows from those (``ok``, ``failed_cells``), for readers of
the file; :meth:`RunReport.from_dict` reads it back.
"""
import base64
import dataclasses
import enum
import json
import re

from d2lmomentum.atomic import write_atomic
from d2lmomentum.book.notebooks import notebook_name
from d2lmomentum.book.outdir import remove_written

#: Each framework's report of a chapter run, beside its notebook.
REPORT_NAME = "report.json"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_IMAGES = {"image/png": "png", "image/svg+xml": "svg"}


class CellStatus(str, enum.Enum):
    """How a code cell ended."""
    OK = "ok"
    FAILED = "failed"  # it raised
    TIMED_OUT = "timed_out"  # it ran past its limit and was interrupted
    NOT_RUN = "not_run"  # the run stopped before it (its kernel died or did not start)


@dataclasses.dataclass
class CellReport:
    """One code cell of a run (see the module's docstring)."""
    index: int
    tabs: list
    source: str
    line: int
    status: CellStatus
    error: str = None
    seconds: float = 0.0
    stdout: str = ""
    value: str = None
    figures: list = dataclasses.field(default_factory=list)
    outputs: list = dataclasses.field(default_factory=list)
    traceback: str = ""

    @property
    def ok(self):
        return self.status is CellStatus.OK

    @property
    def failed(self):
        """It ran and raised (or was stopped at its limit)."""
        return self.status in (CellStatus.FAILED, CellStatus.TIMED_OUT)


@dataclasses.dataclass
class RunReport:
    """One chapter × framework run: ``error`` is why the run stopped early (a kernel that died or
    did not start; None otherwise), ``seconds`` its wall time, ``notebook`` the executed
    notebook's file name, ``cached`` whether this build reused an earlier run (executed at
    ``ran_at``, UTC ISO 8601) instead of executing it."""
    chapter: str
    framework: str
    cells: list
    error: str = None
    seconds: float = 0.0
    notebook: str = None
    cached: bool = False
    ran_at: str = None

    @property
    def ok(self):
        return self.error is None and all(c.ok for c in self.cells)

    @property
    def ran_when(self):
        """When the run was executed, for a reader: ``2026-12-06 18:22:43 UTC``."""
        return (self.ran_at or "?").replace("T", " ").replace("+00:00", " UTC")

    @property
    def failed_cells(self):
        """The chapter indices of the cells that raised or timed out."""
        return [c.index for c in self.cells if c.failed]

    def to_dict(self):
        data = dataclasses.asdict(self)
        data["cells"] = [{**dataclasses.asdict(c), "status": c.status.value, "ok": c.ok} for c in self.cells]
        return {**data, "ok": self.ok, "failed_cells": self.failed_cells}

    @classmethod
    def from_dict(cls, data):
        """The report of a ``report.json`` (its derived ``ok`` and ``failed_cells`` left out)."""
        names = {f.name for f in dataclasses.fields(CellReport)}
        cells = [CellReport(**{**{k: v for k, v in c.items() if k in names}, "status": CellStatus(c["status"])})
                 for c in data["cells"]]
        fields = {f.name for f in dataclasses.fields(cls)} - {"cells"}
        return cls(cells=cells, **{k: v for k, v in data.items() if k in fields})

    @classmethod
    def read(cls, path):
        return cls.from_dict(json.loads(open(path, encoding="utf-8").read()))


def write_results(execution, chapter, tab, folder, fmt="png", *, cached=False, ran_at=None):
    """Write the executed notebook, its figures and ``report.json`` into ``folder``; returns the
    :class:`RunReport`. Figures an earlier run wrote into ``folder`` go first, so that none is left
    unlisted (:func:`~d2lmomentum.book.outdir.remove_written`: never a file the tool did not
    write). ``cached``/``ran_at``: the run was reused from the cache, executed at ``ran_at``."""
    import nbformat
    remove_written(folder, [f"cell*-*.{ext}" for ext in _IMAGES.values()])
    nb = execution.notebook
    cells = []
    for position, cell in enumerate(nb.cells):
        index = cell.metadata.get("d2lmomentum", {}).get("index")
        if cell.cell_type != "code" or index is None:
            continue
        chapter_cell = chapter.cells[index]
        if position in execution.errors:
            status = CellStatus.TIMED_OUT if position in execution.timed_out else CellStatus.FAILED
            error = execution.errors[position]
        elif not execution.ran(position):
            status, error = CellStatus.NOT_RUN, execution.error or "the run stopped"
        else:
            status, error = CellStatus.OK, None
        cells.append(CellReport(index=index, tabs=list(chapter_cell.tabs), source=chapter_cell.source,
                                line=chapter_cell.line, status=status, error=error,
                                seconds=execution.cell_seconds.get(position, 0.0),
                                **_outputs(cell.get("outputs", []), index, folder, fmt)))
    name = notebook_name(chapter.name, tab)
    report = RunReport(chapter=chapter.name, framework=tab, cells=cells, error=execution.error,
                       seconds=execution.seconds, notebook=name, cached=cached, ran_at=ran_at)
    write_atomic(folder / name, nbformat.writes(nb))
    write_atomic(folder / REPORT_NAME, json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
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
