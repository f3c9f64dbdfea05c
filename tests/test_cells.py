"""d2lbook's tab rules for ``{.python .input}`` cells."""
from d2lmomentum.book.cells import for_tab, parse, runnable_source

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
    assert [c.tabs for c in code] == [("mxnet",), ("mxnet", "pytorch", "tensorflow"),
                                      ("pytorch", "tensorflow"), ("tensorflow",)]
    assert [c.source for c in code] == ["x = 1", "y = 2", "z = 3", "w = 4"]


def test_tab_selection_and_tab_markdown():
    assert [c.source for c in for_tab(parse(DOC), "pytorch") if c.kind == "code"] == ["y = 2", "z = 3"]
    md = [c for c in parse(DOC) if c.kind == "markdown"]
    assert md[0].source == "# Title\ntext" and md[0].tabs == ("mxnet", "pytorch", "tensorflow")
    assert md[1].source == "only torch" and md[1].tabs == ("pytorch",)


def test_runnable_source_drops_magics_and_points_d2l_at_the_dropin():
    src = "%matplotlib inline\nfrom d2l import torch as d2l\nimport torch"
    assert runnable_source(src) == "from d2lmomentum import torch as d2l\nimport torch"
