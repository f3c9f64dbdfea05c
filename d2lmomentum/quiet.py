"""Keep the frameworks' own log lines out of our output, unless the user asks for them.

TensorFlow 2.21 logs through absl before absl is initialised, straight to file
descriptor 2 and regardless of ``TF_CPP_MIN_LOG_LEVEL`` (``WARNING: All log messages
before absl::InitializeLog() ...`` and oneDNN's ``I0000 ... port.cc:153] oneDNN custom
operations are on ...``, twice per import). :func:`import_framework` imports such a
framework with descriptor 2 captured and passes on every captured line that is not a
framework log line. It changes no setting that affects numerics.

The user asks for the logs with ``--verbose`` (which sets ``D2LMOMENTUM_VERBOSE=1``, so
child processes and Jupyter kernels inherit it), or by setting one of the framework's own
logging variables, which then win.
"""
import importlib
import os
import re
import sys
import tempfile

from d2lmomentum import envvars

_LOG_LINE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\] )")


def verbose():
    """Whether the user asked for the frameworks' logs (``D2LMOMENTUM_VERBOSE`` set, not 0)."""
    return envvars.flag(envvars.VERBOSE)


def is_log_line(line):
    """Whether ``line`` is an absl-formatted framework log line."""
    return bool(_LOG_LINE.match(line))


def import_framework(name, log_levels=None):
    """``import name`` with its log lines at import dropped; returns the module.

    ``log_levels``: the framework's own logging variables and the quiet value to give each
    when the user has set none of them. If the user set any (or :func:`verbose`), the
    import runs untouched.
    """
    log_levels = log_levels or {}
    if name in sys.modules or verbose() or any(v in os.environ for v in log_levels):
        return importlib.import_module(name)
    os.environ.update(log_levels)
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            return importlib.import_module(name)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            text = captured.read().decode("utf-8", "replace")
            kept = [line for line in text.splitlines(keepends=True) if not is_log_line(line)]
            if kept:
                sys.stderr.write("".join(kept))
