"""Notebooks on real Jupyter kernels: a failing cell is recorded and the next cells still run; a
timed-out cell is named with its limit; a dying kernel ends the notebook with its signal; the run works
inside a running event loop and Ctrl-C there shuts the kernel down; bad options are one-line
errors; ``run_limited`` keeps to its number of jobs."""
import asyncio
import random
import os
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from d2lmomentum.book.kernels import execute_notebook, join_streams, run_limited, run_sync
from d2lmomentum.errors import InvalidArgumentError

from _helpers import SLEEPER, gone, interrupt_once_started


def _notebook(*sources):
    """A notebook of code cells: position k holds ``sources[k]``."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def _text(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o["output_type"] == "stream")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One kernel run: a cell that raises, and cells after it (a timed-out cell's run is in
    tests/cli/test_cli.py, which names it on the command line)."""
    nb = _notebook("import os\nx = 41\nprint(os.getpid())", "raise KeyError('missing')", "x += 1\nprint(x)",
                   "print(never_defined)", "print(x * 2)")
    return nb, execute_notebook(nb, cwd=tmp_path_factory.mktemp("mixed"), timeout=60)


def test_a_failing_cell_is_recorded_and_the_next_cells_still_run(mixed):
    nb, run = mixed
    assert not run.ok and run.error is None and run.stopped_at is None  # the kernel lived on
    assert run.errors == {1: "KeyError: 'missing'", 3: "NameError: name 'never_defined' is not defined"}
    assert _text(nb.cells[2]) == "42\n" and _text(nb.cells[4]) == "84\n"  # cell 0's state survived
    assert int(_text(nb.cells[0])) != os.getpid()  # a kernel of its own, not this process
    assert sorted(run.cell_seconds) == list(range(5)) and run.seconds >= sum(run.cell_seconds.values())


def test_a_timeout_in_fractions_of_a_second_counts_whole_seconds(tmp_path):
    nb = _notebook("import time\ntime.sleep(30)")
    run = execute_notebook(nb, cwd=tmp_path, timeout=1.5)  # nbclient counts whole seconds: 2
    assert run.errors == {0: "CellTimeoutError: ran past the 2 s limit (timeout) and was interrupted"}
    assert 2 <= run.cell_seconds[0] < 20 and run.error is None


def test_a_kernel_killed_by_a_signal_ends_the_notebook_naming_it(tmp_path):
    nb = _notebook("x = 1", "import ctypes; ctypes.string_at(0)", "print('after')")  # exit status: test_cli.py
    run = execute_notebook(nb, cwd=tmp_path, timeout=60)
    assert run.error == "the kernel died (SIGSEGV)" and run.errors == {1: run.error}
    assert run.stopped_at == 1 and not run.ran(2) and nb.cells[2].outputs == []


def test_execute_notebook_works_where_an_event_loop_already_runs(tmp_path):
    nb = _notebook("print(6 * 7)")

    async def inside_a_loop():  # as in Jupyter, or beside Playwright's sync API
        asyncio.get_running_loop()
        return execute_notebook(nb, cwd=tmp_path)

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: this one may hold Playwright's loop
        assert pool.submit(asyncio.run, inside_a_loop()).result().ok
    assert _text(nb.cells[0]) == "42\n"


_IN_A_LOOP = """import asyncio, sys
import nbformat
from d2lmomentum.book.kernels import execute_notebook
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(sys.argv[1])])

async def cell():  # as in Jupyter: the notebook runs from code inside a running event loop
    return execute_notebook(nb, cwd=sys.argv[2])

asyncio.new_event_loop().run_until_complete(cell())
"""


def test_ctrl_c_inside_a_running_event_loop_shuts_the_kernel_down(tmp_path):
    status, stderr, kernels = interrupt_once_started(["-c", _IN_A_LOOP, SLEEPER, str(tmp_path)],
                                                     [tmp_path / "started"])
    assert status != 0 and stderr.rstrip().endswith("KeyboardInterrupt")
    assert len(kernels) == 1 and gone(kernels)


def test_run_limited_keeps_to_its_jobs_and_returns_results_in_order():
    running, most = 0, 0

    async def job(k):
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01 * (5 - k))  # later jobs end first
        running -= 1
        return k * k

    assert run_sync(run_limited(2, [job(k) for k in range(5)])) == [0, 1, 4, 9, 16]
    assert most == 2
    most = 0
    assert run_sync(run_limited(1, [job(k) for k in range(3)])) == [0, 1, 4] and most == 1


def test_a_failing_job_cancels_the_others():
    cancelled = []

    async def slow():
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def bad():
        raise ValueError("bad job")

    with pytest.raises(ValueError, match="bad job"):  # itself, not wrapped in an ExceptionGroup
        run_sync(run_limited(3, [slow(), bad(), slow()]))
    assert cancelled == [True, True]


def _nbclient_join(outputs):
    """nbclient's own ``coalesce_streams`` (its regexes), the oracle of ``join_streams``."""
    from nbclient.client import _RGX_CARRIAGERETURN
    new, streams = [], {}
    for out in outputs:
        if out["output_type"] == "stream" and out["name"] in streams:
            streams[out["name"]]["text"] += out["text"]
        else:
            new.append(out)
            if out["output_type"] == "stream":
                streams[out["name"]] = out
    for out in streams.values():
        out["text"] = _RGX_CARRIAGERETURN.sub("", out["text"])
    for i, out in enumerate(new):
        if out["output_type"] == "stream" and out["name"] == "stderr" and i + 1 < len(new) \
                and new[i + 1]["output_type"] == "stream" and new[i + 1]["name"] == "stdout":
            new.insert(i, new.pop(i + 1))
    return new


@pytest.mark.parametrize("seed", range(40))
def test_join_streams_joins_as_nbclient_does(seed):
    rng = random.Random(seed)
    pieces = ["a", "bc", "\r", "\n", "\r\n", "xyz\r", "\b", " "]

    def outputs():
        rng.seed(seed)
        made = []
        for _ in range(rng.randint(0, 12)):
            if rng.random() < 0.2:
                made.append(nbformat.v4.new_output("display_data", data={"text/plain": "d"}))
            else:
                text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
                made.append(nbformat.v4.new_output("stream", name=rng.choice(["stdout", "stderr"]), text=text))
        return made

    assert join_streams(outputs()) == _nbclient_join(outputs())


def test_a_long_printed_line_does_not_stall_the_run(tmp_path):
    """A 2.9 MB line (in many stream messages): nbclient's join, quadratic in a line's length,
    ran for hours in this process, where no cell time limit reaches (13 s for 189 KB). The bound
    below only catches that stall: the join itself takes milliseconds."""
    nb = _notebook("print(list(range(400_000)))\nprint('one\\rtwo')")
    with ThreadPoolExecutor(1) as pool:
        run = pool.submit(execute_notebook, nb, cwd=tmp_path, timeout=60).result(timeout=120)
    assert run.ok
    [out] = nb.cells[0].outputs
    assert out["text"] == str(list(range(400_000))) + "\ntwo\n"
