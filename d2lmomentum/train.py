"""The training schedule of d2l's ``train_ch11``, written once for every backend.

Model (:mod:`d2lmomentum.model`): linear regression ``y_hat = X @ w + b`` on the airfoil data,
loss the mean of ``(y_hat - y)**2 / 2``. Minibatches of ``batch_size`` rows in an order reshuffled every
epoch; after every 200 examples seen, the loss over all 1500 examples is recorded at
``x = examples / 1500`` epochs (15 points for 2 epochs of batch 10). ``sec_per_epoch``
counts the training steps and the epoch's data gather, not the evaluations, as d2l does.

With ``seed``, the initial weights ``w ~ N(0, 0.01^2)`` ``(5, 1)`` (``b = 0``) and every
epoch's permutation come from one ``numpy.random.default_rng(seed)``, so every backend
sees the same numbers in the same order.
"""
import dataclasses
import math
import time

import numpy as np

from d2lmomentum import validate
from d2lmomentum.backends import load
from d2lmomentum.data import load_airfoil
from d2lmomentum.errors import DivergenceError, InvalidArgumentError
from d2lmomentum.plotting import plot_loss_curve
from d2lmomentum.progress import ProgressBar

EVAL_EVERY = 200
#: d2l's initial weights: ``w ~ N(0, INIT_STD^2)``, ``b = 0``.
INIT_STD = 0.01
#: A loss above this multiple of the initial loss counts as divergence.
DIVERGENCE_FACTOR = 1e3


@dataclasses.dataclass
class TrainResult:
    """What a training run returns. ``losses[i]`` is the full-data loss at ``epochs[i]``."""

    losses: list
    epochs: list
    sec_per_epoch: float
    backend: str
    w: np.ndarray
    b: np.ndarray
    lr: float
    momentum: float
    nesterov: bool = False
    batch_size: int = 10
    num_epochs: int = 2
    seed: int = None
    method: str = "scratch"
    dtype: str = "float32"
    initial_loss: float = None

    @property
    def params(self):
        """The final parameters ``(w, b)`` as NumPy arrays."""
        return self.w, self.b

    def __str__(self):
        return f"loss: {self.losses[-1]:.3f}, {self.sec_per_epoch:.3f} sec/epoch"

    def to_dict(self):
        d = dataclasses.asdict(self)
        d["w"], d["b"] = self.w.tolist(), self.b.tolist()
        return d

    def plot(self, ax=None, ylim=None):
        """Draw the d2l-style loss curve (x: epoch, y: loss, ylim d2l's 0.22-0.35); returns the axes."""
        return plot_loss_curve(self.epochs, self.losses, self.num_epochs, ylim=ylim, ax=ax)


def initial_weights(rng, feature_dim, dtype):
    """d2l's initial ``w`` ``(feature_dim, 1)`` drawn from ``rng``; ``b`` starts at 0."""
    return rng.normal(0.0, INIT_STD, size=(feature_dim, 1)).astype(dtype)


def seeded_start(seed, n, feature_dim, num_epochs, dtype="float32"):
    """``(w0, orders)``: the initial weights and one permutation of ``n`` rows per epoch, from one
    ``numpy.random.default_rng(seed)``, the way every backend (and every baseline) is fed."""
    rng = np.random.default_rng(seed)
    w0 = initial_weights(rng, feature_dim, dtype)
    return w0, [rng.permutation(n) for _ in range(num_epochs)]


def epoch_segments(n, batch_size, seen, every=EVAL_EVERY):
    """Split one epoch of ``n`` rows into runs of whole minibatches ending at evaluations.

    Returns ``([(start, stop, evaluate_after), ...], seen_after)`` where ``seen`` counts the
    examples of earlier epochs, so an evaluation falls wherever the running count is a
    multiple of ``every`` (d2l's ``n % 200 == 0``).
    """
    segments, start = [], 0
    for s in range(0, n, batch_size):
        stop = min(s + batch_size, n)
        seen += stop - s
        if seen % every == 0:
            segments.append((start, stop, True))
            start = stop
    if start < n:
        segments.append((start, n, False))
    return segments, seen


