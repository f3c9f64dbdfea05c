"""The execution cache: a run (chapter × framework) whose inputs are unchanged is not executed again.

A run's key is the SHA-256 of its inputs: the notebook's code cells in order (the setup cell
with the figure format included), the framework's version, d2lmomentum's version and the digest
of its installed source (the drop-ins and adapters the cells call; an editable install changes
without a new version), the seed,
``compile``, ``verbose`` and the contents of the data files the run may read (every file under
the data folder, or the packaged airfoil file). The timeout is not an input: it changes when a
run is stopped, not what a finished run computes.

An entry is ``OUT/.d2lmomentum/cache/<key>/entry.json``: each code cell's outputs, execution
count, timing metadata, error and seconds, and when the run originally ran. A hit grafts those outputs onto the
freshly built notebook (so edited prose is current) and is written like a new run, marked
reused. A run whose cells raised is kept (its errors are its outputs, as MyST-NB keeps them with
``allow_errors``) and still fails; a run that timed out, whose kernel died or did not start, or
that was interrupted, is never kept. An entry is written into a temporary folder beside the
others and renamed to its key, so an interrupted build leaves no entry a later one trusts; an
entry that cannot be read is a miss. Removing the output folder forgets the cache.
"""
import dataclasses
import datetime
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import d2lmomentum
import d2lmomentum.backends
from d2lmomentum import envvars
from d2lmomentum._version import __version__
from d2lmomentum.backends import ALIASES
from d2lmomentum.book.kernels import Execution
from d2lmomentum.data import packaged_path

#: The tool's state inside an output folder; the cache is its ``cache/``.
STATE_DIR = ".d2lmomentum"
CACHE_DIR = "cache"
ENTRY = "entry.json"
RUN = "run.json"  # the entry's chapter and framework, small
#: Bumped when an entry's layout changes: older entries are then misses.
FORMAT = 1


def cache_dir(out):
    """Where the cache of the output folder ``out`` lives."""
    return Path(out) / STATE_DIR / CACHE_DIR


def framework_version(tab):
    """``"torch 2.13.0"``: the distributions that provide the framework ``tab``'s module."""
    candidates = [tab, *(alias for alias, name in ALIASES.items() if name == tab)]
    module = next((m for m in candidates if importlib.util.find_spec(m) is not None), tab)
    dists = importlib.metadata.packages_distributions().get(module, [])
    return ", ".join(sorted(f"{d} {importlib.metadata.version(d)}" for d in set(dists))) or "unknown"


def data_digest(env):
    """SHA-256 of the data a run may read: every file under the kernel's data folder (``env``'s
    :data:`~d2lmomentum.envvars.DATA_DIR`, names and contents), else the packaged airfoil file."""
    digest = hashlib.sha256()
    folder = envvars.data_dir(env)
    if folder:
        root = Path(folder)
        files = sorted(p for p in root.rglob("*") if p.is_file())
    else:
        root, files = packaged_path().parent, [packaged_path()]
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def source_digest():
    """SHA-256 of d2lmomentum's installed Python files (the package and its adapters)."""
    digest = hashlib.sha256()
    for package in (d2lmomentum, d2lmomentum.backends):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclasses.dataclass(frozen=True)
class Context:
    """The inputs every run of one build shares (computed once per build)."""
    seed: object
    compile: bool
    verbose: bool
    data: str
    versions: dict  # framework -> version
    source: str = ""  # source_digest()

    @classmethod
    def of(cls, options, env, frameworks):
        return cls(seed=options.seed, compile=bool(options.compile), verbose=bool(options.verbose),
                   data=data_digest(env), versions={fw: framework_version(fw) for fw in frameworks},
                   source=source_digest())


def run_key(notebook, framework, context, chapter=None):
    """The hex key of one run of ``chapter`` (its name: a run's folder, where its cells read and
    write, is the chapter's): ``notebook``'s code cells and ``context``'s inputs."""
    inputs = {"format": FORMAT, "d2lmomentum": __version__, "source": context.source, "framework": framework,
              "chapter": chapter,
              "version": context.versions.get(framework), "seed": context.seed, "compile": context.compile,
              "verbose": context.verbose, "data": context.data,
              "cells": [cell.source for cell in notebook.cells if cell.cell_type == "code"]}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


@dataclasses.dataclass
class Hit:
    """A reused run: its execution (outputs on the fresh notebook) and when it originally ran."""
    execution: Execution
    ran_at: str


def keepable(execution):
    """Whether a run may be kept: it ran to its end, no cell timed out."""
    return execution.error is None and not execution.timed_out


def load(out, key, notebook):
    """The :class:`Hit` of ``key`` in ``out``'s cache, its outputs grafted onto ``notebook``
    (a fresh notebook of the same code cells), or None."""
    path = cache_dir(out) / key / ENTRY
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        records = entry["cells"]
        code = [(position, cell) for position, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
        if entry.get("key") != key or entry.get("format") != FORMAT or len(records) != len(code):
            return None
        import nbformat
        execution = Execution(notebook, seconds=float(entry["seconds"]))
        for (position, cell), record in zip(code, records):
            cell.outputs = [nbformat.from_dict(o) for o in record["outputs"]]
            cell.execution_count = record["execution_count"]
            if record.get("timing"):
                cell.metadata["execution"] = record["timing"]
            execution.cell_seconds[position] = float(record["seconds"])
            if record["error"] is not None:
                execution.errors[position] = record["error"]
        return Hit(execution, entry["ran_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no entry, or one this version cannot read: run again


def store(out, key, execution, ran_at, *, chapter, framework):
    """Keep ``execution`` (if :func:`keepable`) as ``key``'s entry in ``out``'s cache: written
    into a temporary folder, then renamed, so that an entry is whole or absent. Entries of the
    same chapter and framework under other keys are removed (a changed run replaces its entry)."""
    if not keepable(execution):
        return False
    root = cache_dir(out)
    root.mkdir(parents=True, exist_ok=True)
    nb = execution.notebook
    records = [{"outputs": cell.get("outputs", []), "execution_count": cell.get("execution_count"),
                "timing": cell.metadata.get("execution"),
                "seconds": execution.cell_seconds.get(position, 0.0), "error": execution.errors.get(position)}
               for position, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    entry = {"format": FORMAT, "key": key, "chapter": chapter, "framework": framework, "ran_at": ran_at,
             "seconds": execution.seconds, "cells": records}
    tmp = Path(tempfile.mkdtemp(prefix=".part-", dir=root))
    try:
        (tmp / ENTRY).write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        (tmp / RUN).write_text(json.dumps({"chapter": chapter, "framework": framework}), encoding="utf-8")
        target = root / key
        if target.exists():
            shutil.rmtree(target)
        os.rename(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _forget_others(root, key, chapter, framework)
    return True


#: Seconds after which a temporary entry folder is a crash's leftover (a ``kill -9`` mid-write).
_STALE = 3600


def _forget_others(root, key, chapter, framework):
    """Remove the entries of ``chapter`` × ``framework`` other than ``key``, and stale temporary folders."""
    for folder in root.iterdir():
        if folder.name.startswith(".part-"):
            if time.time() - folder.stat().st_mtime > _STALE:
                shutil.rmtree(folder, ignore_errors=True)
            continue
        if folder.name == key:
            continue
        try:
            entry = json.loads((folder / RUN).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if entry.get("chapter") == chapter and entry.get("framework") == framework:
            shutil.rmtree(folder, ignore_errors=True)


def now():
    """The time a run ran, as stored: UTC, ISO 8601, whole seconds."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
