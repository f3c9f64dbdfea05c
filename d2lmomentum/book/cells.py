"""d2l's markdown chapter format: ``{.python .input}`` code cells with d2lbook's tab rules.

A code cell's first line may be ``#@tab all``, ``#@tab pytorch`` or a comma list
(``#@tab mxnet, pytorch``); an untagged code cell belongs to the book's default tab, the first
of ``config.ini``'s ``tabs`` (d2lbook's rule), ``mxnet`` where there is no ``config.ini``.
Markdown between ``:begin_tab:`name``` and ``:end_tab:`` belongs to that tab only. Cells between
the lines ``:begin_solution:`` and ``:end_solution:`` are an exercise's solution (the page folds
them). A tab the project lacks (``jax``) is kept on its cells, which then run nowhere.
"""
import dataclasses
import re

from d2lmomentum.backends import ALIASES, FRAMEWORKS
from d2lmomentum.errors import InvalidArgumentError

#: The tab of an untagged code cell without a ``config.ini`` (d2lbook's rule for d2l-ko's order).
DEFAULT_TAB = "mxnet"
#: The chapter's tabs: every framework, in d2l-ko's order (the default tab first).
TABS = (DEFAULT_TAB,) + tuple(fw for fw in FRAMEWORKS if fw != DEFAULT_TAB)
SOLUTION_BEGIN, SOLUTION_END = ":begin_solution:", ":end_solution:"
_FENCE = re.compile(r"^```\s*\{\.python\s+\.input\b[^}]*\}\s*$")  # d2l-ko adds attributes: {.python .input  n=1}
_BEGIN_TAB = re.compile(r"^:begin_tab:`([^`]+)`\s*$")
# IPython magics and shell lines, and d2lbook's tab selector (it needs d2lbook's ``%load_ext``)
_NOT_RUN = ("%", "!", "tab.interact_select(")
_D2L_IMPORT = re.compile(r"^(\s*)from\s+d2l\s+import\s+(\w+)\s+as\s+d2l\b", re.M)
_D2L_NAME = re.compile(r"(?<![\w.])d2l\b")


def check_tabs(names, what="frameworks"):
    """``names`` as the chapter's tab names, in order, each once (aliases such as ``torch``
    allowed); an unknown name raises :class:`InvalidArgumentError` listing the tabs."""
    if isinstance(names, str):
        names = [names]
    tabs = []
    for name in names:
        key = name.strip().lower() if isinstance(name, str) else name
        key = ALIASES.get(key, key)
        if key not in TABS:
            raise InvalidArgumentError(f"{what} must name frameworks among {', '.join(TABS)}, got {name!r}")
        tabs.append(key)
    if not tabs:
        raise InvalidArgumentError(f"{what} must name at least one of {', '.join(TABS)}")
    return tuple(dict.fromkeys(tabs))


@dataclasses.dataclass(frozen=True)
class Cell:
    index: int
    kind: str  # "code" or "markdown"
    source: str
    tabs: tuple  # the tabs the cell belongs to (may name a tab the project lacks)
    line: int = 1  # the source line the cell starts at
    solution: int = 0  # k > 0: inside the k-th :begin_solution: … :end_solution: block


def _tabs_of(tag_line):
    names = tag_line.split("#@tab", 1)[1].strip()
    if names == "all":
        return TABS
    return tuple(t.strip() for t in names.split(",") if t.strip())


def parse(text, default_tab=DEFAULT_TAB, where="chapter"):
    """The chapter's cells in order (markdown runs and code cells), with their tabs.

    ``default_tab``: the tab of untagged code cells; ``where``: the file named in errors. A code
    cell without its closing fence is an :class:`InvalidArgumentError` naming its line.
    """
    cells, md, lines = [], [], text.splitlines()
    state = {"tabs": TABS, "solution": 0, "solutions": 0, "start": 1}

    def flush_md():
        body = "\n".join(md).strip("\n")
        if body.strip():
            skipped = next(i for i, line in enumerate(md) if line.strip())
            cells.append(Cell(len(cells), "markdown", body, state["tabs"], state["start"] + skipped,
                              state["solution"]))
        md.clear()

    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not md:
            state["start"] = i + 1
        if _FENCE.match(line):
            flush_md()
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            if j == len(lines):
                raise InvalidArgumentError(f"{where}:{i + 1}: a code cell is never closed (add a line ``` after it)")
            body = lines[i + 1:j]
            tabs = (default_tab,)
            if body and body[0].strip().startswith("#@tab"):
                tabs, body = _tabs_of(body[0]), body[1:]
            cells.append(Cell(len(cells), "code", "\n".join(body).strip("\n"), tabs, i + 1, state["solution"]))
            i = j + 1
            continue
        m = _BEGIN_TAB.match(line)
        if m:
            flush_md()
            state["tabs"] = _tabs_of("#@tab " + m.group(1))
        elif line == ":end_tab:":
            flush_md()
            state["tabs"] = TABS
        elif line in (SOLUTION_BEGIN, SOLUTION_END):
            flush_md()
            if line == SOLUTION_BEGIN:
                state["solutions"] += 1
            state["solution"] = state["solutions"] if line == SOLUTION_BEGIN else 0
        else:
            md.append(lines[i])
        i += 1
    flush_md()
    return cells


def for_tab(cells, tab):
    """The cells of one framework, in order."""
    return [c for c in cells if tab in c.tabs]


def imports_d2l(source):
    """Whether a code cell imports d2l's module for its framework (``from d2l import X as d2l``)."""
    return _D2L_IMPORT.search(source) is not None


def uses_d2l(source):
    """Whether a code cell names ``d2l`` (a word of its own, not an attribute); a mention in a
    string or a comment counts too, which only costs an import."""
    return _D2L_NAME.search(source) is not None


def runnable_source(source):
    """A code cell as plain Python: IPython magics dropped, ``from d2l import X as d2l``
    pointed at the drop-in ``d2lmomentum.X``."""
    kept = [line for line in source.splitlines() if not line.lstrip().startswith(_NOT_RUN)]
    return _D2L_IMPORT.sub(r"\1from d2lmomentum import \2 as d2l", "\n".join(kept))
