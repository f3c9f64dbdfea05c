"""Every environment variable d2lmomentum reads, named once.

* ``D2LMOMENTUM_BACKEND``: the default backend (``numpy``, ``pytorch``, ``tensorflow``, ``mxnet``).
* ``D2LMOMENTUM_DATA_DIR``: a folder holding ``airfoil_self_noise.dat`` to use instead of the packaged copy.
* ``D2LMOMENTUM_SEED``: the drop-ins' seed for data order and initial weights (the chapter runner sets it).
* ``D2LMOMENTUM_COMPILE``: ``1`` lets the TensorFlow drop-in trace the reader's trainer (``--compile``).
* ``D2LMOMENTUM_VERBOSE``: ``1`` lets the frameworks' own log lines through (``--verbose``).
"""
import os

BACKEND = "D2LMOMENTUM_BACKEND"
DATA_DIR = "D2LMOMENTUM_DATA_DIR"
SEED = "D2LMOMENTUM_SEED"
COMPILE = "D2LMOMENTUM_COMPILE"
VERBOSE = "D2LMOMENTUM_VERBOSE"


def flag(name):
    """Whether the variable ``name`` is set to something other than empty or ``0``."""
    return os.environ.get(name, "").strip() not in ("", "0")


def set_flag(name, on=True):
    """Set ``name`` to ``1`` (or unset it) in this process, so its children inherit it."""
    if on:
        os.environ[name] = "1"
    else:
        os.environ.pop(name, None)
