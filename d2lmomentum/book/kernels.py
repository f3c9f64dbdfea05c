"""Notebooks executed on real Jupyter kernels (nbclient), several at a time.

:func:`execute_async` runs a notebook's code cells in order on a fresh ipykernel of this
interpreter. A cell that raises, or runs past its time limit (it is interrupted), is recorded
with its error and the next cells still run (a cell that needs the failed one fails in turn);
a kernel that dies ends the notebook, its later cells not run. The kernel's own stdout and
stderr (start-up and log noise) go to a temporary file, never to the notebook or the terminal.
"""
import asyncio
import dataclasses
import logging
import math
import os
import signal
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from d2lmomentum import envvars, quiet

#: Seconds a cell may run before it is interrupted.
DEFAULT_TIMEOUT = 600
#: The error name of a cell that ran past its limit.
TIMEOUT_ERROR = "CellTimeoutError"
#: The longest limit a cell may be given (a day).
MAX_TIMEOUT = 86400
_LOG = logging.getLogger("d2lmomentum.book.kernels")
_LOG.addHandler(logging.NullHandler())
_LOG.propagate = False


@dataclasses.dataclass(frozen=True)
class KernelOptions:
    """What a chapter's kernels are given: the drop-ins' ``seed``, ``verbose`` (the frameworks'
    own log lines through), ``compile`` (the TensorFlow drop-in traces the reader's trainer) and
    ``data_dir``; checked where they are given (:class:`~d2lmomentum.book.options.BuildOptions`)."""
    seed: int = 0
    verbose: bool = False
    compile: bool = False
    data_dir: object = None  # a folder of data files for the drop-in's download (and the airfoil data)

    def env(self, base=None):
        """The environment for a kernel: ``base`` (default this process's), with inline figures,
        an absolute data folder (the kernel runs elsewhere) and these options."""
        env = quiet.child_env(base, verbose=self.verbose)
        env.update(MPLBACKEND="module://matplotlib_inline.backend_inline", PYDEVD_DISABLE_FILE_VALIDATION="1")
        folder = self.data_dir if self.data_dir is not None else envvars.data_dir(env)
        if folder:
            env[envvars.DATA_DIR] = str(Path(folder).expanduser().resolve())
        if self.seed is not None:
            env[envvars.SEED] = str(self.seed)
        if self.compile:
            env[envvars.COMPILE] = "1"
        return env


@dataclasses.dataclass
class Execution:
    """An executed notebook (outputs in place) and how each cell ended."""
    notebook: object
    errors: dict = dataclasses.field(default_factory=dict)  # position -> one-line error
    error: str = None  # why the run stopped early (a kernel that did not start or died)
    stopped_at: int = None  # position of the cell the run stopped at
    seconds: float = 0.0
    cell_seconds: dict = dataclasses.field(default_factory=dict)  # position -> wall seconds
    timed_out: set = dataclasses.field(default_factory=set)  # positions of cells stopped at their limit

    @property
    def ok(self):
        return self.error is None and not self.errors

    def ran(self, position):
        return position in self.cell_seconds


