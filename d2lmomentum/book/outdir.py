"""The output folder is the tool's: one run at a time, a manifest of what it wrote, and nothing
removed that it did not write.

:func:`claim` guards a build into ``out``:

* ``out`` may not be the source folder, nor hold it (``--out .`` beside the chapter);
* ``out`` must be new, empty, or the tool's own earlier output (it holds the manifest
  ``out/.d2lmomentum/manifest.json``); any other folder with files is refused in one line, unless
  ``force`` (then files of the same names are replaced, and no other file is touched);
* one run at a time: an exclusive ``flock`` on ``out/.d2lmomentum/lock``, which the operating
  system releases when the process ends, however it ends (a crashed run holds nothing); a second
  run is refused in one line naming the first one's process;
* when the build ends (normally or not), the manifest lists every file under ``out`` that this
  run created or changed, plus those an earlier run wrote that are still there.

:func:`remove_written` removes files matching a pattern in one folder, but only those the
manifest says the tool wrote (a run's old figures before its new ones are written).
Everything under ``out/.d2lmomentum/`` (the manifest, the lock, an execution cache in
``cache/``) is the tool's state: never listed, never counted as a user's file.
"""
import contextlib
import datetime
import errno
import fcntl
import json
import os
import threading
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.errors import InvalidArgumentError

#: The tool's own state inside an output folder.
STATE_DIR = ".d2lmomentum"
MANIFEST_NAME = "manifest.json"
LOCK_NAME = "lock"
_MANIFEST_FORMAT = 1
#: resolved out folder -> the set of its files (relative POSIX paths) the tool wrote, while claimed.
_CLAIMED = {}
_CLAIMED_LOCK = threading.Lock()


def read_manifest(out):
    """The relative paths the manifest of ``out`` lists, or None when ``out`` has no (readable) manifest."""
    try:
        data = json.loads((Path(out) / STATE_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {f for f in files if isinstance(f, str)}


def _files(out):
    """relative POSIX path -> (inode, mtime, size) of every file under ``out`` but the tool's state."""
    found = {}
    for folder, dirs, names in os.walk(out):
        if Path(folder) == Path(out):
            dirs[:] = [d for d in dirs if d != STATE_DIR]
        for name in names:
            path = Path(folder, name)
            try:
                st = path.lstat()
            except OSError:
                continue
            found[path.relative_to(out).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return found


def _check_place(out, sources):
    resolved = out.resolve()
    for source in sources:
        source = Path(source).resolve()
        if source == resolved or source.is_relative_to(resolved):
            what = "the source folder" if source == resolved else f"a folder above the source {source}"
            raise InvalidArgumentError(f"out_dir {out} is {what}: the build would write among the book's own "
                                       "files; give another folder")


def _foreign(out, manifest):
    """A few names of what ``out`` holds that the tool did not write (empty: none)."""
    if not out.is_dir():
        return []
    if manifest is not None:
        return []
    return sorted(p.name for p in out.iterdir() if p.name != STATE_DIR)


@contextlib.contextmanager
def _lock(out):
    path = out / STATE_DIR / LOCK_NAME
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise InvalidArgumentError(f"out_dir {out} is being written by another d2lmomentum run ({holder}); "
                                       "wait for it to end, or give another folder") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, since {datetime.datetime.now().isoformat(timespec='seconds')}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


@contextlib.contextmanager
def claim(out, *, sources=(), force=False):
    """Hold the output folder ``out`` for one build (see the module): refuses the source folder
    (``sources``: the folders a build reads), a folder with files the tool did not write (unless
    ``force``) and a folder another run holds, each as :class:`InvalidArgumentError` in one line.
    Yields ``out`` as a :class:`~pathlib.Path`; writes the manifest when the block ends."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InvalidArgumentError(f"out_dir {out} is a file; give a folder (it is created if missing)")
    _check_place(out, sources)
    manifest = read_manifest(out)
    foreign = _foreign(out, manifest)
    if foreign and not force:
        shown = ", ".join(repr(n) for n in foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise InvalidArgumentError(f"out_dir {out} holds files d2lmomentum did not write ({shown}); give a new or "
                                   "empty folder, or add --force (force=True) to write into it: files of the same "
                                   "names are replaced, no other file is touched")
    (out / STATE_DIR).mkdir(parents=True, exist_ok=True)
    key = out.resolve()
    with _lock(out):
        before = _files(out)
        earlier = set(manifest or ())
        with _CLAIMED_LOCK:
            _CLAIMED[key] = earlier
        try:
            yield out
        finally:
            with _CLAIMED_LOCK:
                _CLAIMED.pop(key, None)
            after = _files(out)
            written = {path for path, stat in after.items() if before.get(path) != stat}
            files = sorted((earlier & after.keys()) | written)
            write_atomic(out / STATE_DIR / MANIFEST_NAME,
                         json.dumps({"format": _MANIFEST_FORMAT, "tool": "d2lmomentum", "files": files}, indent=0))


def remove_written(folder, patterns):
    """Remove the files of ``folder`` matching any of ``patterns`` (globs) that a claimed output
    folder's manifest says the tool wrote; any other file is left as it is. Outside a claim,
    nothing is removed."""
    folder = Path(folder).resolve()
    with _CLAIMED_LOCK:
        owner = next(((out, files) for out, files in _CLAIMED.items() if folder.is_relative_to(out)), None)
    if owner is None:
        return
    out, files = owner
    for pattern in patterns:
        for path in folder.glob(pattern):
            if path.relative_to(out).as_posix() in files:
                path.unlink(missing_ok=True)
