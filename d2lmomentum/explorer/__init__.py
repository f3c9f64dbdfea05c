"""The interactive momentum explorer: drag eta and beta, watch the trace on
``f(x) = 0.1 x1^2 + 2 x2^2``, the eigenvalues of the momentum matrix and the convergence region.

* :func:`write_explorer` writes the offline web page, ``explorer.html`` and its assets (plain
  JavaScript that iterates exactly what :mod:`d2lmomentum.theory` iterates). Its URL holds the
  setting: ``explorer.html?eta=0.6&beta=0.5&steps=20&method=momentum`` (``method``: ``gd``,
  ``momentum`` or ``nesterov``; optional start ``x1``, ``x2``, default ``(-5, -2)``).
* :func:`explore` is the same in Jupyter, with ipywidgets (``pip install 'd2lmomentum[widgets]'``).

Importing this module imports neither matplotlib nor ipywidgets.
"""
from d2lmomentum.explorer.page import write_explorer
from d2lmomentum.explorer.params import DEFAULTS, METHODS, RANGES

__all__ = ["write_explorer", "explore", "DEFAULTS", "METHODS", "RANGES"]


def explore(**initial):
    """The explorer as ipywidgets in a notebook: sliders for ``eta``, ``beta``, ``steps``, the
    ``method`` and the start ``x1``, ``x2`` (keywords give their initial values, defaults
    :data:`DEFAULTS`), and a matplotlib figure redrawn from :mod:`d2lmomentum.theory`.

    Returns an :class:`~d2lmomentum.explorer.widgets.Explorer`; Jupyter shows it as the cell's value.
    """
    from d2lmomentum.explorer.widgets import Explorer
    return Explorer(**initial)
