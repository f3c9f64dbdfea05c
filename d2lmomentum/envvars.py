"""Every environment variable d2lmomentum reads, each read here and nowhere else.

* ``D2LMOMENTUM_BACKEND``: the default backend (``numpy``, ``pytorch``, ``tensorflow``, ``mxnet``).
* ``D2LMOMENTUM_DATA_DIR``: a folder holding ``airfoil_self_noise.dat`` (instead of the packaged copy) and any other file a chapter's ``d2l.download`` asks for.
* ``D2LMOMENTUM_SEED``: the drop-ins' seed for data order and initial weights (the chapter runner sets it).
* ``D2LMOMENTUM_COMPILE``: ``1`` lets the TensorFlow drop-in trace the reader's trainer (``--compile``).
* ``D2LMOMENTUM_VERBOSE``: ``1`` lets every framework log line through (``--verbose``).
* ``TF_CPP_MIN_LOG_LEVEL``: TensorFlow's own; the least severity shown of TensorFlow's, absl's and
  oneDNN's log lines: 0 all, 1 no INFO, 2 no WARNING, 3 nothing but FATAL
  (unset: :data:`d2lmomentum.quiet.DEFAULT_LEVEL`).

Each reader takes ``env``, a mapping standing for a process's environment (default this
process's), and treats a variable set to the empty string as unset.
"""
import contextlib
import os

from d2lmomentum.errors import InvalidArgumentError

BACKEND = "D2LMOMENTUM_BACKEND"
DATA_DIR = "D2LMOMENTUM_DATA_DIR"
SEED = "D2LMOMENTUM_SEED"
COMPILE = "D2LMOMENTUM_COMPILE"
VERBOSE = "D2LMOMENTUM_VERBOSE"
TF_LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL"


def _get(name, env):
    """The value of ``name`` in ``env`` (default ``os.environ``), stripped; ``None`` if unset or empty."""
    return (os.environ if env is None else env).get(name, "").strip() or None


def _natural(name, env):
    """``name``'s value as an integer >= 0, ``None`` if unset; :class:`InvalidArgumentError` otherwise."""
    value = _get(name, env)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):
        raise InvalidArgumentError(f"{name} must be an integer >= 0, got {value!r}; set it to one or unset it")
    return int(value)


def flag(name, env=None):
    """Whether the variable ``name`` is set to something other than empty or ``0``."""
    return _get(name, env) not in (None, "0")


def backend(env=None):
    """The user's default backend name as written (:data:`BACKEND`), or ``None``."""
    return _get(BACKEND, env)


def data_dir(env=None):
    """The user's data folder as written (:data:`DATA_DIR`), or ``None``."""
    return _get(DATA_DIR, env)


def seed(env=None):
    """The drop-ins' seed (:data:`SEED`), an integer >= 0, or ``None``."""
    return _natural(SEED, env)


def compiled(env=None):
    """Whether the TensorFlow drop-in traces the reader's trainer (:data:`COMPILE`)."""
    return flag(COMPILE, env)


def verbose(env=None):
    """Whether every framework log line is wanted (:data:`VERBOSE`)."""
    return flag(VERBOSE, env)


def tf_log_level(env=None):
    """The user's ``TF_CPP_MIN_LOG_LEVEL`` (:data:`TF_LOG_LEVEL`), an integer >= 0, or ``None``."""
    return _natural(TF_LOG_LEVEL, env)


@contextlib.contextmanager
def temporarily(name, value):
    """``name`` set to ``value`` in this process for the duration, then the user's value (or
    its absence) restored, so that child processes started later see the user's."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before

