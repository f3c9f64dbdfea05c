"""Bad input to the library: a clear message that names the parameter and its range, as a
subclass of both ``D2LMomentumError`` and the standard ``ValueError``/``TypeError`` (the command
line's errors are in ``tests/cli/test_cli.py``)."""
import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum.backends import load

API_CASES = [
    ("lr zero", lambda: dm.train_momentum(0, 0.5, backend="numpy"), dm.InvalidArgumentError, r"lr must be > 0, got 0"),
    ("lr nan", lambda: dm.train_momentum(float("nan"), 0.5, backend="numpy"), dm.InvalidArgumentError,
     "lr must be finite"),
    ("lr string", lambda: dm.train_momentum("0.1", 0.5, backend="numpy"), dm.InvalidTypeError,
     "lr must be a real number, got str"),
    ("momentum 1", lambda: dm.train_momentum(0.01, 1.0, backend="numpy"), dm.InvalidArgumentError,
     r"momentum must be in \[0, 1\), got 1.0"),
    ("momentum negative", lambda: dm.train_momentum(0.01, -0.1, backend="numpy"), dm.InvalidArgumentError,
     r"momentum must be in \[0, 1\)"),
    ("momentum inf", lambda: dm.train_momentum(0.01, float("inf"), backend="numpy"), dm.InvalidArgumentError,
     "momentum must be finite"),
    ("epochs float", lambda: dm.train_momentum(0.01, 0.5, 2.5, backend="numpy"), dm.InvalidTypeError,
     "num_epochs must be a positive integer, got float"),
    ("epochs zero", lambda: dm.train_momentum(0.01, 0.5, 0, backend="numpy"), dm.InvalidArgumentError,
     "num_epochs must be a positive integer"),
    ("batch too large", lambda: dm.train_momentum(0.01, 0.5, backend="numpy", batch_size=1501),
     dm.InvalidArgumentError, r"batch_size must be <= 1500 \(the number of examples\), got 1501"),
    ("batch bool", lambda: dm.train_momentum(0.01, 0.5, backend="numpy", batch_size=True), dm.InvalidTypeError,
     "batch_size must be a positive integer"),
    ("nesterov without momentum", lambda: dm.train_momentum(0.01, 0.0, backend="numpy", nesterov=True),
     dm.InvalidArgumentError, "nesterov=True needs momentum > 0"),
    ("dtype", lambda: dm.train_momentum(0.01, 0.5, backend="numpy", dtype="float16"), dm.InvalidArgumentError,
     "dtype must be 'float32' or 'float64'"),
    ("seed", lambda: dm.train_momentum(0.01, 0.5, backend="numpy", seed=-1), dm.InvalidArgumentError,
     "seed must be a non-negative integer"),
    ("feature_dim", lambda: dm.init_momentum_states(0, backend="numpy"), dm.InvalidArgumentError,
     "feature_dim must be a positive integer"),
    ("unknown backend", lambda: dm.train_momentum(0.01, 0.5, backend="paddle"), dm.BackendError,
     "unknown backend 'paddle'; valid names: numpy, pytorch, tensorflow, mxnet, jax"),
    ("hyperparams missing", lambda: dm.sgd_momentum([np.ones(2)], [np.zeros(2)], {"lr": 0.1},
                                                    grads=[np.ones(2)]),
     dm.InvalidArgumentError, "hyperparams is missing 'momentum'"),
    ("hyperparams not a dict", lambda: dm.sgd_momentum([np.ones(2)], [np.zeros(2)], [0.1, 0.9], grads=[np.ones(2)]),
     dm.InvalidTypeError, "hyperparams must be a dict"),
    ("states count", lambda: dm.sgd_momentum([np.ones(2), np.ones(1)], [np.zeros(2)], {"lr": 0.1, "momentum": 0.5},
                                             grads=[np.ones(2), np.ones(1)]),
     dm.InvalidArgumentError, "got 2 parameters but 1 momentum states"),
    ("gradient shape", lambda: dm.sgd_momentum([np.ones(2)], [np.zeros(2)], {"lr": 0.1, "momentum": 0.5},
                                               grads=[np.ones(3)]),
     dm.InvalidArgumentError, r"gradient 0 has shape \(3,\) but parameter 0 has shape \(2,\)"),
    ("state not a tensor", lambda: dm.sgd_momentum([np.ones(2)], [[0.0, 0.0]], {"lr": 0.1, "momentum": 0.5},
                                                   grads=[np.ones(2)]),
     dm.InvalidTypeError, "state 0 is a list, not a mutable numpy tensor"),
    ("data y length", lambda: dm.train_momentum(0.01, 0.5, backend="numpy", data=(np.ones((20, 3)), np.ones(19))),
     dm.InvalidArgumentError, r"y must have one value per row of X \(20\), got shape \(19,\)"),
    ("data X 1-D", lambda: dm.train_momentum(0.01, 0.5, backend="numpy", data=(np.ones(20), np.ones(20))),
     dm.InvalidArgumentError, r"X must have shape \(n, d\)"),
    ("data NaN", lambda: dm.train_momentum(0.01, 0.5, backend="numpy", data=(np.full((20, 2), np.nan), np.ones(20))),
     dm.InvalidArgumentError, "must be finite"),
    ("data path missing", lambda: dm.train_momentum(0.01, 0.5, backend="numpy", data="/no/such/file.dat"),
     dm.DataError, "no airfoil data at /no/such/file.dat"),
    ("divergence", lambda: dm.train_momentum(5.0, 0.9, backend="numpy", seed=0), dm.DivergenceError,
     r"diverged .* lr=5.0, momentum=0.9.* lr < \(2 \+ 2\*momentum\)/lambda_max = 1\.8"),
]


@pytest.mark.parametrize("name,call,error,message", API_CASES, ids=[c[0] for c in API_CASES])
def test_api_bad_input(name, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_bad_input_errors_are_also_standard_exceptions():
    with pytest.raises(ValueError):
        dm.train_momentum(-1, 0.5, backend="numpy")
    with pytest.raises(TypeError):
        dm.train_momentum("x", 0.5, backend="numpy")


def test_state_dtype_mismatch_on_a_framework():
    B = load("pytorch")
    w = B.parameter(np.ones(3, np.float32))
    with pytest.raises(dm.InvalidArgumentError, match="state 0 has shape .* dtype float64"):
        dm.sgd_momentum([w], [B.state(np.zeros(3))], {"lr": 0.1, "momentum": 0.5},
                        grads=[B.constant(np.ones(3, np.float32))])


def test_teaching_functions_may_still_diverge_on_purpose():
    from d2lmomentum import theory
    end = theory.train_2d(lambda *a: theory.gd_2d(*a, eta=0.6))[-1]
    # the chapter's eta = 0.6 trace: x2 <- (1 - 0.6 * 4) x2 from x2 = -2, 20 steps, no error raised
    assert end[1] == pytest.approx(-2 * (1 - 0.6 * 4) ** 20) and abs(end[1]) > 1000
