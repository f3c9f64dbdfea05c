"""``momentum-<framework>.ipynb``: the chapter's markdown and one framework's code cells."""
from pathlib import Path

from d2lmomentum.cells import for_tab, parse, runnable_source


def build_notebook(source_text, tab):
    """An nbformat v4 notebook of ``tab``'s cells (``from d2l`` imports pointed at the drop-in)."""
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["d2lmomentum"] = {"framework": tab}
    cells = [nbformat.v4.new_code_cell("%matplotlib inline")]
    for cell in for_tab(parse(source_text), tab):
        if cell.kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(cell.source))
        else:
            cells.append(nbformat.v4.new_code_cell(runnable_source(cell.source)))
    nb.cells = cells
    return nb


def write_notebooks(source_text, out_dir, tabs, execute=False, timeout=600):
    """Write (and with ``execute`` run, on a real ipykernel) one notebook per tab; returns paths."""
    import nbformat
    from d2lmomentum.errors import D2LMomentumError
    from d2lmomentum.runner import write_atomic
    import os
    from d2lmomentum.data import CACHE_ENV, DATA_ENV
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for var in (DATA_ENV, CACHE_ENV):  # the kernel runs in ``out``: relative paths would break
        if os.environ.get(var):
            os.environ[var] = str(Path(os.environ[var]).expanduser().resolve())
    paths = []
    for tab in tabs:
        nb = build_notebook(source_text, tab)
        if execute:
            from nbclient import NotebookClient
            from nbclient.exceptions import CellExecutionError
            try:
                NotebookClient(nb, timeout=timeout, kernel_name="python3",
                               extra_arguments=["--log-level=ERROR"],
                               resources={"metadata": {"path": str(out)}}).execute()
            except CellExecutionError as e:
                raise D2LMomentumError(f"notebook for {tab} failed: {str(e).strip().splitlines()[-1]}") from None
        path = out / f"momentum-{tab}.ipynb"
        write_atomic(path, nbformat.writes(nb))
        paths.append(path)
    return paths
