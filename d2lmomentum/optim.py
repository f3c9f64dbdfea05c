"""Momentum from scratch: the chapter's ``init_momentum_states`` and ``sgd_momentum`` for any backend.

The update rule, and how each framework's own optimizer states it, is in
:mod:`d2lmomentum.rule`; here are the checks and the call into the backend's
``momentum_update_all``. Both return what they make or update: in place where the framework
mutates (the same objects come back), new arrays on JAX, whose arrays are immutable.
"""
import numbers

import numpy as np

from d2lmomentum import validate
from d2lmomentum.backends import load, backend_of, canonical_name
from d2lmomentum.errors import BackendError, InvalidArgumentError, InvalidTypeError

HYPERPARAMS = ("lr", "momentum", "nesterov")


def init_momentum_states(params, backend=None, dtype=None):
    """Zero momentum states, one per parameter, as the framework's mutable tensors
    (``tf.Variable`` on TensorFlow; JAX arrays on JAX).

    ``params`` is either the chapter's ``feature_dim`` (an int ``d``): states ``(v_w, v_b)``
    of shapes ``(d, 1)`` and ``(1,)`` on ``backend`` in ``dtype`` (default float32); or a
    sequence (list, tuple, generator such as ``model.parameters()``) of one framework's
    tensors: a tuple of zeros like each (shape, dtype, device), for :func:`sgd_momentum` on
    any model. On JAX ``params`` may be any pytree (a dict, a list, nested): the states are
    zeros of the same structure. The framework is that of the tensors (``backend``, if given,
    must agree).
    """
    if isinstance(params, numbers.Integral):
        feature_dim = validate.positive_int("feature_dim", params)
        dt = validate.dtype("float32" if dtype is None else dtype)
        B = load(backend)
        with B.precision(dt):
            return (B.state(np.zeros((feature_dim, 1), dt)), B.state(np.zeros(1, dt)))
    if dtype is not None:
        raise InvalidArgumentError(
            "dtype= applies to init_momentum_states(feature_dim) only; states for tensors take "
            "each tensor's own dtype (drop dtype=)")
    B, tensors, rebuild = _tensors(params, backend)
    states = [B.zeros_like(t) for t in tensors]
    return tuple(states) if rebuild is None else rebuild(states)


def _first_leaf(tree):
    """The first value of a nest of dicts, lists and tuples (``tree`` itself if it is none)."""
    while isinstance(tree, (dict, list, tuple)) and tree:
        tree = next(iter(tree.values())) if isinstance(tree, dict) else tree[0]
    return tree


def _tensors(params, backend):
    """``(B, tensors, rebuild)``: the backend of ``params``, its tensors as a list and, for a
    framework whose arrays are immutable (JAX), the function that puts a list of the same length
    back into ``params``'s structure (else ``None``); or a clear error."""
    if isinstance(params, (dict, list, tuple)):
        B = _immutable_backend(_first_leaf(params))
        if B is not None:
            return _tree(B, params, backend)
    if isinstance(params, (str, bytes)) or hasattr(params, "shape") or not hasattr(params, "__iter__"):
        raise InvalidTypeError(
            f"params must be feature_dim (an int) or a sequence of tensors (e.g. [w, b] or "
            f"model.parameters()), got {type(params).__name__}; for one tensor w pass [w]")
    tensors = list(params)
    if not tensors:
        raise InvalidArgumentError("params is empty: pass the tensors to make momentum states for, e.g. [w, b]")
    names = []
    for i, t in enumerate(tensors):
        try:
            names.append(backend_of(t))
        except BackendError:
            raise InvalidTypeError(
                f"params[{i}] is a {type(t).__name__}, not a framework's tensor; pass the model's "
                f"parameters (torch tensors, tf.Variables, mxnet arrays)") from None
        if names[i] != names[0]:
            raise InvalidArgumentError(
                f"params mix frameworks: params[0] is a {names[0]} tensor, params[{i}] a {names[i]} one; "
                f"make the states of one framework's parameters at a time")
    if backend is not None and canonical_name(backend) != names[0]:
        raise InvalidArgumentError(
            f"backend={backend!r} but params are {names[0]} tensors; drop backend= or pass {names[0]}")
    B = load(names[0])
    for i, t in enumerate(tensors):
        if not B.is_tensor(t):
            raise InvalidTypeError(
                f"params[{i}] is a {type(t).__name__}, not a mutable {B.name} tensor{B.tensor_hint}")
    return B, tensors, None


def _immutable_backend(leaf):
    """The adapter of ``leaf``'s framework if its arrays are immutable (JAX), else ``None``."""
    try:
        B = load(backend_of(leaf))
    except BackendError:
        return None
    return None if B.in_place else B


def _tree(B, params, backend):
    """A pytree of an immutable-array framework's tensors: ``(B, leaves, rebuild)``."""
    if backend is not None and canonical_name(backend) != B.name:
        raise InvalidArgumentError(
            f"backend={backend!r} but params are {B.name} arrays; drop backend= or pass {B.name}")
    leaves, rebuild = B.flatten(params)
    for i, t in enumerate(leaves):
        if not B.is_tensor(t):
            raise InvalidTypeError(
                f"leaf {i} of params is a {type(t).__name__}, not a {B.name} array{B.tensor_hint}")
    return B, leaves, rebuild


