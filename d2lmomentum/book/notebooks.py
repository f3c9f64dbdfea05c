"""The chapter as Jupyter notebooks: one per framework, built with nbformat and executed on a
real Jupyter kernel with nbclient. The chapter runner and ``d2lmomentum notebooks`` share it.

A notebook starts with a setup cell (inline figures in the chosen format), then holds the
chapter's markdown, d2l's markup resolved (links, anchors, a bibliography cell; the math is
left as ``$…$`` for Jupyter), and the framework's code cells, ``from d2l import X as d2l``
pointed at the drop-in. Each cell's ``metadata["d2lmomentum"]["index"]`` is its index in the
chapter.

Execution runs every cell in order on a fresh ipykernel of this interpreter and stops at the
first failure: an error, a cell past its time limit (interrupted), or a kernel that dies.
The kernel's own stdout and stderr (start-up and log noise) go to a temporary file, never to
the notebook or the terminal; what the cells print lands in the notebook's outputs.
"""
import asyncio
import dataclasses
import logging
import os
import signal
import tempfile
import time
from pathlib import Path

from d2lmomentum import envvars
from d2lmomentum.book.cells import for_tab, parse, runnable_source

DEFAULT_TIMEOUT = 600
SETUP_SOURCE = "%matplotlib inline\n%config InlineBackend.figure_formats = [{fmt!r}]"
FORMATS = ("png", "svg")
_LOG = logging.getLogger("d2lmomentum.book.notebooks")
_LOG.addHandler(logging.NullHandler())
_LOG.propagate = False


#: Each framework's report of a chapter run, beside its notebook.
REPORT_NAME = "report.json"


def notebook_name(tab):
    return f"momentum-{tab}.ipynb"


def explorer_note(href=None):
    """The markdown a notebook shows where the page embeds the interactive explorer."""
    if href:
        return (f"> [대화형 탐색기]({href})에서 학습률 $\\eta$와 모멘텀 $\\beta$를 바꿔 가며 "
                "궤적이 어떻게 달라지는지 직접 볼 수 있습니다.")
    return ("> `d2lmomentum explore --out explorer`로 만드는 대화형 탐색기(`explorer/explorer.html`)에서 "
            "학습률 $\\eta$와 모멘텀 $\\beta$를 바꿔 가며 궤적이 어떻게 달라지는지 직접 볼 수 있습니다.")


def build_notebook(source_text, tab, *, fmt="png", explorer_href=None, references=None):
    """An nbformat v4 notebook of ``tab``'s cells.

    ``explorer_href``: where the explorer marker links (else it names the command that
    writes the explorer); ``references``: the chapter's
    :class:`~d2lmomentum.book.page.references.References` (built from ``source_text`` if None).
    """
    import nbformat
    from d2lmomentum.errors import InvalidArgumentError
    from d2lmomentum.book.page.markdown import EXPLORER_MARKER
    from d2lmomentum.book.page.references import References
    if fmt not in FORMATS:
        raise InvalidArgumentError(f"figure format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    cells = parse(source_text)
    refs = references or References.of_chapter(source_text)
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["d2lmomentum"] = {"framework": tab}
    nb.cells = [v4.new_code_cell(SETUP_SOURCE.format(fmt=fmt), metadata={"d2lmomentum": {"setup": True}})]
    for cell in for_tab(cells, tab):
        meta = {"d2lmomentum": {"index": cell.index}}
        if cell.kind == "markdown":
            text = refs.resolve_markdown(cell.source).replace(EXPLORER_MARKER, explorer_note(explorer_href))
            nb.cells.append(v4.new_markdown_cell(text, metadata=meta))
        else:
            nb.cells.append(v4.new_code_cell(runnable_source(cell.source), metadata=meta))
    entries = refs.bibliography_entries("markdown")
    if entries:
        items = "\n".join(f'* <a id="bib-{key}"></a>**{who}** {text}' for key, who, text in entries)
        nb.cells.append(v4.new_markdown_cell(f"## 참고 문헌\n\n{items}"))
    return nb


def check_options(timeout, jobs):
    """Raise :class:`InvalidArgumentError` for a ``timeout`` under 1 s or ``jobs`` under 1."""
    from d2lmomentum.errors import InvalidArgumentError
    if timeout is None or timeout < 1:
        raise InvalidArgumentError(f"--timeout must be at least 1 second, got {timeout}")
    if jobs is not None and jobs < 1:
        raise InvalidArgumentError(f"--jobs must be at least 1, got {jobs}")


def kernel_env(seed=None):
    """The environment for a kernel: this process's, with inline figures, an absolute data
    folder (the kernel runs elsewhere) and, if given, the drop-ins' seed."""
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    if env.get(envvars.DATA_DIR):
        env[envvars.DATA_DIR] = str(Path(env[envvars.DATA_DIR]).expanduser().resolve())
    if seed is not None:
        env[envvars.SEED] = str(seed)
    return env


@dataclasses.dataclass
class Execution:
    """An executed notebook (outputs in place) and how its run ended."""
    notebook: object
    failed_cell: int = None  # position in notebook.cells of the cell that failed
    error: str = None  # one line; set whenever the run did not complete
    seconds: float = 0.0
    cell_seconds: dict = dataclasses.field(default_factory=dict)  # position -> wall seconds

    @property
    def ok(self):
        return self.error is None

    @property
    def failed_index(self):
        """The chapter index of the cell that failed (None if none did, or it was not a chapter cell)."""
        if self.failed_cell is None:
            return None
        return self.notebook.cells[self.failed_cell].metadata.get("d2lmomentum", {}).get("index")


def _kernel_manager():
    """A kernel manager that starts ipykernel on this interpreter, whatever kernels are installed."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return KernelSpec(resource_dir="", **get_kernel_dict())

    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=ThisPython())


async def execute_async(nb, *, timeout=DEFAULT_TIMEOUT, cwd=None, env=None, on_cell=None):
    """Run ``nb``'s cells in order on a fresh kernel (``timeout`` seconds a cell, ``cwd`` its
    folder, ``env`` its environment, default :func:`kernel_env`); returns an :class:`Execution`.
    ``on_cell(position)`` is called after each code cell. Cancelling it shuts the kernel down."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    client = NotebookClient(nb, km=_kernel_manager(), timeout=timeout, interrupt_on_timeout=True,
                            error_on_timeout={"ename": "CellTimeoutError", "traceback": [],
                                              "evalue": f"ran past the {timeout} s limit (--timeout) "
                                                        "and was interrupted"},
                            coalesce_streams=True, log=_LOG)
    result = Execution(nb)
    t_start = time.perf_counter()
    with tempfile.TemporaryFile() as kernel_log:
        try:
            try:
                await client.async_start_new_kernel(cwd=str(cwd or Path.cwd()), env=env or kernel_env(),
                                                    stdout=kernel_log, stderr=kernel_log)
                await client.async_start_new_kernel_client()
            except Exception as e:
                result.error = f"the Jupyter kernel did not start: {e}"
                return result
            for position, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t0 = time.perf_counter()
                try:
                    await client.async_execute_cell(cell, position, execution_count=client.code_cells_executed + 1)
                except CellExecutionError as e:
                    result.error = f"{e.ename}: {e.evalue}"
                except DeadKernelError:
                    if asyncio.current_task().cancelling():
                        raise asyncio.CancelledError from None  # nbclient reports a cancel as a dead kernel
                    result.error = await _death(client)
                result.cell_seconds[position] = time.perf_counter() - t0
                if on_cell is not None:
                    on_cell(position)
                if result.error is not None:
                    result.failed_cell = position
                    return result
        finally:
            await _stop(client)
            result.seconds = time.perf_counter() - t_start
    return result


