"""The errors d2lmomentum raises on purpose.

Every message says what was wrong and how to fix it. The CLI prints them as one
line (``d2lmomentum: error: ...``) without a traceback.
"""


class D2LMomentumError(Exception):
    """Base class of every error this package raises on purpose."""


class InvalidArgumentError(D2LMomentumError, ValueError):
    """A hyperparameter, shape or option is outside its allowed range."""


class InvalidTypeError(D2LMomentumError, TypeError):
    """An argument has the wrong type (e.g. a float where an int is needed)."""


class BackendError(D2LMomentumError, ValueError):
    """An unknown backend name."""


class BackendNotInstalledError(D2LMomentumError, ImportError):
    """A known backend whose framework is not installed."""


class DataError(D2LMomentumError, OSError):
    """The airfoil data cannot be found, fetched, verified or cached."""


class DivergenceError(D2LMomentumError, ArithmeticError):
    """Training produced a non-finite or exploding loss."""
