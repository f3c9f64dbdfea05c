"""What the three d2l drop-ins (``d2lmomentum.mxnet``, ``.torch``, ``.tensorflow``) share.

Each drop-in supplies only its framework's tensor functions and how the chapter's
trainer is called; figures, timers, data iteration and the ``train_ch11`` schedule live
here once. Where this differs from d2l on purpose:

* ``train_ch11`` calls the reader's trainer once per minibatch, eagerly, as d2l does; only the
  TensorFlow drop-in can trace it instead, when asked (``compile=True``, ``D2LMOMENTUM_COMPILE=1``);
* ``train_ch11``/``train_concise_ch11`` evaluate the loss over all 1500 examples in one
  full-batch call instead of a loop over minibatches (the same number up to rounding), and
  gather each epoch's shuffled data once instead of running a data loader per batch;
* ``train_concise_ch11`` trains on the same half squared error as ``train_ch11`` (d2l's
  PyTorch and TensorFlow versions train on plain MSE, i.e. twice the gradient, and report
  half of it), so the built-in run really matches the from-scratch one;
* ``show_trace_2d`` draws its contours on one NumPy grid (``meshgrid`` with xy indexing),
  the same on every framework;
* ``Animator`` redraws live only inside Jupyter; in a script it just keeps its figure.
"""
import os
import sys
import time

import numpy as np

from d2lmomentum import envvars
from d2lmomentum.data import load_airfoil
from d2lmomentum.plotting import plt as _pyplot
from d2lmomentum.plotting import LOSS_YLIM, set_figsize
from d2lmomentum.train import initial_weights, run_schedule

plt = _pyplot()

__all__ = ["plt", "set_figsize", "use_svg_display", "set_axes", "plot", "Timer", "Animator", "train_2d",
           "show_trace_2d", "DataIter"]


def use_svg_display():
    """Use SVG figures in Jupyter (a no-op elsewhere)."""
    if _in_notebook():
        from matplotlib_inline import backend_inline
        backend_inline.set_matplotlib_formats("svg")


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """Set the labels, limits, scales and legend of ``axes``, as ``d2l.set_axes``."""
    axes.set_xlabel(xlabel), axes.set_ylabel(ylabel)
    axes.set_xscale(xscale), axes.set_yscale(yscale)
    axes.set_xlim(xlim), axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _as_array(x):
    """A NumPy view of a list, array or any framework's tensor."""
    for attr in ("asnumpy", "detach", "numpy"):
        if hasattr(x, attr):
            x = getattr(x, attr)()
    return np.asarray(x)


def plot(X, Y=None, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None, xscale="linear",
         yscale="linear", fmts=("-", "m--", "g-.", "r:"), figsize=(3.5, 2.5), axes=None):
    """Plot data points, as ``d2l.plot``: ``X`` (and ``Y``) one series or a list of series."""
    def has_one_axis(v):
        return hasattr(v, "ndim") and v.ndim == 1 or isinstance(v, list) and not hasattr(v[0], "__len__")

    if has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    set_figsize(figsize)
    if axes is None:
        axes = plt.gca()
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts):
        y = _as_array(y)
        axes.plot(_as_array(x), y, fmt) if len(x) else axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend or [])


class Timer:
    """Record multiple running times, as ``d2l.Timer``."""

    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        self.tik = time.perf_counter()

    def stop(self):
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self):
        return sum(self.times) / len(self.times)

    def sum(self):
        return sum(self.times)

    def cumsum(self):
        return np.array(self.times).cumsum().tolist()


def _in_notebook():
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


#: Seconds between two live frames of an :class:`Animator` (each costs a PNG render, ~80 ms);
#: the figure as it ends is shown when the cell ends.
LIVE_INTERVAL = 0.5


