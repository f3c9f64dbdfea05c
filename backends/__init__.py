"""Backend registry: one adapter module per framework, imported only when asked for.

Names are ``numpy``, ``pytorch``, ``tensorflow`` and ``mxnet``; the aliases
``np``, ``torch``, ``tf`` and ``mx`` mean the same. The current backend comes from
:func:`set_backend`, else the environment variable ``D2LMOMENTUM_BACKEND``, else
``pytorch``. Importing this package imports no framework.
"""
import importlib
import importlib.util
import sys

from d2lmomentum import envvars
from d2lmomentum.errors import BackendError, BackendNotInstalledError

# The registry, one row per backend: name -> (how it is displayed, the module it imports, the pip
# extra that installs it, its alias, seconds its import takes here (kernels start slowest first, so
# that with fewer jobs than frameworks a run ends sooner), whether its d2l drop-in can compile the
# reader's trainer). Every name list below derives from it.
_REGISTRY = {
    "numpy": ("NumPy", "numpy", None, "np", 0.1, False),
    "pytorch": ("PyTorch", "torch", "torch", "torch", 2.0, False),
    "tensorflow": ("TensorFlow", "tensorflow", "tensorflow", "tf", 4.0, True),
    "mxnet": ("MXNet", "mxnet", "mxnet", "mx", 1.0, False),
}
DEFAULT = "pytorch"
#: Every backend: the NumPy oracle and the frameworks.
NAMES = tuple(_REGISTRY)
#: The deep-learning frameworks, each with its adapter, drop-in and chapter tab.
FRAMEWORKS = NAMES[1:]
#: How the frameworks spell their names.
DISPLAY_NAMES = {name: row[0] for name, row in _REGISTRY.items() if name in FRAMEWORKS}
ALIASES = {row[3]: name for name, row in _REGISTRY.items()}
#: The order to start kernels in, slowest import first.
START_ORDER = tuple(sorted(FRAMEWORKS, key=lambda name: -_REGISTRY[name][4]))
#: The frameworks whose d2l drop-in can compile the reader's trainer (``compile=True``).
COMPILE_READERS_TRAINER = tuple(name for name, row in _REGISTRY.items() if row[5])
# name -> (import name of the framework, pip extra that installs it)
_FRAMEWORKS = {name: (row[1], row[2]) for name, row in _REGISTRY.items()}

_loaded = {}
_current = None


def canonical_name(name):
    """``'torch'`` -> ``'pytorch'``; raises :class:`BackendError` for an unknown name."""
    if not isinstance(name, str):
        raise BackendError(
            f"backend must be a string, got {type(name).__name__} {name!r}; "
            f"valid names: {', '.join(NAMES)} (aliases: {', '.join(ALIASES)})")
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in NAMES:
        raise BackendError(
            f"unknown backend {name!r}; valid names: {', '.join(NAMES)} "
            f"(aliases: {', '.join(f'{a}={n}' for a, n in ALIASES.items())})")
    return key


def is_installed(name):
    """Whether the framework behind ``name`` can be imported (without importing it)."""
    module, _ = _FRAMEWORKS[canonical_name(name)]
    return importlib.util.find_spec(module) is not None


def available_backends():
    """The backend names whose framework is installed, in registry order."""
    return [n for n in NAMES if is_installed(n)]


def require_installed(names):
    """Raise :class:`BackendNotInstalledError` naming every backend of ``names`` whose framework
    is not installed (without importing any), with the extras that install them."""
    missing = [canonical_name(n) for n in names if not is_installed(n)]
    if missing:
        packages = ", ".join(repr(_FRAMEWORKS[m][0]) for m in missing)
        extras = ",".join(_FRAMEWORKS[m][1] for m in missing)
        raise BackendNotInstalledError(
            f"backend {', '.join(map(repr, missing))} needs the {packages} package, which is not installed; "
            f"install it with: pip install 'd2lmomentum[{extras}]' -c constraints.txt")


def load(name=None):
    """The adapter object for ``name`` (default: the current backend), importing its framework."""
    key = canonical_name(name) if name is not None else get_backend()
    if key not in _loaded:
        require_installed([key])
        _loaded[key] = importlib.import_module(f"{__name__}.{key}").Backend()
    return _loaded[key]


def set_backend(name):
    """Make ``name`` the default backend of this process; returns the canonical name."""
    global _current
    _current = canonical_name(name)
    return _current


def get_backend():
    """The canonical name of the current default backend."""
    if _current is not None:
        return _current
    return canonical_name(envvars.backend() or DEFAULT)


# a tensor's module prefix -> its backend (the frameworks before NumPy, whose arrays they may wrap)
_MODULE_PREFIXES = tuple((_FRAMEWORKS[name][0], name) for name in (*FRAMEWORKS, "numpy"))


def backend_of(tensor):
    """The backend name that owns ``tensor``, from its type's module (imports nothing).

    A Keras 3 tensor or variable belongs to whichever backend Keras runs on: TensorFlow's
    is ``tensorflow``; on another Keras backend it is not one of ours.
    """
    module = type(tensor).__module__ or ""
    if module == "keras" or module.startswith("keras."):
        keras_backend = sys.modules["keras"].backend.backend()
        if keras_backend == "tensorflow":
            return "tensorflow"
        raise BackendError(
            f"a Keras {type(tensor).__name__} on Keras's {keras_backend!r} backend; d2lmomentum updates "
            f"Keras tensors only on Keras's TensorFlow backend (pass {keras_backend} tensors directly)")
    for prefix, name in _MODULE_PREFIXES:
        if module == prefix or module.startswith(prefix + "."):
            return name
    raise BackendError(
        f"cannot tell which framework a {module}.{type(tensor).__name__} belongs to; "
        f"pass backend= one of {', '.join(NAMES)}")