def stability_bound(X, momentum):
    """Largest stable learning rate ``(2 + 2 beta) / lambda_max`` for this quadratic loss.

    ``lambda_max`` is the largest eigenvalue of the Hessian ``[X 1]^T [X 1] / n``.
    """
    A = np.hstack([np.asarray(X, np.float64), np.ones((len(X), 1))])
    lam = float(np.linalg.eigvalsh(A.T @ A / len(A))[-1])
    return (2 + 2 * momentum) / lam


def _check_args(lr, momentum, num_epochs, batch_size, nesterov, dtype, seed, n):
    lr = validate.learning_rate(lr)
    momentum = validate.momentum(momentum)
    num_epochs = validate.positive_int("num_epochs", num_epochs)
    batch_size = validate.positive_int("batch_size", batch_size, maximum=n,
                                       what=" (the number of examples)")
    return (lr, momentum, num_epochs, batch_size, validate.nesterov(nesterov, momentum),
            validate.dtype(dtype), validate.seed(seed))


def run_schedule(B, step, evaluate, X, y, orders, batch_size, progress=False, on_eval=None):
    """Drive ``step(X_rows, y_rows)`` over each epoch's order and ``evaluate()`` every 200 examples.

    ``X``, ``y`` are NumPy arrays; ``orders`` one permutation per epoch; ``on_eval(loss,
    epoch)`` sees each recorded point. Returns ``(epochs, losses, seconds, cum_seconds)``:
    ``seconds`` excludes the evaluations, ``cum_seconds[i]`` is that time at point ``i``.
    """
    n = len(X)
    epochs, losses, cum, seconds, seen = [], [], [], 0.0, 0
    bar = ProgressBar(n * len(orders), progress, f"train ({B.name})", unit="ex")
    try:
        for order in orders:
            t0 = time.perf_counter()
            Xe, ye = B.constant(X[order]), B.constant(y[order])
            segments, _ = epoch_segments(n, batch_size, seen)
            for start, stop, evaluate_after in segments:
                step(Xe[start:stop], ye[start:stop])
                seen += stop - start
                bar.update(stop - start)
                if evaluate_after:
                    seconds += time.perf_counter() - t0
                    loss = evaluate()
                    if on_eval is not None:
                        on_eval(loss, seen / n)
                    epochs.append(seen / n)
                    losses.append(loss)
                    cum.append(seconds)
                    t0 = time.perf_counter()
            seconds += time.perf_counter() - t0
    finally:
        bar.close()
    return epochs, losses, seconds, cum