class Animator:
    """Plot data as it arrives, as ``d2l.Animator``: live in Jupyter (at most a frame every
    :data:`LIVE_INTERVAL` seconds), quiet in a script."""

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None, xscale="linear",
                 yscale="linear", fmts=("-", "m--", "g-.", "r:"), nrows=1, ncols=1, figsize=(3.5, 2.5)):
        self.fig, self.axes = plt.subplots(nrows, ncols, figsize=figsize)
        if nrows * ncols == 1:
            self.axes = [self.axes]
        self.config_axes = lambda: set_axes(self.axes[0], xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.X, self.Y, self.fmts = None, None, fmts
        self.live, self.shown = _in_notebook(), None
        self.config_axes()

    def add(self, x, y):
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
        ax = self.axes[0]
        if len(ax.lines) != len(self.X):
            ax.cla()
            for x, y, fmt in zip(self.X, self.Y, self.fmts):
                ax.plot(x, y, fmt)
            self.config_axes()
        else:
            for line, x, y in zip(ax.lines, self.X, self.Y):
                line.set_data(x, y)


def train_2d(trainer, steps=20, f_grad=None):
    """Optimise a 2D objective with ``trainer(x1, x2, s1, s2[, f_grad])`` from ``(-5, -2)``, as
    ``d2l.train_2d``: prints the end point, returns the points."""
    from d2lmomentum.theory import train_2d as iterate
    results = iterate(trainer, steps, f_grad)
    print(f"epoch {steps}, x1: {results[-1][0]:f}, x2: {results[-1][1]:f}")
    return results


def show_trace_2d(f, results):
    """Show the trace of 2D variables during optimisation over the contours of ``f``."""
    set_figsize()
    plt.plot(*zip(*[(float(a), float(b)) for a, b in results]), "-o", color="#ff7f0e")
    x1, x2 = np.meshgrid(np.arange(-5.5, 1.0, 0.1), np.arange(-3.0, 1.0, 0.1))
    plt.contour(x1, x2, f(x1, x2), colors="#1f77b4")
    plt.xlabel("x1")
    plt.ylabel("x2")


class DataIter:
    """Minibatches of framework tensors over NumPy arrays, reshuffled every pass.

    Each pass gathers the shuffled arrays once and yields slices. ``X`` is ``(n, d)``,
    ``y`` ``(n,)`` as in d2l; ``seed`` (default: ``$D2LMOMENTUM_SEED``, which the chapter
    runner sets, else fresh entropy as in d2l) makes the order and ``train_ch11``'s initial
    weights repeatable.
    """

    def __init__(self, backend, arrays, batch_size, shuffle=True, seed=None):
        self.backend = backend
        self.X, self.y = (np.asarray(a) for a in arrays)
        self.batch_size, self.shuffle = int(batch_size), shuffle
        if seed is None and os.environ.get(envvars.SEED, "").isdigit():
            seed = int(os.environ[envvars.SEED])
        self.rng = np.random.default_rng(seed)

    def __len__(self):
        return -(-len(self.X) // self.batch_size)

    def order(self):
        return self.rng.permutation(len(self.X)) if self.shuffle else np.arange(len(self.X))

    def __iter__(self):
        order = self.order()
        X, y = self.backend.constant(self.X[order]), self.backend.constant(self.y[order])
        for s in range(0, len(self.X), self.batch_size):
            yield X[s:s + self.batch_size], y[s:s + self.batch_size]


def as_data_iter(backend, data_iter, to_numpy):
    """``data_iter`` itself, or a :class:`DataIter` over all the batches it yields."""
    if isinstance(data_iter, DataIter):
        return data_iter
    batches = [(to_numpy(X), to_numpy(y)) for X, y in data_iter]
    X = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1].reshape(len(b[0]), -1) for b in batches])
    return DataIter(backend, (X, y[:, 0] if y.shape[1] == 1 else y), len(batches[0][0]))


def model_functions(matmul, reshape):
    """d2l's ``linreg`` and ``squared_loss``, written with a framework's ``matmul`` and ``reshape``."""
    def linreg(X, w, b):
        """The linear regression model, ``X @ w + b``."""
        return matmul(X, w) + b

    def squared_loss(y_hat, y):
        """Half squared error, elementwise."""
        return (y_hat - reshape(y, y_hat.shape)) ** 2 / 2

    return linreg, squared_loss


