"""Argument checks shared by the API and the CLI. Each error names the parameter, the
value it got and the range it allows."""
import math
import numbers

import numpy as np

from d2lmomentum.errors import InvalidArgumentError, InvalidTypeError


def real(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidTypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise InvalidArgumentError(f"{name} must be finite, got {value!r}")
    return value


def learning_rate(value, name="lr"):
    value = real(name, value)
    if value <= 0:
        raise InvalidArgumentError(f"{name} must be > 0, got {value!r} (the chapter uses 0.005 to 0.02)")
    return value


def momentum(value, name="momentum"):
    value = real(name, value)
    if not 0 <= value < 1:
        raise InvalidArgumentError(
            f"{name} must be in [0, 1), got {value!r} (0 is plain SGD; the chapter uses 0.5 and 0.9)")
    return value


def positive_int(name, value, maximum=None, what=""):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidTypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if value < 1:
        raise InvalidArgumentError(f"{name} must be a positive integer (>= 1), got {value}")
    if maximum is not None and value > maximum:
        raise InvalidArgumentError(f"{name} must be <= {maximum}{what}, got {value}")
    return value


def nesterov(value, beta):
    if not isinstance(value, (bool, int)) or value not in (0, 1):
        raise InvalidTypeError(f"nesterov must be True or False, got {value!r}")
    if value and beta == 0:
        raise InvalidArgumentError(
            "nesterov=True needs momentum > 0 (with momentum 0 it is plain SGD); "
            "set momentum in (0, 1) or nesterov=False")
    return bool(value)


def dtype(value):
    try:
        dt = np.dtype(value)
    except TypeError:
        dt = None
    if dt is None or dt.name not in ("float32", "float64"):
        raise InvalidArgumentError(f"dtype must be 'float32' or 'float64', got {value!r}")
    return dt.name


def seed(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise InvalidArgumentError(f"seed must be a non-negative integer or None, got {value!r}")
    return int(value)
