"""Fixtures of the drop-in tests: each drop-in imported once per framework, and the d2l names
that the chapters of d2l-en's ``chapter_optimization`` (in ``../shared``) call, per framework."""
import configparser
import importlib
import re

import pytest

from _helpers import FRAMEWORKS, SHARED, unavailable

CHAPTERS = SHARED / "d2l-en" / "chapter_optimization"
_FENCE = re.compile(r"^```\s*\{\.python\s+\.input\}\s*$")
_NAME = re.compile(r"\bd2l\.([A-Za-z_]\w*)")


def dropin_module(framework):
    """The public drop-in of ``framework`` (``d2lmomentum.torch`` for ``pytorch``)."""
    return importlib.import_module(f"d2lmomentum.{'torch' if framework == 'pytorch' else framework}")


@pytest.fixture(scope="module", params=FRAMEWORKS)
def d2l(request):
    """``(framework, drop-in module)``, one per framework, imported once."""
    return request.param, dropin_module(request.param)


def _code_cells(text, default_tab, all_tabs):
    """``(tabs, source)`` of each ``{.python .input}`` cell: a ``#@tab`` line's tabs, else ``default_tab``."""
    lines, i = text.splitlines(), 0
    while i < len(lines):
        if _FENCE.match(lines[i].strip()):
            j = lines.index("```", i + 1)
            body = lines[i + 1:j]
            tabs = (default_tab,)
            if body and body[0].strip().startswith("#@tab"):
                tag = body[0].split("#@tab", 1)[1].strip()
                tabs = all_tabs if tag == "all" else tuple(t.strip() for t in tag.split(","))
            yield tabs, "\n".join(body)
            i = j
        i += 1


@pytest.fixture(scope="session")
def chapter_names():
    """``{framework: {name: {chapter file, ...}}}``: every ``d2l.<name>`` in the chapters' code
    cells of that framework's tab (an untagged cell is config.ini's first tab, as in d2lbook)."""
    if not CHAPTERS.is_dir():
        unavailable(f"d2l-en's chapter_optimization is not at {CHAPTERS}",
                    "only CI and dev machines have ../shared beside the clone")
    config = configparser.ConfigParser()
    config.read(CHAPTERS.parent / "config.ini", encoding="utf-8")
    all_tabs = tuple(t.strip() for t in config["build"]["tabs"].split(","))
    names = {fw: {} for fw in FRAMEWORKS}
    for path in sorted(CHAPTERS.glob("*.md")):
        for tabs, source in _code_cells(path.read_text(encoding="utf-8"), all_tabs[0], all_tabs):
            for name in _NAME.findall(source):
                for fw in set(tabs) & set(FRAMEWORKS):
                    names[fw].setdefault(name, set()).add(path.name)
    return names
