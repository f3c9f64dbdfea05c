"""d2lbook's tab rules for ``{.python .input}`` cells: tags, tab-only markdown, the default tab
of untagged cells (``config.ini``'s first tab; ``mxnet`` without one), and runnable source."""
import pytest

from d2lmomentum.book.cells import TABS, for_tab, parse, runnable_source
from d2lmomentum.book.chapter import load_chapter
from d2lmomentum.errors import InvalidArgumentError

DOC = """# Title
text
```{.python .input}
x = 1
```

```{.python .input}
#@tab all
y = 2
```

```{.python .input}
#@tab pytorch, tensorflow
z = 3
```

:begin_tab:`pytorch`
only torch
:end_tab:

```{.python .input}
#@tab tensorflow
w = 4
```
"""


def test_untagged_is_mxnet_all_is_every_tab_and_lists_split():
    code = [c for c in parse(DOC) if c.kind == "code"]
    assert [c.tabs for c in code] == [("mxnet",), TABS, ("pytorch", "tensorflow"), ("tensorflow",)]
    assert [c.source for c in code] == ["x = 1", "y = 2", "z = 3", "w = 4"]
    assert [c.line for c in code] == [3, 7, 12, 21]  # each cell's fence line in DOC


def test_tab_selection_and_tab_markdown():
    assert [c.source for c in for_tab(parse(DOC), "pytorch") if c.kind == "code"] == ["y = 2", "z = 3"]
    md = [c for c in parse(DOC) if c.kind == "markdown"]
    assert md[0].source == "# Title\ntext" and md[0].tabs == TABS
    assert md[1].source == "only torch" and md[1].tabs == ("pytorch",)


def test_an_unclosed_cell_is_an_error_naming_its_line():
    with pytest.raises(InvalidArgumentError, match=r"^ch\.md:3: a code cell is never closed"):
        parse("# T\n\n```{.python .input}\nx = 1\n", where="ch.md")


def test_runnable_source_drops_magics_and_points_d2l_at_the_dropin():
    src = "%matplotlib inline\nfrom d2l import torch as d2l\nimport torch"
    assert runnable_source(src) == "from d2lmomentum import torch as d2l\nimport torch"


UNTAGGED = "# T\n\n```{.python .input}\nx = 1\n```\n"


@pytest.mark.parametrize("config, tab", [
    (None, "mxnet"),  # no config.ini anywhere up the tree: d2lbook's old default
    ("[build]\ntabs = pytorch, mxnet\n", "pytorch"),
    ("[build]\ntabs = tensorflow,pytorch\n", "tensorflow"),
    ("[project]\nname = x\n", "mxnet"),  # a config.ini without tabs: the default tabs
])
def test_an_untagged_cell_goes_to_config_inis_first_tab(tmp_path, config, tab):
    part = tmp_path / "chapter_x"
    part.mkdir()
    if config is not None:
        (tmp_path / "config.ini").write_text(config, encoding="utf-8")  # at the tree's top, above the chapter
    (part / "c.md").write_text(UNTAGGED, encoding="utf-8")
    chapter = load_chapter(part / "c.md")
    (code,) = [c for c in chapter.cells if c.kind == "code"]
    assert code.tabs == (tab,)
    assert chapter.frameworks(TABS) == (tab,)


def test_untagged_cells_of_a_dropped_default_tab_run_nowhere(tmp_path, recwarn):
    (tmp_path / "config.ini").write_text("[build]\ntabs = paddle, pytorch\n", encoding="utf-8")
    (tmp_path / "c.md").write_text(UNTAGGED, encoding="utf-8")
    chapter = load_chapter(tmp_path / "c.md")
    assert [c.tabs for c in chapter.cells if c.kind == "code"] == [("paddle",)]
    assert chapter.frameworks(TABS) == ()
    assert any("default tab paddle" in str(w.message) for w in recwarn)
