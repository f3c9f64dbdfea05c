"""d2l 1.0.3's own code, measured beside ours (``d2lmomentum bench --d2l-python PATH``).

* :class:`D2LPython` checks the interpreter (it exists, has d2l 1.0.3 and ipykernel) and gives
  d2l a working folder whose ``../data/airfoil_self_noise.dat`` is the packaged file (sha1
  checked), where d2l's ``download('airfoil')`` finds it in its cache and goes nowhere.
* :class:`D2LServer` keeps one d2l process per framework (``bench_d2l_side.py serve``) that runs
  code on request and times it itself, so that the bench interleaves its calls with ours.
* :func:`chapter_cells`, :func:`shared_cells`, :func:`p1_setup` pick what both sides run.
"""
import ast
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from d2lmomentum.book.cells import for_tab, runnable_source
from d2lmomentum.data import FILENAME, find_airfoil, verify
from d2lmomentum.errors import D2LMomentumError, InvalidArgumentError
from d2lmomentum.tools import bench_d2l_side
from d2lmomentum.tools.bench_d2l_side import D2L_MODULES

SIDE_SCRIPT = bench_d2l_side.__file__
#: The version whose code the bench compares with.
D2L_VERSION = "1.0.3"
#: The command that makes such an environment (:mod:`d2lmomentum.tools.d2l_env`).
ENV_COMMAND = "python -m d2lmomentum.tools.d2l_env DIR"
ENV_HINT = f"make one with: {ENV_COMMAND}, then pass DIR/bin/python"
#: d2l's ``train_ch11`` call of P1, run as is on both sides after :func:`p1_setup`.
P1_SETUP_DATA = "data_iter, feature_dim = d2l.get_data_ch11(10)"
P1_CALL = ("d2l.train_ch11(sgd_momentum, init_momentum_states(feature_dim), {'lr': 0.02, 'momentum': 0.5}, "
           "data_iter, feature_dim, num_epochs=2)")
P1_FUNCTIONS = ("init_momentum_states", "sgd_momentum")
_DROPIN_IMPORT = re.compile(r"^(\s*)from\s+d2lmomentum\s+import\s+(\w+)\s+as\s+d2l\b", re.M)


class D2LPython:
    """``path``, an interpreter with d2l 1.0.3 and ipykernel; raises :class:`InvalidArgumentError`
    (one line, with how to make one) otherwise. ``names[framework]``: d2l's module's names."""

    def __init__(self, path):
        self.path = str(path)
        if not (os.path.isfile(self.path) and os.access(self.path, os.X_OK)):
            raise InvalidArgumentError(f"--d2l-python {path}: no such executable; give the python of an "
                                       f"environment with d2l {D2L_VERSION} ({ENV_HINT})")
        r = subprocess.run([self.path, SIDE_SCRIPT, "probe"], capture_output=True, text=True, cwd=tempfile.gettempdir())
        if r.returncode != 0:
            last = (r.stderr.strip().splitlines() or [f"exit status {r.returncode}"])[-1]
            raise InvalidArgumentError(f"--d2l-python {path}: cannot import d2l there ({last}); {ENV_HINT}")
        found = json.loads(r.stdout.strip().splitlines()[-1])
        if found["version"] != D2L_VERSION:
            raise InvalidArgumentError(f"--d2l-python {path} has d2l {found['version']}, the bench compares "
                                       f"with d2l {D2L_VERSION}; {ENV_HINT}")
        if not found["ipykernel"]:
            raise InvalidArgumentError(f"--d2l-python {path} has no ipykernel (P3 runs d2l's cells on a Jupyter "
                                       f"kernel of it): install it there, or {ENV_HINT}")
        self.version, self.python, self.names = found["version"], found["python"], found["names"]

    @staticmethod
    @contextlib.contextmanager
    def workdir(data=None):
        """A temporary folder for d2l to run in, with the airfoil file where d2l's cache has it."""
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "data").mkdir()
            shutil.copyfile(verify(find_airfoil(data)), Path(tmp) / "data" / FILENAME)
            verify(Path(tmp) / "data" / FILENAME)
            (Path(tmp) / "work").mkdir()
            yield Path(tmp) / "work"