def _check_data(data):
    """An ``(X, y)`` pair given directly: ``X`` ``(n, d)`` real and finite, ``y`` ``n`` values."""
    if len(data) != 2:
        raise InvalidArgumentError(f"data must be a path or an (X, y) pair, got a tuple of {len(data)}")
    try:
        X, y = np.asarray(data[0], dtype=np.float64), np.asarray(data[1], dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InvalidArgumentError(f"data (X, y) must be numeric arrays: {e}") from None
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise InvalidArgumentError(f"X must have shape (n, d) with n, d >= 1, got {X.shape}")
    if y.size != X.shape[0]:
        raise InvalidArgumentError(f"y must have one value per row of X ({X.shape[0]}), got shape {y.shape}")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise InvalidArgumentError("X and y must be finite (found NaN or infinity)")
    return X, y.reshape(-1, 1)


def _train(method, lr, momentum, num_epochs, backend, seed, batch_size, nesterov, dtype,
           data, plot, progress, plain_mse=False):
    X, y = _check_data(data) if isinstance(data, tuple) else load_airfoil(data, dtype="float32")
    lr, momentum, num_epochs, batch_size, nesterov, dtype, seed = _check_args(
        lr, momentum, num_epochs, batch_size, nesterov, dtype, seed, len(X))
    X, y = X.astype(dtype), y.astype(dtype).reshape(len(X), 1)
    B = load(backend)
    with B.precision(dtype):
        return _run(B, method, X, y, lr, momentum, num_epochs, seed, batch_size, nesterov, dtype, plot,
                    progress, plain_mse)


def _run(B, method, X, y, lr, momentum, num_epochs, seed, batch_size, nesterov, dtype, plot, progress,
         plain_mse):
    w0, orders = seeded_start(seed, len(X), X.shape[1], num_epochs, dtype)
    b0 = np.zeros(1, dtype)

    params = [B.parameter(w0), B.parameter(b0)]
    if method == "scratch":
        carry = [params, [B.state(np.zeros_like(w0)), B.state(np.zeros_like(b0))]]

        def step(Xs, ys):
            carry[:] = B.train_steps(*carry, Xs, ys, batch_size, lr, momentum, nesterov)

        def current():
            return carry[0]
    else:
        trainer = B.concise_trainer(params, lr, momentum, nesterov, plain_mse=plain_mse)

        def step(Xs, ys):
            trainer.train_steps(Xs, ys, batch_size)

        def current():
            return trainer.params

    Xall, yall = B.constant(X), B.constant(y)

    def evaluate():
        return B.loss(current(), Xall, yall)

    initial = evaluate()

    def divergence(loss, at):
        if not math.isfinite(loss) or loss > DIVERGENCE_FACTOR * initial:
            bound = stability_bound(X, momentum)
            raise DivergenceError(
                f"training diverged at epoch {at:.2f}: loss {loss:.4g} (initial {initial:.4g}) with "
                f"lr={lr}, momentum={momentum}, batch_size={batch_size}; for this quadratic loss the "
                f"full-batch iteration is stable only for lr < (2 + 2*momentum)/lambda_max = {bound:.4g}"
                f" (minibatch noise lowers that); use a smaller lr")

    epochs, losses, seconds, _ = run_schedule(B, step, evaluate, X, y, orders, batch_size,
                                              progress=progress, on_eval=divergence)
    w, b = (B.to_numpy(t) for t in current())
    result = TrainResult(losses=losses, epochs=epochs, sec_per_epoch=seconds / num_epochs,
                         backend=B.name, w=w, b=b, lr=lr, momentum=momentum, nesterov=nesterov,
                         batch_size=batch_size, num_epochs=num_epochs, seed=seed, method=method,
                         dtype=dtype, initial_loss=initial)
    if plot:
        result.plot()
    return result


def train_momentum(lr, momentum, num_epochs=2, *, backend=None, seed=None, batch_size=10,
                   nesterov=False, dtype="float32", data=None, plot=False, progress=False):
    """Train the chapter's linear model with momentum from scratch; see the module docstring.

    ``lr`` > 0, ``momentum`` in [0, 1); ``data`` is a path to the airfoil file (or folder),
    or an ``(X, y)`` pair of arrays, default the lookup of :func:`load_airfoil`. Every step
    takes its gradient from the backend's autograd (closed form on ``numpy``) and applies
    :func:`d2lmomentum.sgd_momentum`'s rule. Returns a :class:`TrainResult`.
    """
    return _train("scratch", lr, momentum, num_epochs, backend, seed, batch_size, nesterov,
                  dtype, data, plot, progress)


def train_concise(lr, momentum, num_epochs=2, *, backend=None, seed=None, batch_size=10,
                  nesterov=False, dtype="float32", data=None, plot=False, progress=False,
                  plain_mse=False):
    """Train the same model with the framework's own momentum SGD.

    Same data order and initial weights as :func:`train_momentum` for the same ``seed`` and
    the same half squared error, so the gradients and the trajectory are the same:
    ``torch.optim.SGD``, ``keras.optimizers.SGD``, gluon ``Trainer('sgd' | 'nag')`` with
    ``step(batch_size)``. ``plain_mse=True`` reproduces d2l's concise runs, which train on
    the plain mean squared error (twice the gradient) and report half of it, as here: the
    reported loss is always the half squared error.
    """
    return _train("concise", lr, momentum, num_epochs, backend, seed, batch_size, nesterov,
                  dtype, data, plot, progress, plain_mse=plain_mse)
