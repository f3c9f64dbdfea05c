"""``train_momentum``: d2l's train_ch11 schedule, every framework equal to the NumPy oracle."""
import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum.configs import TOLERANCE
from d2lmomentum.tools.parity import run_error
from d2lmomentum.train import epoch_segments

from _helpers import FRAMEWORKS, rel_err


@pytest.fixture(scope="module")
def oracle():
    return dm.train_momentum(0.02, 0.5, backend="numpy", seed=0)


def test_schedule_records_15_points_every_200_examples(oracle):
    assert len(oracle.losses) == 15
    np.testing.assert_allclose(oracle.epochs, np.arange(1, 16) * 200 / 1500)
    assert oracle.w.shape == (5, 1) and oracle.b.shape == (1,)
    assert 0.22 < oracle.losses[-1] < 0.30
    assert oracle.losses[-1] < oracle.initial_loss


def test_segments_cross_epochs_like_d2l():
    first, seen = epoch_segments(1500, 10, 0)
    assert [s for s in first if s[2]] == [(i * 200, i * 200 + 200, True) for i in range(7)]
    assert first[-1] == (1400, 1500, False) and seen == 1500
    second, _ = epoch_segments(1500, 10, seen)
    assert second[0] == (0, 100, True)
    # a batch size that does not divide 200: evaluations only where the count is a multiple
    odd, _ = epoch_segments(1500, 7, 0)
    assert all((stop % 7 == 0 or stop == 1500) for _, stop, _ in odd)


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_framework_losses_equal_the_oracle(name, oracle):
    r = dm.train_momentum(0.02, 0.5, backend=name, seed=0)
    assert r.backend == name and len(r.losses) == 15
    # every loss point relative to itself, the weights relative to their scale (an element
    # near 0 has no relative accuracy): float32 roundings over 300 steps, see parity.TOLERANCE
    assert run_error(r, oracle) <= TOLERANCE["float32"]


def test_numpy_oracle_matches_an_independent_full_loop(airfoil):
    """The oracle against a plain loop written here from the chapter's formulas."""
    X, y = (a.astype(np.float64) for a in airfoil)
    rng = np.random.default_rng(3)
    w = rng.normal(0, 0.01, (5, 1)).astype(np.float64)
    b = np.zeros(1)
    orders = [rng.permutation(1500) for _ in range(2)]
    vw, vb, losses, seen = np.zeros_like(w), np.zeros(1), [], 0
    for order in orders:
        for s in range(0, 1500, 10):
            idx = order[s:s + 10]
            r = X[idx] @ w + b - y[idx]
            vw = 0.9 * vw + X[idx].T @ r / len(idx)
            vb = 0.9 * vb + r.mean(axis=0)
            w, b = w - 0.01 * vw, b - 0.01 * vb
            seen += len(idx)
            if seen % 200 == 0:
                losses.append(float(np.mean((X @ w + b - y) ** 2 / 2)))
    r = dm.train_momentum(0.01, 0.9, backend="numpy", seed=3, dtype="float64")
    assert rel_err(r.losses, losses) < 1e-12  # float64, the same sums in another order: ~1e-15


def test_seeded_runs_repeat_bitwise(backend):
    a = dm.train_momentum(0.01, 0.9, backend=backend, seed=7)
    b = dm.train_momentum(0.01, 0.9, backend=backend, seed=7)
    assert a.losses == b.losses
    np.testing.assert_array_equal(a.w, b.w)


def test_default_backend_is_pytorch(monkeypatch):
    from d2lmomentum import backends
    monkeypatch.setattr(backends, "_current", None)
    monkeypatch.delenv("D2LMOMENTUM_BACKEND", raising=False)
    assert dm.train_momentum(0.02, 0.5, seed=0).backend == "pytorch"


def test_plot_draws_the_d2l_curve(oracle):
    ax = oracle.plot()
    assert ax.get_ylim() == (0.22, 0.35) and ax.get_xlabel() == "epoch"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), oracle.losses)


def test_progress_bar_only_when_asked(capsys):
    dm.train_momentum(0.02, 0.5, backend="numpy", seed=0)
    assert capsys.readouterr().err == ""
    dm.train_momentum(0.02, 0.5, backend="numpy", seed=0, progress=True)
    assert "train (numpy)" in capsys.readouterr().err


def test_jax_float64_run_is_float64_and_leaves_the_users_setting():
    import jax
    import jax.numpy as jnp
    r = dm.train_momentum(0.02, 0.5, backend="jax", seed=0, dtype="float64")
    oracle = dm.train_momentum(0.02, 0.5, backend="numpy", seed=0, dtype="float64")
    assert r.w.dtype == np.float64 and rel_err(r.losses, oracle.losses) < 1e-12
    assert not jax.config.jax_enable_x64 and jnp.zeros(1).dtype == jnp.float32
