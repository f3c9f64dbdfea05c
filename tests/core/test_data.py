"""The airfoil loader: d2l's preprocessing, the packaged copy, the sha1 check, the lookup order."""
import hashlib
import socket

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum import data

RAW = data.packaged_path()


def test_shapes_and_standardisation_over_all_1503_rows():
    X, y = data.load_airfoil()
    assert X.shape == (1500, 5) and y.shape == (1500, 1) and X.dtype == np.float32
    raw = np.array([[float(v) for v in line.split("\t")] for line in RAW.read_text().splitlines()])
    assert raw.shape == (1503, 6)
    expected = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    # float32 statistics accumulated over 1503 rows, as d2l computes them: ~1e-5 from exact
    np.testing.assert_allclose(X, expected[:1500, :5], atol=5e-5)
    np.testing.assert_allclose(y[:, 0], expected[:1500, 5], atol=5e-5)


def test_bitwise_equal_to_d2ls_recipe():
    """d2l: genfromtxt(float32, tab), standardise with float32 mean/std of all rows, first 1500."""
    d = np.genfromtxt(RAW, dtype=np.float32, delimiter="\t")
    d = (d - d.mean(axis=0)) / d.std(axis=0)
    X, y = data.load_airfoil()
    np.testing.assert_array_equal(X, d[:1500, :-1])
    np.testing.assert_array_equal(y[:, 0], d[:1500, -1])


def test_the_packaged_copy_is_used_offline(monkeypatch):
    monkeypatch.delenv(data.DATA_ENV, raising=False)

    def no_network(*args, **kwargs):
        raise AssertionError("the data loader opened a socket")
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(data, "_parsed", {})
    assert data.find_airfoil() == RAW
    assert data.load_airfoil()[0].shape == (1500, 5)


def test_packaged_copy_has_its_attribution_beside_it():
    text = (RAW.parent / "README.md").read_text(encoding="utf-8")
    for needed in ("UCI Machine Learning Repository", "Airfoil Self-Noise", "CC BY 4.0", data.SHA1):
        assert needed in text


def test_modified_file_is_rejected_with_both_hashes(tmp_path):
    bad = tmp_path / data.FILENAME
    bad.write_bytes(RAW.read_bytes()[:-2] + b"9\n")
    with pytest.raises(dm.DataError) as e:
        data.load_airfoil(tmp_path)
    assert data.SHA1 in str(e.value) and hashlib.sha1(bad.read_bytes()).hexdigest() in str(e.value)


def test_explicit_path_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))  # an empty folder
    assert data.find_airfoil(RAW) == RAW
    assert data.find_airfoil(RAW.parent) == RAW.parent / data.FILENAME


def test_a_variable_naming_a_folder_without_the_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    with pytest.raises(dm.DataError) as e:
        data.find_airfoil()
    assert data.DATA_ENV in str(e.value) and str(tmp_path) in str(e.value)


def test_an_explicit_folder_without_the_file_is_an_error(tmp_path):
    with pytest.raises(dm.DataError, match=f"no airfoil data at {tmp_path / data.FILENAME}"):
        data.find_airfoil(tmp_path)


def test_the_variable_is_used_when_set(tmp_path, monkeypatch):
    (tmp_path / data.FILENAME).write_bytes(RAW.read_bytes())
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    assert data.find_airfoil() == tmp_path / data.FILENAME
