"""A chapter's notebooks: a tab without an import cell of its own still gets its drop-in as
``d2l`` where its cells use it, and no import where none does; a notebook as written draws its
figures inline on a reader's own Jupyter kernel."""
import os

from d2lmomentum.book.chapter import link, load_chapter
from d2lmomentum.book.cells import uses_d2l
from d2lmomentum.book.kernels import execute_notebook
from d2lmomentum.book.notebooks import build_notebook

CHAPTER = """# Ch

```{.python .input}
#@tab pytorch
from d2l import torch as d2l
```

```{.python .input}
#@tab all
x = d2l.arange(3)
```
"""


def _setup_and_code(tmp_path, tab):
    (tmp_path / "config.ini").write_text("[build]\ntabs = pytorch, jax\n", encoding="utf-8")
    (tmp_path / "ch.md").write_text(CHAPTER, encoding="utf-8")
    (chapter,) = link([load_chapter(tmp_path / "ch.md")])
    code = [c.source for c in build_notebook(chapter, tab).cells if c.cell_type == "code"]
    return code[0], code[1:]


def test_a_tab_with_no_import_cell_gets_its_dropin_in_the_setup_cell(tmp_path):
    setup, code = _setup_and_code(tmp_path, "jax")
    assert setup.splitlines()[-1] == "from d2lmomentum import jax as d2l"
    assert code == ["x = d2l.arange(3)"]  # d2l-en's `#@tab all` cells, run on JAX as they are


def test_a_tab_that_imports_d2l_itself_keeps_its_own_import(tmp_path):
    setup, code = _setup_and_code(tmp_path, "pytorch")
    assert "d2l" not in setup
    assert code == ["from d2lmomentum import torch as d2l", "x = d2l.arange(3)"]


def test_the_setup_import_runs(tmp_path):
    setup, _ = _setup_and_code(tmp_path, "jax")
    namespace = {}
    exec(setup.splitlines()[-1], namespace)
    assert namespace["d2l"].BACKEND == "jax"


def test_a_tab_whose_cells_never_name_d2l_imports_no_framework(tmp_path):
    (tmp_path / "ch.md").write_text("# Ch\n\n```{.python .input}\n#@tab pytorch\nprint(1)\n```\n", encoding="utf-8")
    (chapter,) = link([load_chapter(tmp_path / "ch.md")])
    setup = build_notebook(chapter, "pytorch").cells[0].source
    assert setup.startswith("%matplotlib inline") and "import" not in setup


def test_d2l_is_used_where_it_is_a_name_of_its_own():
    assert uses_d2l("x = d2l.arange(3)") and uses_d2l("f(d2l)") and uses_d2l("    d2l.plt.show()")
    assert not uses_d2l("print(1)") and not uses_d2l("import my_d2l") and not uses_d2l("x.d2l = 1")


def test_a_written_notebook_draws_inline_in_a_jupyter_whose_shell_set_another_backend(tmp_path):
    """A reader's Jupyter started from a shell with ``MPLBACKEND=Agg`` (not the environment the
    runs get): the setup cell's ``%matplotlib inline`` still shows the figure in the notebook."""
    (tmp_path / "ch.md").write_text("# Ch\n\n```{.python .input}\n#@tab pytorch\nimport matplotlib.pyplot as plt\n"
                                    "plt.plot([0, 1], [1, 0]);\n```\n", encoding="utf-8")
    (chapter,) = link([load_chapter(tmp_path / "ch.md")])
    nb = build_notebook(chapter, "pytorch")
    run = execute_notebook(nb, cwd=tmp_path, env=dict(os.environ, MPLBACKEND="Agg"), timeout=60)
    assert run.ok
    assert [sorted(o.get("data", {})) for o in nb.cells[-1].outputs] == [["image/png", "text/plain"]]