def data_functions(backend, to_numpy):
    """A drop-in's ``load_array``, ``get_data_ch11`` and ``evaluate_loss``, d2l's signatures."""

    def as_numpy(a):
        return a if isinstance(a, np.ndarray) else to_numpy(a) if hasattr(a, "shape") else np.asarray(a)

    def load_array(data_arrays, batch_size, is_train=True, seed=None):
        """An iterator of minibatches over ``(X, y)`` (tensors or arrays), shuffled if ``is_train``."""
        return DataIter(backend, [as_numpy(a) for a in data_arrays], batch_size, shuffle=is_train, seed=seed)

    def get_data_ch11(batch_size=10, n=1500, seed=None):
        """``(data_iter, feature_dim)`` over the standardised airfoil data, as d2l's."""
        X, y = load_airfoil(n=n)
        return DataIter(backend, (X, y[:, 0]), batch_size, shuffle=True, seed=seed), X.shape[1]

    def evaluate_loss(net, data_iter, loss):
        """The mean of ``loss(net(X), y)`` over every example of ``data_iter``."""
        total, count = 0.0, 0
        for X, y in data_iter:
            values = as_numpy(loss(net(X), y))
            total, count = total + float(values.sum()), count + values.size
        return total / count

    return load_array, get_data_ch11, evaluate_loss


def _loop(B, step, current, data_iter, num_epochs):
    animator = Animator(xlabel="epoch", ylabel="loss", xlim=[0, num_epochs], ylim=list(LOSS_YLIM))
    X, y = data_iter.X, data_iter.y.reshape(len(data_iter.X), 1)
    Xall, yall = B.constant(X), B.constant(y)
    orders = [data_iter.order() for _ in range(num_epochs)]
    _, losses, seconds, cum = run_schedule(
        B, step, lambda: B.loss(current(), Xall, yall), X, y, orders, data_iter.batch_size,
        on_eval=lambda loss, epoch: animator.add(epoch, (loss,)))
    print(f"loss: {losses[-1]:.3f}, {seconds / num_epochs:.3f} sec/epoch")
    return cum, animator.Y[0]


def _init_params(B, data_iter, feature_dim):
    dtype = data_iter.X.dtype
    w = initial_weights(data_iter.rng, feature_dim, dtype)
    return [B.parameter(w), B.parameter(np.zeros(1, dtype))]


def train_ch11(B, call_trainer, data_iter, feature_dim, num_epochs=2, run_compiled=None):
    """d2l's ``train_ch11``: ``call_trainer(params, X, y)`` takes one step on a minibatch, called
    once per minibatch, eagerly, as in d2l.

    ``run_compiled(params, X, y)``, where given (the TensorFlow drop-in's opt-in ``compile``),
    takes all the steps over ``X`` at once; it returns ``False``, having applied nothing, if the
    trainer cannot be compiled, and from then on the steps run one by one.
    """
    params = _init_params(B, data_iter, feature_dim)
    bs = data_iter.batch_size
    compiled = [run_compiled]

    def step(Xs, ys):
        if compiled[0] is not None:
            if compiled[0](params, Xs, ys):
                return
            compiled[0] = None
        for s in range(0, B.shape(Xs)[0], bs):
            call_trainer(params, Xs[s:s + bs], ys[s:s + bs])

    return _loop(B, step, lambda: params, data_iter, num_epochs)


def train_concise_ch11(B, make_trainer, data_iter, num_epochs=4):
    """d2l's ``train_concise_ch11`` with ``make_trainer(params)`` building the framework's trainer.

    Returns nothing, as d2l's (a notebook shows no value after the cell)."""
    trainer = make_trainer(_init_params(B, data_iter, data_iter.X.shape[1]))
    _loop(B, lambda Xs, ys: trainer.train_steps(Xs, ys, data_iter.batch_size),
          lambda: trainer.params, data_iter, num_epochs)
