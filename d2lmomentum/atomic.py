"""Files are written whole or not at all: through a temporary name in the same folder, then renamed.

An interrupted run (Ctrl-C, an exception, a full disk, a killed process) leaves the previous
file, or none, never half of a new one: :func:`os.replace` is atomic within one file system.
(Nothing is fsynced: after a power loss the file system decides.)
"""
import contextlib
import os
from pathlib import Path


@contextlib.contextmanager
def replacing(path):
    """Yield a temporary path beside ``path``; rename it to ``path`` if the block ends normally.

    On any exception the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_atomic(path, data):
    """Write ``data`` (``str`` as UTF-8, or ``bytes``) to ``path`` whole or not at all."""
    with replacing(path) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
    return Path(path)
