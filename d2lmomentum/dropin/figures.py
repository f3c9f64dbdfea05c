"""d2l's figure helpers: ``plt``, ``use_svg_display``, ``set_figsize``, ``set_axes``, ``plot``,
``Animator``; each takes lists, NumPy arrays or any framework's tensors.

``d2l.plt`` is matplotlib's ``pyplot`` whose functions take every framework's arrays (MXNet,
PyTorch, TensorFlow, JAX; lists and tuples of them too) as they take NumPy's, as d2l books of
the 0.17 era pass them (``d2l.plt.contour(x1, x2, f(x1, x2))`` on MXNet arrays, which have no
``__array__``). What those functions return (figures, axes) is matplotlib's own.
"""
import functools
import sys
import time
import types

import numpy as np

from d2lmomentum.plotting import plt as _pyplot
from d2lmomentum.plotting import set_figsize  # noqa: F401  (d2l.set_figsize)

#: The top-level packages whose arrays are converted to NumPy's.
FRAMEWORK_PACKAGES = frozenset({"mxnet", "torch", "tensorflow", "keras", "jax", "jaxlib"})

#: d2l's line formats for successive series.
FMTS = ("-", "m--", "g-.", "r:")
#: d2l's default figure size, inches.
FIGSIZE = (3.5, 2.5)
#: Seconds between two live frames of an :class:`Animator` (each costs a PNG render, ~80 ms);
#: the figure as it ends is shown when the cell ends.
LIVE_INTERVAL = 0.5


def in_notebook():
    """Whether this runs in a Jupyter kernel."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def use_svg_display():
    """Use SVG figures in Jupyter (a no-op elsewhere)."""
    if in_notebook():
        from matplotlib_inline import backend_inline
        backend_inline.set_matplotlib_formats("svg")


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """Set the labels, limits, scales and legend of ``axes``, as ``d2l.set_axes``."""
    xlim, ylim = as_numpy_args(xlim), as_numpy_args(ylim)
    axes.set_xlabel(xlabel), axes.set_ylabel(ylabel)
    axes.set_xscale(xscale), axes.set_yscale(yscale)
    axes.set_xlim(xlim), axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def as_array(x):
    """A NumPy array of a number, a list (of numbers or 0-d tensors), an array or any
    framework's tensor (on any device, with or without a gradient)."""
    if isinstance(x, (list, tuple)):
        return np.array([as_array(e) for e in x])
    for attr in ("asnumpy", "detach", "cpu", "numpy"):
        if not isinstance(x, np.ndarray) and hasattr(x, attr):
            x = getattr(x, attr)()
    return np.asarray(x)


def is_framework_array(x):
    """Whether ``x`` is an array or tensor of one of :data:`FRAMEWORK_PACKAGES`."""
    return type(x).__module__.partition(".")[0] in FRAMEWORK_PACKAGES


def as_numpy_args(value):
    """``value`` with every framework array in it as a NumPy array: itself, or the items of a
    list, tuple or dict (nested); anything else unchanged."""
    if is_framework_array(value):
        return as_array(value)
    if isinstance(value, (list, tuple)) and any(is_framework_array(v) or isinstance(v, (list, tuple, dict))
                                                for v in value):
        converted = [as_numpy_args(v) for v in value]
        return converted if isinstance(value, list) else tuple(converted)
    if isinstance(value, dict):
        return {k: as_numpy_args(v) for k, v in value.items()}
    return value


def taking_framework_arrays(function):
    """``function`` called with :func:`as_numpy_args` of each argument."""
    @functools.wraps(function)
    def call(*args, **kwargs):
        return function(*(as_numpy_args(a) for a in args), **{k: as_numpy_args(v) for k, v in kwargs.items()})
    return call


class _Pyplot(types.ModuleType):
    """``matplotlib.pyplot`` (imported on first use), each public function wrapped by
    :func:`taking_framework_arrays`; everything else (``rcParams``, classes) as it is."""

    def __getattr__(self, name):
        value = getattr(_pyplot(), name)
        if isinstance(value, types.FunctionType) and not name.startswith("_"):
            value = taking_framework_arrays(value)
        return value

    def __dir__(self):
        return dir(_pyplot())


plt = _Pyplot("d2l.plt", "matplotlib.pyplot, taking every framework's arrays")


def _has_one_axis(v):
    return hasattr(v, "ndim") and v.ndim == 1 or isinstance(v, list) and not hasattr(v[0], "__len__")


def plot(X, Y=None, xlabel=None, ylabel=None, legend=[], xlim=None, ylim=None, xscale="linear",  # noqa: B006
         yscale="linear", fmts=FMTS, figsize=FIGSIZE, axes=None):
    """Plot data points, as ``d2l.plot``: ``X`` (and ``Y``) one series or a list of series;
    with ``Y`` left out, ``X`` are the y values over their indices. (``legend=[]`` is d2l's
    default; it is only read.)"""
    if _has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif _has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    set_figsize(figsize)
    if axes is None:
        axes = plt.gca()
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts):
        y = as_array(y)
        axes.plot(as_array(x), y, fmt) if len(x) else axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)


def _plain(value):
    """A framework scalar as a Python number, a framework array (or a list of them) as a list;
    anything else unchanged."""
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if not is_framework_array(value):
        return value
    array = as_array(value)
    return array.item() if array.ndim == 0 else array.tolist()


class Animator:
    """Plot data as it arrives, as ``d2l.Animator``: live in Jupyter (at most a frame every
    :data:`LIVE_INTERVAL` seconds), quiet in a script."""

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None, xscale="linear",
                 yscale="linear", fmts=FMTS, nrows=1, ncols=1, figsize=FIGSIZE):
        if legend is None:
            legend = []
        self.fig, self.axes = plt.subplots(nrows, ncols, figsize=figsize)
        if nrows * ncols == 1:
            self.axes = [self.axes]
        self.config_axes = lambda: set_axes(self.axes[0], xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.X, self.Y, self.fmts = None, None, fmts
        self.live, self.shown = in_notebook(), None
        self.config_axes()

    def add(self, x, y):
        """Append the point ``(x, y[i])`` to series ``i`` (``None`` skips a series) and redraw;
        ``x`` and ``y`` may be framework scalars or arrays."""
        x, y = _plain(x), _plain(y)
        if not hasattr(y, "__len__"):
            y = [y]
        n = len(y)
        if not hasattr(x, "__len__"):
            x = [x] * n
        if not self.X:
            self.X = [[] for _ in range(n)]
        if not self.Y:
            self.Y = [[] for _ in range(n)]
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                self.X[i].append(a)
                self.Y[i].append(b)
        self.draw()
        if self.live and (self.shown is None or time.perf_counter() - self.shown >= LIVE_INTERVAL):
            from IPython import display
            self.shown = time.perf_counter()
            display.display(self.fig)
            display.clear_output(wait=True)

    def draw(self):
        """Bring the figure's lines up to date with ``X`` and ``Y``."""
        ax = self.axes[0]
        if len(ax.lines) != len(self.X):
            ax.cla()
            for x, y, fmt in zip(self.X, self.Y, self.fmts):
                ax.plot(x, y, fmt)
            self.config_axes()
        else:
            for line, x, y in zip(ax.lines, self.X, self.Y):
                line.set_data(x, y)