def _hyper(hyperparams):
    if not isinstance(hyperparams, dict):
        raise InvalidTypeError(
            f"hyperparams must be a dict like {{'lr': 0.01, 'momentum': 0.9}}, got {type(hyperparams).__name__}")
    missing = [k for k in HYPERPARAMS[:2] if k not in hyperparams]
    if missing:
        raise InvalidArgumentError(
            f"hyperparams is missing {', '.join(map(repr, missing))}; "
            f"pass e.g. {{'lr': 0.01, 'momentum': 0.9}}")
    unknown = [k for k in hyperparams if k not in HYPERPARAMS]
    if unknown:
        raise InvalidArgumentError(
            f"unknown hyperparameter {', '.join(map(repr, unknown))}; sgd_momentum takes "
            f"{', '.join(map(repr, HYPERPARAMS))}")
    lr = validate.learning_rate(hyperparams["lr"])
    beta = validate.momentum(hyperparams["momentum"])
    return lr, beta, validate.nesterov(hyperparams.get("nesterov", False), beta)


def _check_pairs(B, params, states, grads):
    if len(params) != len(states):
        raise InvalidArgumentError(
            f"got {len(params)} parameters but {len(states)} momentum states; "
            f"create the states with init_momentum_states(params)")
    if len(params) != len(grads):
        raise InvalidArgumentError(f"got {len(params)} parameters but {len(grads)} gradients")
    for i, (p, v, g) in enumerate(zip(params, states, grads)):
        for what, t in (("parameter", p), ("state", v)):
            if not B.is_tensor(t):
                raise InvalidTypeError(
                    f"{what} {i} is a {type(t).__name__}, not a mutable {B.name} tensor; "
                    f"it cannot be updated in place{B.tensor_hint}")
        if B.shape(p) != B.shape(v) or B.dtype_name(p) != B.dtype_name(v):
            raise InvalidArgumentError(
                f"state {i} has shape {B.shape(v)} and dtype {B.dtype_name(v)} but parameter {i} has "
                f"shape {B.shape(p)} and dtype {B.dtype_name(p)}; they must match "
                f"(init_momentum_states(params) makes matching states)")
        if tuple(int(s) for s in g.shape) != B.shape(p):
            raise InvalidArgumentError(
                f"gradient {i} has shape {tuple(g.shape)} but parameter {i} has shape {B.shape(p)}")
        if B.dtype_name(g) != B.dtype_name(p):
            raise InvalidArgumentError(
                f"gradient {i} has dtype {B.dtype_name(g)} but parameter {i} has dtype {B.dtype_name(p)}; "
                f"compute the gradient in the parameter's dtype")


def sgd_momentum(params, states, hyperparams, grads=None, backend=None):
    """One momentum step (:mod:`d2lmomentum.rule`) on every ``p`` in ``params`` with its state
    in ``states``; returns ``(params, states)``.

    ``hyperparams``: ``{'lr': eta > 0, 'momentum': beta in [0, 1)}`` and optionally
    ``'nesterov': bool``. ``grads`` defaults to where the framework keeps each parameter's
    gradient (``p.grad`` on PyTorch and MXNet, after ``backward()``); TensorFlow and JAX need
    them passed (``tape.gradient``, ``jax.grad``), each of the parameter's shape and dtype.
    ``params`` may be any model's parameters (e.g. ``list(model.parameters())``), with states
    from ``init_momentum_states(params)``. ``backend`` defaults to the framework of ``params[0]``.

    Where the framework mutates, the tensors are updated in place and the same ones come back
    (as lists). On JAX, whose arrays are immutable, ``params``, ``states`` and ``grads`` are
    pytrees of one structure (a dict, a list, nested) and new ones of that structure come back:
    ``params, states = sgd_momentum(params, states, hp, grads=grads)``.
    Unlike the chapter's PyTorch cell, this does not zero ``p.grad`` (as ``torch.optim``
    optimizers do not).
    """
    lr, beta, nesterov = _hyper(hyperparams)
    rebuild = None
    B = _immutable_backend(_first_leaf(params)) if isinstance(params, (dict, list, tuple)) else None
    if B is not None:
        if grads is None:
            B.grad_of(None)  # says to pass grads=
        B, params, rebuild = _tree(B, params, backend)
        states, grads = (B.flatten(t)[0] for t in (states, grads))
    params, states = list(params), list(states)
    if not params:
        raise InvalidArgumentError("params is empty: pass the list of parameters to update, e.g. [w, b]")
    if B is None:
        B = load(backend if backend is not None else backend_of(params[0]))
    if grads is None:
        grads = [B.grad_of(p) for p in params]
    grads = list(grads)
    _check_pairs(B, params, states, grads)
    params, states = B.momentum_update_all(params, states, grads, lr, beta, nesterov)
    return (params, states) if rebuild is None else (rebuild(params), rebuild(states))
