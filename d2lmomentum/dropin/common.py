"""The drop-in names that are the same on every framework (each framework module re-exports
them, listed in :data:`NAMES`)."""
from d2lmomentum.dropin.data import DATA_URL
from d2lmomentum.dropin.figures import Animator, plot, plt, set_axes, set_figsize, use_svg_display
from d2lmomentum.dropin.timer import Timer
from d2lmomentum.dropin.trace2d import show_trace_2d, train_2d

#: The shared names, for the framework modules' ``__all__``.
NAMES = ["DATA_URL", "Animator", "plot", "plt", "set_axes", "set_figsize", "use_svg_display", "Timer",
         "show_trace_2d", "train_2d"]
__all__ = NAMES

#: The names every framework module defines itself (its ``__all__`` adds its own aliases).
PER_FRAMEWORK = ["BACKEND", "DATA_HUB", "download", "DataIter", "linreg", "squared_loss", "load_array",
                 "get_data_ch11", "evaluate_loss", "train_ch11", "train_concise_ch11", "numpy", "reshape",
                 "matmul"]
#: The tensor aliases every framework module defines (d2l's, from its ``config.ini``).
ALIASES = ["arange", "zeros", "ones", "tensor", "normal", "exp", "sin", "sinh", "cos", "cosh", "tanh", "linspace",
           "meshgrid", "float32"]
