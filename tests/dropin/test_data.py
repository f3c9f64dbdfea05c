"""The drop-ins' data helpers: an offline ``download`` (the packaged airfoil file, files supplied
with ``--data-dir``, a one-line error otherwise), ``load_array`` and ``evaluate_loss`` against
NumPy, ``get_data_ch11`` seeded."""
import hashlib

import numpy as np
import pytest

from d2lmomentum import data as core
from d2lmomentum.dropin.data import NoNetworkError
from d2lmomentum.errors import D2LMomentumError


def _sha1(path):
    return hashlib.sha1(open(path, "rb").read()).hexdigest()


def test_download_airfoil_is_the_packaged_copy(d2l, monkeypatch):
    _, module = d2l
    monkeypatch.delenv("D2LMOMENTUM_DATA_DIR", raising=False)
    url, sha1 = module.DATA_HUB["airfoil"]
    assert url == module.DATA_URL + "airfoil_self_noise.dat"
    for asked in ("airfoil", url):
        path = module.download(asked)
        assert _sha1(path) == sha1 and path == str(core.packaged_path())


def test_download_takes_a_supplied_file_checked_against_its_sha1(d2l, monkeypatch, tmp_path):
    _, module = d2l
    (tmp_path / "notes.txt").write_bytes(b"momentum")
    monkeypatch.setenv("D2LMOMENTUM_DATA_DIR", str(tmp_path))
    url = module.DATA_URL + "notes.txt"
    monkeypatch.setitem(module.DATA_HUB, "notes", (url, hashlib.sha1(b"momentum").hexdigest()))
    assert module.download("notes") == str(tmp_path / "notes.txt")
    assert module.download("http://example.org/files/notes.txt") == str(tmp_path / "notes.txt")  # no sha1 to check
    monkeypatch.setitem(module.DATA_HUB, "notes", (url, hashlib.sha1(b"other").hexdigest()))
    with pytest.raises(D2LMomentumError, match=r"notes\.txt is not the file .* sha1"):
        module.download("notes")


@pytest.mark.parametrize("asked", ["fashion", "http://example.org/data/fashion-mnist.zip"])
def test_any_other_download_is_a_one_line_error_saying_how_to_supply_it(d2l, monkeypatch, asked):
    _, module = d2l
    monkeypatch.delenv("D2LMOMENTUM_DATA_DIR", raising=False)
    with pytest.raises(NoNetworkError) as info:
        module.download(asked)
    message = str(info.value)
    assert "\n" not in message and "no network" in message and "--data-dir DIR" in message
    assert f"d2l.download({asked!r})" in message


def _airfoil_arrays():
    X, y = core.load_airfoil()
    return X, y[:, 0]


def test_load_array_yields_every_row_once_per_pass(d2l):
    framework, module = d2l
    X, y = _airfoil_arrays()
    data_iter = module.load_array((X, y), 64, is_train=True)
    assert len(data_iter) == -(-len(X) // 64)
    for _ in range(2):
        batches = [(module.numpy(Xb), module.numpy(yb)) for Xb, yb in data_iter]
        assert [len(b[0]) for b in batches] == [64] * (len(X) // 64) + [len(X) % 64]
        got_X, got_y = np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])
        order = np.lexsort(got_X.T)
        np.testing.assert_array_equal(got_X[order], X[np.lexsort(X.T)])
        np.testing.assert_array_equal(got_y[order], y[np.lexsort(X.T)])
    if framework == "tensorflow":  # d2l's TensorFlow train_ch11 asks the dataset for its length
        import tensorflow as tf
        assert int(tf.data.experimental.cardinality(data_iter).numpy()) == len(data_iter)
    in_order = np.concatenate([module.numpy(Xb) for Xb, _ in module.load_array((X, y), 100, is_train=False)])
    np.testing.assert_array_equal(in_order, X)


def test_evaluate_loss_is_the_mean_half_squared_error(d2l):
    _, module = d2l
    X, y = _airfoil_arrays()
    w = (np.arange(5, dtype=np.float32) / 10 - 0.2).reshape(5, 1)
    b = np.float32(0.1)
    tw, tb = module.tensor(w), module.tensor([b])
    got = module.evaluate_loss(lambda Xb: module.linreg(Xb, tw, tb), module.load_array((X, y), 10, False),
                               module.squared_loss)
    expected = np.mean((X.astype(np.float64) @ w + b - y[:, None]) ** 2 / 2)
    assert abs(got - expected) <= 1e-6 * expected


def test_pytorch_evaluate_loss_reshapes_y_to_the_output():
    """d2l's PyTorch version does: with ``nn.MSELoss(reduction='none')`` an unreshaped ``(n,)`` target
    would broadcast against the ``(n, 1)`` output."""
    import torch
    from d2lmomentum import torch as d2l
    X, y = _airfoil_arrays()
    net = torch.nn.Linear(5, 1)
    with torch.no_grad():
        net.weight.copy_(torch.tensor([[0.1, -0.2, 0.3, 0.0, 0.2]]))
        net.bias.fill_(0.05)
    got = d2l.evaluate_loss(net, d2l.load_array((X, y), 10, False), torch.nn.MSELoss(reduction="none"))
    expected = np.mean((X.astype(np.float64) @ np.array([0.1, -0.2, 0.3, 0.0, 0.2]) + 0.05 - y) ** 2)
    assert abs(got - expected) <= 1e-5 * expected


def test_get_data_ch11_is_the_standardised_airfoil_data_in_a_seeded_order(d2l):
    _, module = d2l
    X, y = _airfoil_arrays()
    firsts = []
    for _ in range(2):
        data_iter, dim = module.get_data_ch11(batch_size=10, seed=7)
        assert dim == 5 and len(data_iter) == 150
        Xb, yb = next(iter(data_iter))
        firsts.append(module.numpy(Xb))
        rows = np.random.default_rng(7).permutation(len(X))[:10]
        np.testing.assert_array_equal(module.numpy(Xb), X[rows])
        np.testing.assert_array_equal(module.numpy(yb), y[rows])
    np.testing.assert_array_equal(firsts[0], firsts[1])