def execute_notebook(nb, *, timeout=DEFAULT_TIMEOUT, cwd=None, env=None, on_cell=None):
    """:func:`execute_async`, waited for."""
    return run_sync(execute_async(nb, timeout=timeout, cwd=cwd, env=env, on_cell=on_cell))


def run_sync(coroutine):
    """Run ``coroutine`` to its end: on this thread, or, where an event loop already runs here
    (Jupyter, Playwright), on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    import threading
    from concurrent.futures import ThreadPoolExecutor
    running, started = {}, threading.Event()

    async def main():
        running.update(loop=asyncio.get_running_loop(), task=asyncio.current_task())
        started.set()
        return await coroutine

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(asyncio.run, main())
        try:
            return future.result()
        except KeyboardInterrupt:  # cancel the run (its kernels shut down) before the pool waits for it
            if started.wait(5):
                running["loop"].call_soon_threadsafe(running["task"].cancel)
            raise


async def _death(client):
    """What a dead kernel's exit status says."""
    provisioner = client.km.provisioner
    status = await provisioner.poll() if provisioner is not None else None
    if status is None:
        return "the kernel died"
    if status < 0:
        return f"the kernel died ({signal.Signals(-status).name})"
    return f"the kernel died (exit status {status})"


async def _stop(client):
    """Stop the client's channels and kill its kernel (nothing of the kernel is left to save)."""
    if client.kc is not None:
        client.kc.stop_channels()
    if client.km.has_kernel:
        await client.km.shutdown_kernel(now=True)  # cleans up the connection file too
    else:
        await client.km.cleanup_resources()


async def run_limited(jobs, coroutines):
    """Await ``coroutines`` with at most ``jobs`` running at once; their results in order.
    If one raises (or the caller is cancelled), the others are cancelled and awaited."""
    gate = asyncio.Semaphore(max(1, jobs or os.cpu_count() or 1))

    async def gated(coroutine):
        async with gate:
            return await coroutine

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(gated(c)) for c in coroutines]
    return [t.result() for t in tasks]


def write_notebooks(source_text, out_dir, tabs, *, execute=False, timeout=DEFAULT_TIMEOUT, jobs=None,
                    seed=None, fmt="png", bibliography=()):
    """Write ``momentum-<tab>.ipynb`` per tab in ``out_dir``, executed on a kernel if ``execute``
    (in parallel, ``jobs`` at a time, each kernel in ``out_dir/<tab>/`` so that files its cells
    write do not meet another's). ``bibliography``: ``.bib`` files beyond the packaged ones.
    Returns ``[(path, Execution or None)]``; a failed run's notebook is written with its error
    in place."""
    import nbformat
    from d2lmomentum.atomic import write_atomic
    from d2lmomentum.book.cells import check_tabs
    from d2lmomentum.book.page.references import References
    check_options(timeout, jobs)
    tabs = check_tabs(tabs)
    refs = References.of_chapter(source_text, bibliography)
    notebooks = [build_notebook(source_text, tab, fmt=fmt, references=refs) for tab in tabs]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    executions = [None] * len(tabs)
    if execute:
        env = kernel_env(seed)
        for tab in tabs:
            (out / tab).mkdir(exist_ok=True)
        executions = run_sync(run_limited(jobs, [execute_async(nb, timeout=timeout, cwd=out / tab, env=env)
                                                 for tab, nb in zip(tabs, notebooks)]))
    written = []
    for tab, nb, execution in zip(tabs, notebooks, executions):
        path = out / notebook_name(tab)
        write_atomic(path, nbformat.writes(nb))
        written.append((path, execution))
    return written
