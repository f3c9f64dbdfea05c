"""The frameworks' own log lines, shown as far as the user asked, by severity.

TensorFlow 2.21 logs in absl's format, ``Lmmdd hh:mm:ss.micros thread file:line] message``
with ``L`` the severity: I (INFO) < W (WARNING) < E (ERROR) < F (FATAL). At import it writes,
straight to file descriptor 2, oneDNN's ``I... port.cc:153] oneDNN custom operations are on
...`` twice, each after absl's ``WARNING: All log messages before absl::InitializeLog() is
called ...``, whatever ``TF_CPP_MIN_LOG_LEVEL`` says; its own records (``I...
cpu_feature_guard.cc`` at import, its kernels' records later) honour that variable, which it
reads once, during the import. TensorFlow's Python logger (``tf.get_logger()``) is Python's
and left alone.

The level (:func:`level`): 0 everything, 1 no INFO, 2 no WARNING, 3 nothing but FATAL. It is
0 when the user asks for everything (``--verbose``: :func:`set_verbose` in this process,
``D2LMOMENTUM_VERBOSE`` in a child), else the user's ``TF_CPP_MIN_LOG_LEVEL`` (3 and above
alike), else :data:`DEFAULT_LEVEL`. :func:`import_framework` imports a framework with its
logging variable set to the level for the import only, and shows of what reaches descriptor 2
meanwhile only the records at or above the level (:func:`filtered`). Nothing here touches
numerics (oneDNN stays on).
"""
import contextlib
import importlib
import os
import re
import sys
import tempfile

from d2lmomentum import envvars

#: The level where the user set none: nothing but FATAL (TensorFlow's own default is 0).
DEFAULT_LEVEL = 3
#: absl's severities, least first: a record of severity ``SEVERITIES[k]`` is shown at level <= k.
SEVERITIES = "IWEF"
#: Each framework's own logging variable, set to the level while it is imported.
LOG_LEVEL_VARIABLES = {"tensorflow": envvars.TF_LOG_LEVEL}

_HEADER = re.compile(r"WARNING: All log messages before absl::InitializeLog\(\) is called")
_RECORD = re.compile(rf"([{SEVERITIES}])\d{{4}} [\d:.]+\s+\d+ \S+:\d+\] ")
_verbose = False


def set_verbose(on=True):
    """Let every framework log line through in this process (``--verbose``); a child
    process gets the same from :func:`child_env`."""
    global _verbose
    _verbose = bool(on)


def level(env=None):
    """The least severity shown (0-3, index into :data:`SEVERITIES`) in a process with the
    environment ``env`` (default: this process, where :func:`set_verbose` counts too).

    Raises :class:`~d2lmomentum.errors.InvalidArgumentError` for a ``TF_CPP_MIN_LOG_LEVEL``
    that is not an integer >= 0."""
    if envvars.verbose(env) or (env is None and _verbose):
        return 0
    user = envvars.tf_log_level(env)
    return DEFAULT_LEVEL if user is None else min(user, len(SEVERITIES) - 1)


def child_env(env=None, verbose=False):
    """The environment for a child process (a Jupyter kernel) whose framework logs are shown
    as in this one: ``env`` (default this process's) with ``D2LMOMENTUM_VERBOSE=1`` if
    ``verbose`` or :func:`set_verbose`. A bad ``TF_CPP_MIN_LOG_LEVEL`` raises here, once,
    rather than in every child."""
    env = dict(os.environ if env is None else env)
    if verbose or _verbose:
        env[envvars.VERBOSE] = "1"
    level(env)
    return env


def is_log_line(line):
    """Whether ``line`` starts an absl record or is absl's pre-initialisation header."""
    return bool(_RECORD.match(line) or _HEADER.match(line))


def _pieces(text):
    """``text`` cut into ``[severity, text]`` pieces, severity ``None`` for what no framework logged.

    A record is its first line plus every following line that starts no record (the rest of
    a multi-line message); absl's header goes with the record after it, and counts as a
    WARNING where none follows."""
    pieces, header = [], ""
    for line in text.splitlines(keepends=True):
        record = _RECORD.match(line)
        if _HEADER.match(line):
            header += line
        elif record:
            pieces.append([record.group(1), header + line])
            header = ""
        elif pieces and pieces[-1][0] is not None and not header:
            pieces[-1][1] += line
        else:
            pieces.append([None, line])
    if header:
        pieces.append(["W", header])
    return pieces


def filtered(text, level):
    """``text`` (what reached descriptor 2) less the framework records below ``level``."""
    return "".join(piece for severity, piece in _pieces(text)
                   if severity is None or SEVERITIES.index(severity) >= level)


@contextlib.contextmanager
def _python_stderr_on(fd):
    """``sys.stderr`` writing to ``fd`` for the duration, if it writes to descriptor 2."""
    try:
        on_fd2 = sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):
        on_fd2 = False
    if not on_fd2:
        yield
        return
    original = sys.stderr
    with open(fd, "w", buffering=1, encoding=getattr(original, "encoding", None),
              errors=getattr(original, "errors", None), closefd=False) as stream:
        sys.stderr = stream
        try:
            yield
        finally:
            sys.stderr = original


def _import_filtered(name, level):
    """``import name`` with descriptor 2 captured and written on to ``sys.stderr`` filtered;
    Python's own writes to ``sys.stderr`` go straight through (so before the captured lines)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as captured, _python_stderr_on(saved):
            os.dup2(captured.fileno(), 2)
            try:
                return importlib.import_module(name)
            finally:
                os.dup2(saved, 2)
                captured.seek(0)
                kept = filtered(captured.read().decode("utf-8", "replace"), level)
                if kept:
                    sys.stderr.write(kept)
                    sys.stderr.flush()
    finally:
        os.close(saved)


def import_framework(name):
    """``import name``, its log lines shown as :func:`level` says; returns the module.

    The framework's logging variable (:data:`LOG_LEVEL_VARIABLES`) holds the level during the
    import only (TensorFlow reads it then, for good); at level 0 nothing is captured."""
    if name in sys.modules:
        return sys.modules[name]
    shown = level()
    variable = LOG_LEVEL_VARIABLES.get(name)
    with envvars.temporarily(variable, str(shown)) if variable else contextlib.nullcontext():
        if shown == 0:
            return importlib.import_module(name)
        return _import_filtered(name, shown)