def _kernel_manager(python=None):
    """A kernel manager that starts ipykernel on ``python`` (default: this interpreter), whatever
    kernels are installed."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class OnePython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            spec = get_kernel_dict()
            if python is not None:
                spec["argv"] = [str(python), *spec["argv"][1:]]
            return KernelSpec(resource_dir="", **spec)

    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=OnePython())


async def execute_async(nb, *, timeout=DEFAULT_TIMEOUT, cwd=None, env=None, on_cell=None, python=None):
    """Run ``nb``'s code cells in order on a fresh kernel of ``python`` (default: this
    interpreter; ``timeout`` seconds a cell, ``cwd`` its folder, ``env`` its environment, default
    ``KernelOptions().env()``); returns an :class:`Execution`. ``on_cell(position)`` is called
    after each code cell. Cancelling it shuts the kernel down. nbclient counts whole seconds:
    ``timeout`` is rounded up."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    limit = math.ceil(timeout)
    result = Execution(nb)

    def raised(cell, cell_index, execute_reply):  # nbclient's hook for a cell that raised or timed out
        content = execute_reply["content"]
        result.errors[cell_index] = f"{content.get('ename')}: {content.get('evalue')}"
        if content.get("ename") == TIMEOUT_ERROR:
            result.timed_out.add(cell_index)

    client = NotebookClient(nb, km=_kernel_manager(python), timeout=limit, interrupt_on_timeout=True,
                            error_on_timeout={"ename": TIMEOUT_ERROR, "traceback": [],
                                              "evalue": f"ran past the {limit} s limit (timeout) "
                                                        "and was interrupted"},
                            allow_errors=True, on_cell_error=raised, record_timing=True,
                            coalesce_streams=False, log=_LOG)  # nbclient's join is quadratic: join_streams
    t_start = time.perf_counter()
    with tempfile.TemporaryFile() as kernel_log:
        try:
            try:
                await client.async_start_new_kernel(cwd=str(cwd or Path.cwd()), env=env or KernelOptions().env(),
                                                    stdout=kernel_log, stderr=kernel_log)
                await client.async_start_new_kernel_client()
            except Exception as e:
                result.error = f"the Jupyter kernel did not start: {e}"
                return result
            # the loop is ours, not nbclient's async_execute: that one installs SIGINT and SIGTERM
            # handlers that turn Ctrl-C into a kernel shutdown (a "dead kernel") instead of stopping
            # the build; each cell's run, errors (allow_errors, on_cell_error) and timing are nbclient's
            for position, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t0 = time.perf_counter()
                try:
                    await client.async_execute_cell(cell, position, execution_count=client.code_cells_executed + 1)
                except DeadKernelError:
                    if asyncio.current_task().cancelling():
                        raise asyncio.CancelledError from None  # nbclient reports a cancel as a dead kernel
                    result.error = result.errors[position] = await _death(client)
                    result.stopped_at = position
                result.cell_seconds[position] = time.perf_counter() - t0
                cell.outputs = join_streams(cell.get("outputs", []))
                if on_cell is not None:
                    on_cell(position)
                if result.error is not None:
                    return result
        finally:
            await _stop(client)
            result.seconds = time.perf_counter() - t_start
    return result


def join_streams(outputs):
    """A cell's ``outputs`` with its stream outputs joined as nbclient's ``coalesce_streams``
    joins them, in time linear in their length (nbclient's regex is quadratic in a line's length,
    and runs in this process, where no cell time limit reaches): every ``stdout`` (``stderr``)
    output appended to the first one, in order; in each line, the text up to the last carriage
    return that is not the line's last character dropped (what a terminal shows); a ``stderr``
    output directly followed by ``stdout`` put after it."""
    joined, parts = [], {}
    for output in outputs:
        if output.get("output_type") != "stream":
            joined.append(output)
        elif output["name"] in parts:
            parts[output["name"]].append(output["text"])
        else:
            parts[output["name"]] = [output["text"]]
            joined.append(output)
    for output in joined:
        if output.get("output_type") == "stream":
            output["text"] = "\n".join(_overwritten(line) for line in "".join(parts[output["name"]]).split("\n"))
    for i in range(len(joined) - 1):
        first, second = joined[i], joined[i + 1]
        if (first.get("output_type") == second.get("output_type") == "stream"
                and first["name"] == "stderr" and second["name"] == "stdout"):
            joined[i], joined[i + 1] = second, first
    return joined


def _overwritten(line):
    """What is left of a printed ``line`` (no newline in it) after its carriage returns."""
    cr = line.rfind("\r", 0, len(line) - 1)
    return line[cr + 1:] if cr >= 0 else line


def execute_notebook(nb, *, timeout=DEFAULT_TIMEOUT, cwd=None, env=None, on_cell=None, python=None):
    """:func:`execute_async`, waited for."""
    return run_sync(execute_async(nb, timeout=timeout, cwd=cwd, env=env, on_cell=on_cell, python=python))


def run_sync(coroutine):
    """Run ``coroutine`` to its end: on this thread, or, where an event loop already runs here
    (Jupyter, Playwright), on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
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

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(gated(c)) for c in coroutines]
    except BaseExceptionGroup as group_error:  # the first error as itself, so that callers see what it is
        raise group_error.exceptions[0] from None
    return [t.result() for t in tasks]
