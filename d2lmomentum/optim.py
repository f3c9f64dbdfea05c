"""Momentum from scratch, written once against the backend ops of :mod:`d2lmomentum.ops`.

Update rule (the chapter's, PyTorch's convention), for each parameter ``p`` with
momentum state ``v`` and gradient ``g``, all of one shape:

.. math::
    v \\leftarrow \\beta v + g, \\qquad p \\leftarrow p - \\eta v

and with ``nesterov=True`` :math:`p \\leftarrow p - \\eta (g + \\beta v)` after the same
``v`` update. Unrolled from :math:`v_0 = 0`, :math:`v_t = \\sum_{\\tau=0}^{t-1} \\beta^\\tau g_{t-\\tau}`.
"""
import numpy as np

from d2lmomentum import validate
from d2lmomentum.backends import load, backend_of
from d2lmomentum.errors import InvalidArgumentError, InvalidTypeError


def init_momentum_states(feature_dim, backend=None, dtype="float32"):
    """Zero momentum states ``(v_w, v_b)`` of shapes ``(feature_dim, 1)`` and ``(1,)``,
    as the backend's mutable tensors (``tf.Variable`` on TensorFlow)."""
    feature_dim = validate.positive_int("feature_dim", feature_dim)
    dt = validate.dtype(dtype)
    B = load(backend)
    return (B.state(np.zeros((feature_dim, 1), dt)), B.state(np.zeros(1, dt)))


def _hyper(hyperparams, nesterov):
    if not isinstance(hyperparams, dict):
        raise InvalidTypeError(
            f"hyperparams must be a dict like {{'lr': 0.01, 'momentum': 0.9}}, got {type(hyperparams).__name__}")
    missing = [k for k in ("lr", "momentum") if k not in hyperparams]
    if missing:
        raise InvalidArgumentError(
            f"hyperparams is missing {', '.join(map(repr, missing))}; "
            f"pass e.g. {{'lr': 0.01, 'momentum': 0.9}}")
    lr = validate.learning_rate(hyperparams["lr"])
    beta = validate.momentum(hyperparams["momentum"])
    if nesterov is None:
        nesterov = hyperparams.get("nesterov", False)
    return lr, beta, validate.nesterov(nesterov, beta)


def _check_pairs(B, params, states, grads):
    if len(params) != len(states):
        raise InvalidArgumentError(
            f"got {len(params)} parameters but {len(states)} momentum states; "
            f"create the states with init_momentum_states(feature_dim)")
    if len(params) != len(grads):
        raise InvalidArgumentError(f"got {len(params)} parameters but {len(grads)} gradients")
    for i, (p, v, g) in enumerate(zip(params, states, grads)):
        for what, t in (("parameter", p), ("state", v)):
            if not B.is_tensor(t):
                raise InvalidTypeError(
                    f"{what} {i} is a {type(t).__name__}, not a mutable {B.name} tensor; "
                    f"it cannot be updated in place")
        if B.shape(p) != B.shape(v) or B.dtype_name(p) != B.dtype_name(v):
            raise InvalidArgumentError(
                f"state {i} has shape {B.shape(v)} and dtype {B.dtype_name(v)} but parameter {i} has "
                f"shape {B.shape(p)} and dtype {B.dtype_name(p)}; they must match "
                f"(init_momentum_states(feature_dim, dtype=...) makes matching states)")
        if tuple(int(s) for s in g.shape) != B.shape(p):
            raise InvalidArgumentError(
                f"gradient {i} has shape {tuple(g.shape)} but parameter {i} has shape {B.shape(p)}")


def sgd_momentum(params, states, hyperparams, grads=None, backend=None, nesterov=None):
    """One momentum step, in place, on every ``p`` in ``params`` with its state in ``states``.

    ``hyperparams``: ``{'lr': eta > 0, 'momentum': beta in [0, 1)}`` and optionally
    ``'nesterov': bool``. ``grads`` defaults to where the framework keeps each parameter's
    gradient (``p.grad`` on PyTorch and MXNet); TensorFlow needs them passed. ``backend``
    defaults to the framework of ``params[0]``. Unlike the chapter's PyTorch cell, this does
    not zero ``p.grad`` (as ``torch.optim`` optimizers do not).
    """
    lr, beta, nesterov = _hyper(hyperparams, nesterov)
    params, states = list(params), list(states)
    if not params:
        raise InvalidArgumentError("params is empty: pass the list of parameters to update, e.g. [w, b]")
    B = load(backend if backend is not None else backend_of(params[0]))
    if grads is None:
        grads = [B.grad_of(p) for p in params]
    grads = list(grads)
    _check_pairs(B, params, states, grads)
    B.momentum_update_all(params, states, grads, lr, beta, nesterov)
