"""d2l's 2D helpers: ``train_2d`` (iterate a trainer from d2l's start point, print the end point)
and ``show_trace_2d`` (the trace over the objective's contours on d2l's grid)."""
import numpy as np

from d2lmomentum import theory
from d2lmomentum.dropin.figures import as_array
from d2lmomentum.plotting import plt, set_figsize


def train_2d(trainer, steps=20, f_grad=None):
    """Iterate ``trainer(x1, x2, s1, s2[, f_grad])`` ``steps`` times from
    :data:`~d2lmomentum.theory.START_2D` with states ``s1 = s2 = 0``, as ``d2l.train_2d``: prints
    ``epoch <steps>, x1: <x1>, x2: <x2>`` and returns the ``steps + 1`` points ``(x1, x2)``."""
    results = theory.train_2d(trainer, steps, f_grad)
    print(f"epoch {steps}, x1: {results[-1][0]:f}, x2: {results[-1][1]:f}")
    return results


def trace_grid():
    """``(x1, x2)``: d2l's contour grid, :data:`~d2lmomentum.theory.TRACE_GRID`, as two NumPy
    arrays of shape ``(len(x2 range), len(x1 range))`` (``meshgrid`` with xy indexing)."""
    return np.meshgrid(*(np.arange(*axis) for axis in theory.TRACE_GRID))


def show_trace_2d(f, results):
    """Show the trace of 2D variables during optimisation (``results``, points ``(x1, x2)``)
    over the contours of ``f(x1, x2)``, as ``d2l.show_trace_2d``; ``f`` may return a framework
    array (it is given NumPy grids)."""
    pyplot = plt()
    set_figsize()
    pyplot.plot(*zip(*[theory.point(a, b) for a, b in results]), "-o", color="#ff7f0e")
    x1, x2 = trace_grid()
    pyplot.contour(x1, x2, as_array(f(x1, x2)), colors="#1f77b4")
    pyplot.xlabel("x1")
    pyplot.ylabel("x2")
