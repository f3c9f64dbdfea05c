"""The run summary's rows, from each framework's :class:`~d2lmomentum.book.report.RunReport`:
cells, cells ok, figures, seconds, how it ended, the executed notebook and the report
(``summary.html`` shows them)."""
import dataclasses
import urllib.parse

from d2lmomentum.book.report import REPORT_NAME


@dataclasses.dataclass(frozen=True)
class Row:
    """One framework's run: ``status`` ``✓``, or ``✗`` and its failed cells (or why it stopped),
    and for a run reused from the cache when it ran (``ran_at``, UTC ISO 8601; None for a run
    of this build); links relative to the page."""
    framework: str
    cells: int
    ok: int
    figures: int
    seconds: float
    status: str
    ran_at: str = None
    notebook: str = None
    notebook_href: str = None
    report: str = REPORT_NAME
    report_href: str = None


def rows(reports, ui):
    """A :class:`Row` per framework of ``reports`` (framework -> RunReport), in order; ``ui``:
    the page's words (:mod:`d2lmomentum.book.ui`)."""
    found = []
    for fw, rep in reports.items():
        failed = rep.failed_cells
        status = "✓" if rep.ok else "✗ " + (", ".join(ui["cell"].format(index=i) for i in failed) if failed
                                           else (rep.error or ""))
        if rep.cached:
            status += " · " + ui["reused"].format(when=rep.ran_when)
        found.append(Row(fw, len(rep.cells), sum(c.ok for c in rep.cells), sum(len(c.figures) for c in rep.cells),
                         rep.seconds, status, ran_at=(rep.ran_at or "") if rep.cached else None,
                         notebook=rep.notebook,
                         notebook_href=f"{fw}/{urllib.parse.quote(rep.notebook)}" if rep.notebook else None,
                         report_href=f"{fw}/{REPORT_NAME}"))
    return found
