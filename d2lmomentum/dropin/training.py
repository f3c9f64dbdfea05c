"""d2l's ``train_ch11`` and ``train_concise_ch11`` schedule, shared by the three drop-ins: the
linear model on the airfoil data, the loss over all examples every 200 examples, an
:class:`~d2lmomentum.dropin.figures.Animator` of it, ``loss: <last>, <s> sec/epoch`` printed."""
import numpy as np

from d2lmomentum.dropin.figures import Animator
from d2lmomentum.plotting import LOSS_YLIM
from d2lmomentum.train import initial_weights, run_schedule


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
    once per minibatch, eagerly, as in d2l. Returns ``(cumulative seconds, losses)`` at each
    evaluation, as d2l's.

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


def train_ch11_stateless(B, run, states, data_iter, feature_dim, num_epochs=2):
    """d2l's ``train_ch11`` for a framework whose arrays are immutable (JAX): ``run((params,
    states), X, y, (), batch_size)`` takes every minibatch step over ``X`` and returns the new
    ``(params, states)``. Returns ``(cumulative seconds, losses)``, as :func:`train_ch11`."""
    carry = (_init_params(B, data_iter, feature_dim), list(states))

    def step(Xs, ys):
        nonlocal carry
        carry = run(carry, Xs, ys, (), data_iter.batch_size)

    return _loop(B, step, lambda: carry[0], data_iter, num_epochs)


def train_concise_ch11(B, make_trainer, data_iter, num_epochs=4):
    """d2l's ``train_concise_ch11`` with ``make_trainer(params)`` building the framework's trainer.

    Returns nothing, as d2l's (a notebook shows no value after the cell)."""
    trainer = make_trainer(_init_params(B, data_iter, data_iter.X.shape[1]))
    _loop(B, lambda Xs, ys: trainer.train_steps(Xs, ys, data_iter.batch_size),
          lambda: trainer.params, data_iter, num_epochs)