class D2LServer:
    """d2l's side in a process of its own: ``run(source)`` executes there, ``time(source)``
    returns the seconds its ``exec`` took there. ``notes``: what :func:`bench_d2l_side.prepare` did."""

    def __init__(self, python, framework, cwd):
        env = dict(os.environ, MPLBACKEND="Agg")
        self._log = tempfile.TemporaryFile("w+")
        self._proc = subprocess.Popen([python, SIDE_SCRIPT, "serve", framework], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=self._log, text=True, cwd=cwd, env=env)
        self.notes = self._answer()["notes"]
        self.printed = ""

    def _answer(self):
        line = self._proc.stdout.readline()
        if not line:
            self._log.seek(0)
            tail = (self._log.read().strip().splitlines() or ["no output"])[-1]
            raise D2LMomentumError(f"the d2l process ended: {tail}")
        answer = json.loads(line)
        if "error" in answer:
            raise D2LMomentumError(f"d2l's code failed: {answer['error']}")
        return answer

    def time(self, source):
        self._proc.stdin.write(json.dumps({"run": source}) + "\n")
        self._proc.stdin.flush()
        answer = self._answer()
        self.printed = answer["printed"]
        return answer["seconds"]

    run = time

    def close(self):
        self._proc.stdin.close()
        self._proc.wait(timeout=60)
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._log.close()


def to_d2l(source):
    """A runnable cell (``from d2lmomentum import X as d2l``) as d2l's: ``from d2l import X as d2l``."""
    return _DROPIN_IMPORT.sub(r"\1from d2l import \2 as d2l", source)


def chapter_cells(chapter, framework):
    """``[(index, source)]``: the code cells of ``framework`` of a
    :class:`~d2lmomentum.book.chapter.Chapter` (read as ``chapter --source`` reads it: its
    untagged cells in its book's default tab), runnable on the drop-in."""
    return [(c.index, runnable_source(c.source)) for c in for_tab(chapter.cells, framework) if c.kind == "code"]


def p1_setup(cells):
    """The chapter's first code cell (its imports) and the cells defining ``init_momentum_states``
    and ``sgd_momentum``, as one source; :class:`InvalidArgumentError` if one is missing."""
    chosen, defined = [cells[0][1]] if cells else [], set()
    for _, source in cells[1:]:
        names = {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)} & set(P1_FUNCTIONS)
        if names:
            chosen.append(source)
            defined |= names
    if defined != set(P1_FUNCTIONS):
        raise InvalidArgumentError(f"the chapter defines no {' or '.join(sorted(set(P1_FUNCTIONS) - defined))}")
    return "\n\n".join(chosen)


def shared_cells(cells, d2l_names):
    """The cells that d2l can run too: ``(kept, dropped)``, ``dropped`` as ``[(index, why)]``.

    A cell is dropped if it imports d2lmomentum (other than as ``d2l``), uses a ``d2l.NAME``
    that d2l's module (``d2l_names``) lacks, or reads a name that only a dropped cell bound."""
    kept, dropped, tainted = [], [], set()
    for index, source in cells:
        tree = ast.parse(source)
        own = [m for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
               and not _DROPIN_IMPORT.search(ast.unparse(n))
               for m in ([n.module or ""] if isinstance(n, ast.ImportFrom) else [a.name for a in n.names])
               if m.split(".")[0] == "d2lmomentum"]
        missing = sorted({n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                          and isinstance(n.value, ast.Name) and n.value.id == "d2l"} - set(d2l_names))
        bound = bench_d2l_side.bound_names(tree)
        reads = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                        and isinstance(n.ctx, ast.Load)} & tainted - bound)
        why = (f"imports {own[0]}" if own else f"d2l has no {', '.join(missing)}" if missing
               else f"uses {', '.join(reads)} of a dropped cell" if reads else None)
        if why:
            dropped.append((index, why))
            tainted |= bound
        else:
            kept.append((index, source))
            tainted -= bound
    return kept, dropped
