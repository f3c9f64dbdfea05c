"""The explorer's parameters: defaults (the chapter's momentum cell) and ranges, as the page's
``state.js`` has them."""
from d2lmomentum.errors import InvalidArgumentError, InvalidTypeError

METHODS = ("gd", "momentum", "nesterov")
DEFAULTS = {"eta": 0.6, "beta": 0.5, "steps": 20, "method": "momentum", "x1": -5.0, "x2": -2.0}
RANGES = {"eta": (0.01, 1.5), "beta": (0.0, 0.99), "steps": (1, 100), "x1": (-10.0, 10.0), "x2": (-10.0, 10.0)}


def check(initial):
    """``DEFAULTS`` updated with ``initial``, each value checked against its range."""
    unknown = sorted(set(initial) - set(DEFAULTS))
    if unknown:
        raise InvalidArgumentError(f"unknown setting {', '.join(map(repr, unknown))}; the explorer takes "
                                   f"{', '.join(DEFAULTS)}")
    p = dict(DEFAULTS, **initial)
    if p["method"] not in METHODS:
        raise InvalidArgumentError(f"method must be one of {', '.join(METHODS)}, got {p['method']!r}")
    for key, (lo, hi) in RANGES.items():
        value = p[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (key == "steps" and value != int(value)):
            kind = "an integer" if key == "steps" else "a number"
            raise InvalidTypeError(f"{key} must be {kind}, got {value!r}")
        if not lo <= value <= hi:
            raise InvalidArgumentError(f"{key} must be in [{lo}, {hi}], got {value}")
        p[key] = int(value) if key == "steps" else float(value)
    return p
