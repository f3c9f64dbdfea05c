"""Backend registry: one adapter module per framework, imported only when asked for.

Names are ``numpy``, ``pytorch``, ``tensorflow``, ``mxnet`` and ``jax``; the aliases
``np``, ``torch``, ``tf`` and ``mx`` mean the same. The current backend comes from
:func:`set_backend`, else the environment variable ``D2LMOMENTUM_BACKEND``, else
``pytorch``. Importing this package imports no framework.
"""
import dataclasses
import importlib
import importlib.util
import sys

from d2lmomentum import envvars
from d2lmomentum.errors import BackendError, BackendNotInstalledError



@dataclasses.dataclass(frozen=True)
class Registered:
    """What a backend is: its name, how it is displayed, the module it imports, the pip extra
    that installs it (``None``: always installed) and the alias that also names it."""
    name: str
    display_name: str
    module: str
    extra: str
    alias: str


#: The registry, one row per backend; every name list below derives from it.
REGISTRY = (
    Registered("numpy", "NumPy", "numpy", None, "np"),
    Registered("pytorch", "PyTorch", "torch", "torch", "torch"),
    Registered("tensorflow", "TensorFlow", "tensorflow", "tensorflow", "tf"),
    Registered("mxnet", "MXNet", "mxnet", "mxnet", "mx"),
    Registered("jax", "JAX", "jax", "jax", "jax"),
)
_ROWS = {row.name: row for row in REGISTRY}
DEFAULT = "pytorch"
#: Every backend: the NumPy oracle and the frameworks.
NAMES = tuple(_ROWS)
#: The deep-learning frameworks, each with its adapter, drop-in and chapter tab.
FRAMEWORKS = NAMES[1:]
#: How the frameworks spell their names.
DISPLAY_NAMES = {row.name: row.display_name for row in REGISTRY if row.name in FRAMEWORKS}
#: alias -> name, for the aliases that differ from a name.
ALIASES = {row.alias: row.name for row in REGISTRY if row.alias != row.name}

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
    return importlib.util.find_spec(_ROWS[canonical_name(name)].module) is not None


def available_backends():
    """The backend names whose framework is installed, in registry order."""
    return [n for n in NAMES if is_installed(n)]


def require_installed(names):
    """Raise :class:`BackendNotInstalledError` naming every backend of ``names`` whose framework
    is not installed (without importing any), with the extras that install them."""
    missing = [canonical_name(n) for n in names if not is_installed(n)]
    if missing:
        packages = ", ".join(repr(_ROWS[m].module) for m in missing)
        extras = ",".join(_ROWS[m].extra for m in missing)
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


# a tensor's top-level module -> its backend (the frameworks before NumPy, whose arrays they may
# wrap); JAX's arrays are jaxlib's
_MODULES = {**{_ROWS[name].module: name for name in (*FRAMEWORKS, "numpy")}, "jaxlib": "jax"}


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
    name = _MODULES.get(module.split(".")[0])
    if name is not None:
        return name
    raise BackendError(
        f"cannot tell which framework a {module}.{type(tensor).__name__} belongs to; "
        f"pass backend= one of {', '.join(NAMES)}")
