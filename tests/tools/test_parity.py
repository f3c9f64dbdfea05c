"""The frameworks' own optimizers equal the from-scratch rule, and every backend equals the
NumPy oracle. Tolerances (``parity.TOLERANCE``, not to be widened): 1e-5 relative in float32,
1e-10 in float64."""
import json

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum.tools import parity
from d2lmomentum.backends import FRAMEWORKS

from _helpers import rel_err

# beta 0, an inexact float32 factor for MXNet's kernel (0.1), Nesterov
SLICE = [c for c in parity.CONFIGS if c.name in ("sgd-lr0.05", "mom0.1-lr0.05", "nesterov0.5-lr0.02")]


@pytest.mark.mxnet
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_parity_slice_every_backend_both_paths(dtype):
    report = parity.run_parity(configs=SLICE, dtype=dtype)
    assert set(report["worst"]) == {f"{b}/{p}" for b in FRAMEWORKS for p in parity.PATHS}
    for key, err in report["worst"].items():
        assert err <= parity.TOLERANCE[dtype], (key, err)


def test_mxnet_concise_float64_differs_from_exact_only_by_its_float32_hyperparameters():
    c = parity.Config("mom0.9-lr0.02", 0.02, 0.9)
    r = dm.train_concise(c.lr, c.momentum, backend="mxnet", seed=0, dtype="float64")
    exact = dm.train_momentum(c.lr, c.momentum, backend="numpy", seed=0, dtype="float64")
    lr, momentum = parity.concise_model("mxnet", c, "float64")
    assert (lr, momentum) == (float(np.float32(0.02)) * float(np.float32(0.1)) * 10, float(np.float32(0.9)))
    modelled = dm.train_momentum(lr, momentum, backend="numpy", seed=0, dtype="float64")
    assert parity.run_error(r, modelled) < parity.TOLERANCE["float64"]
    assert parity.run_error(r, exact) > 1e-9  # the float32 rounding is real and visible


@pytest.mark.parametrize("name,dtype", [("pytorch", "float64"), ("tensorflow", "float64"), ("mxnet", "float32")])
def test_no_model_where_the_optimizer_keeps_the_weights_precision(name, dtype):
    assert parity.concise_model(name, parity.CONFIGS[0], dtype) is None


def test_plain_mse_reproduces_d2ls_doubled_gradient():
    """d2l's concise runs train on plain MSE: the same as half squared error with twice the lr."""
    a = dm.train_concise(0.005, 0.9, backend="pytorch", seed=0, plain_mse=True)
    b = dm.train_momentum(0.01, 0.9, backend="numpy", seed=0)
    assert rel_err(a.losses, b.losses) < 1e-5


def test_nesterov_differs_from_heavy_ball():
    a = dm.train_momentum(0.02, 0.5, backend="numpy", seed=0, nesterov=True)
    b = dm.train_momentum(0.02, 0.5, backend="numpy", seed=0)
    assert rel_err(a.losses, b.losses) > 1e-4


def test_cli_parity_json_matches_table(capsys):
    from d2lmomentum.cli import main
    assert main(["parity", "--backend", "torch", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["tolerance"] == 1e-5
    assert len(report["rows"]) == len(parity.CONFIGS)
    assert max(report["worst"].values()) < 1e-5
    assert {r["config"]["momentum"] for r in report["rows"]} == {0.0, 0.01, 0.1, 0.5, 0.9}
    assert {r["config"]["nesterov"] for r in report["rows"]} == {False, True}
    assert {r["config"]["lr"] for r in report["rows"]} >= {0.005, 0.02, 0.05}
    assert np.all([r["config"]["num_epochs"] >= 2 for r in report["rows"]])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_jax_parity_every_configuration_both_paths(dtype):
    """JAX (not marked mxnet: the numpy-2 stack runs it too) against the oracle over the whole
    table, from scratch and with optax, at the other frameworks' tolerance."""
    import jax
    report = parity.run_parity(backends=("jax",), dtype=dtype)
    assert set(report["worst"]) == {"jax/scratch", "jax/concise"}
    assert all(err <= parity.TOLERANCE[dtype] for err in report["worst"].values()), report["worst"]
    assert not report["rows"][0]["vs_exact_hyperparameters"]  # optax keeps the weights' precision
    assert not jax.config.jax_enable_x64  # float64 was enabled for each run only
