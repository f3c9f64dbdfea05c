"""The explorer's settings, written once: the defaults (the chapter's momentum cell), the
ranges, the methods' names and colours, the curvatures, the chapter's four settings and the
rule for showing a number. :func:`config` hands them to the web page, which has no copy."""
from d2lmomentum.errors import InvalidArgumentError, InvalidTypeError
from d2lmomentum.theory import METHODS, START_2D, TRACE_GRID

DEFAULTS = {"eta": 0.6, "beta": 0.5, "steps": 20, "method": "momentum", "x1": START_2D[0], "x2": START_2D[1]}
RANGES = {"eta": (0.01, 1.5), "beta": (0.0, 0.99), "steps": (1, 100), "x1": (-10.0, 10.0), "x2": (-10.0, 10.0)}
#: The curvatures of ``f_2d = 0.1 x1^2 + 2 x2^2`` (its Hessian's diagonal): ``lambda`` of x1 and of x2.
LAMBDAS = (0.2, 4.0)
NAMES = {"gd": "경사 하강법", "momentum": "모멘텀", "nesterov": "네스테로프"}
COLORS = {"gd": "#2ca02c", "momentum": "#ff7f0e", "nesterov": "#9467bd"}
#: The chapter's 2D figures, each from ``START_2D`` for ``DEFAULTS["steps"]`` steps.
PRESETS = ({"method": "gd", "eta": 0.4}, {"method": "gd", "eta": 0.6},
           {"method": "momentum", "eta": 0.6, "beta": 0.5}, {"method": "momentum", "eta": 0.6, "beta": 0.25})
#: A number is shown with six decimals (Python's ``.6f``) while ``|x| < FIXED_LIMIT``, else with six
#: significant digits (``.5e``): at 1e15 a double's spacing is already 0.125, so six decimals
#: would mostly show digits that are not there.
FIXED_LIMIT = 1e15


def number(x):
    """``x`` as the explorer shows it: ``f"{x:.6f}"`` while ``|x| < FIXED_LIMIT``, else
    ``f"{x:.5e}"``; ``∞``, ``-∞`` or ``NaN`` where ``x`` is not finite."""
    x = float(x)
    if x != x:
        return "NaN"
    if abs(x) == float("inf"):
        return "∞" if x > 0 else "-∞"
    return f"{x:.6f}" if abs(x) < FIXED_LIMIT else f"{x:.5e}"


def config():
    """Everything the web page takes from Python, as JSON-ready values: ``defaults``, ``ranges``,
    ``methods``, ``names``, ``colors``, ``lambdas``, ``presets``, ``traceGrid`` (d2l's
    ``show_trace_2d`` grid, ``[[x0, x1, step], [y0, y1, step]]``) and ``fixedLimit``."""
    return {"defaults": DEFAULTS, "ranges": {k: list(v) for k, v in RANGES.items()}, "methods": list(METHODS),
            "names": NAMES, "colors": COLORS, "lambdas": list(LAMBDAS), "presets": list(PRESETS),
            "traceGrid": [list(axis) for axis in TRACE_GRID], "fixedLimit": FIXED_LIMIT}


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
