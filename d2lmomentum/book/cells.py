"""d2l's markdown chapter format: ``{.python .input}`` code cells with d2lbook's tab rules.

A code cell's first line may be ``#@tab all``, ``#@tab pytorch`` or a comma list
(``#@tab mxnet, pytorch``); an untagged code cell belongs to the default tab, ``mxnet``.
Markdown between ``:begin_tab:`name``` and ``:end_tab:`` belongs to that tab only.
"""
import dataclasses
import re

from d2lmomentum.backends import FRAMEWORKS

#: The tab of an untagged code cell (d2lbook's rule), shown first as on d2l.ai.
DEFAULT_TAB = "mxnet"
#: The chapter's tabs: every framework, in d2l.ai's order.
TABS = (DEFAULT_TAB,) + tuple(fw for fw in FRAMEWORKS if fw != DEFAULT_TAB)
_FENCE = re.compile(r"^```\s*\{\.python\s+\.input\}\s*$")
_BEGIN_TAB = re.compile(r"^:begin_tab:`([^`]+)`\s*$")
_D2L_IMPORT = re.compile(r"^(\s*)from\s+d2l\s+import\s+(\w+)\s+as\s+d2l\b", re.M)


def check_tabs(names, what="frameworks", more=""):
    """``names`` as the chapter's tab names, in order, each once (aliases such as ``torch``
    allowed); an unknown name raises :class:`InvalidArgumentError` listing the tabs."""
    from d2lmomentum.backends import ALIASES
    from d2lmomentum.errors import InvalidArgumentError
    tabs = []
    for name in names:
        key = name.strip().lower() if isinstance(name, str) else name
        key = ALIASES.get(key, key)
        if key not in TABS:
            raise InvalidArgumentError(f"{what} must be one of {', '.join(TABS)}{more}, got {name!r}")
        tabs.append(key)
    return tuple(dict.fromkeys(tabs))


@dataclasses.dataclass
class Cell:
    index: int
    kind: str  # "code" or "markdown"
    source: str
    tabs: tuple  # frameworks the cell belongs to


def _tabs_of(tag_line):
    names = tag_line.split("#@tab", 1)[1].strip()
    if names == "all":
        return TABS
    tabs = tuple(t.strip() for t in names.split(",") if t.strip())
    return tabs


def parse(text):
    """The chapter's cells in order (markdown runs and code cells), with their tabs."""
    cells, md, lines = [], [], text.splitlines()
    md_tabs = TABS

    def flush_md():
        body = "\n".join(md).strip("\n")
        if body.strip():
            cells.append(Cell(len(cells), "markdown", body, md_tabs))
        md.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line.strip()):
            flush_md()
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            body = lines[i + 1:j]
            tabs = (DEFAULT_TAB,)
            if body and body[0].strip().startswith("#@tab"):
                tabs, body = _tabs_of(body[0]), body[1:]
            cells.append(Cell(len(cells), "code", "\n".join(body).strip("\n"), tabs))
            i = j + 1
            continue
        m = _BEGIN_TAB.match(line.strip())
        if m:
            flush_md()
            md_tabs = TABS if m.group(1) == "all" else (m.group(1),)
        elif line.strip() == ":end_tab:":
            flush_md()
            md_tabs = TABS
        else:
            md.append(line)
        i += 1
    flush_md()
    return cells


def for_tab(cells, tab):
    """The cells of one framework, in order."""
    return [c for c in cells if tab in c.tabs]


def runnable_source(source):
    """A code cell as plain Python: IPython magics dropped, ``from d2l import X as d2l``
    pointed at the drop-in ``d2lmomentum.X``."""
    kept = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return _D2L_IMPORT.sub(r"\1from d2lmomentum import \2 as d2l", "\n".join(kept))
