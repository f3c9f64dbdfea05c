"""A chapter's cells as the blocks of its page: prose shared by every shown framework (HTML,
rendered by :mod:`d2lmomentum.book.markdown`), each run of code cells (and framework-only
markdown) as a :class:`Group` with a panel per framework, a run of solution cells as a folded
:class:`Solution`; and the headings the page's table of contents lists. ``chapter.html`` shows them."""
import dataclasses
import typing

from d2lmomentum.book import markdown


class Code(typing.NamedTuple):
    """A code cell in a panel: the :class:`~d2lmomentum.book.cells.Cell` and its run's
    :class:`~d2lmomentum.book.report.CellReport` (None if it did not run)."""
    cell: object
    record: object


@dataclasses.dataclass(frozen=True)
class Group:
    """A run of code cells shown as tabs: ``frameworks`` (those with a cell in it, in order) and
    ``panels`` (framework -> its prose, as ``Markup``, and :class:`Code`, in order)."""
    frameworks: list
    panels: dict
    kind: typing.ClassVar[str] = "group"


@dataclasses.dataclass(frozen=True)
class Solution:
    """An exercise's solution, folded: its ``blocks`` (prose and groups)."""
    blocks: list
    kind: typing.ClassVar[str] = "solution"


def group(cells, frameworks, records, render_markdown):
    """The :class:`Group` of ``cells`` on ``frameworks`` (``records``: framework -> chapter index
    -> CellReport), or None if no framework has a cell in it."""
    present = [fw for fw in frameworks if any(fw in c.tabs for c in cells)]
    if not present:
        return None
    panels = {fw: [render_markdown(c) if c.kind == "markdown" else Code(c, records.get(fw, {}).get(c.index))
                   for c in cells if fw in c.tabs] for fw in present}
    return Group(present, panels)


def blocks(cells, shown, records, render_markdown):
    """The chapter's ``cells`` as blocks: prose shared by every ``shown`` framework, each run of
    code cells (and framework-only markdown) as one :class:`Group`, a run of solution cells as
    one :class:`Solution`. ``render_markdown(cell)``: a markdown cell's HTML."""
    parts, pending, solution, current = [], [], [], [0]

    def flush():
        if pending:
            found = group(list(pending), shown, records, render_markdown)
            if found is not None:
                (solution if pending[0].solution else parts).append(found)
            pending.clear()

    def close_solution():
        if solution:
            parts.append(Solution(list(solution)))
            solution.clear()

    for cell in cells:
        if pending and pending[0].solution != cell.solution:
            flush()
        if solution and cell.solution != current[0]:
            close_solution()
        current[0] = cell.solution
        if cell.kind == "markdown" and set(cell.tabs) >= set(shown):
            flush()
            (solution if cell.solution else parts).append(render_markdown(cell))
        else:
            pending.append(cell)
    flush()
    close_solution()
    return parts


def headings(tokens):
    """``[(level, id, text)]`` of the headings in parsed markdown ``tokens`` (numbered as shown)."""
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            number = (token.meta or {}).get("number")
            text = markdown.plain_text(tokens[i + 1])
            found.append((int(token.tag[1]), token.attrGet("id"), f"{number}. {text}" if number else text))
    return found
