"""The airfoil loader: d2l's preprocessing, the sha1 check, the lookup order and downloads."""
import hashlib
import os

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum import data
from _helpers import SHARED

RAW = SHARED / "data" / "airfoil_self_noise.dat"


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


def test_shared_file_has_the_published_sha1():
    assert hashlib.sha1(RAW.read_bytes()).hexdigest() == data.SHA1


def test_modified_file_is_rejected_with_both_hashes(tmp_path):
    bad = tmp_path / data.FILENAME
    content = RAW.read_bytes()
    bad.write_bytes(content[:-2] + b"9\n")
    with pytest.raises(dm.DataError) as e:
        data.load_airfoil(tmp_path)
    assert data.SHA1 in str(e.value) and hashlib.sha1(bad.read_bytes()).hexdigest() in str(e.value)


def test_explicit_path_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))  # empty folder
    assert data.find_airfoil(RAW) == RAW
    with pytest.raises(dm.DataError, match=data.DATA_ENV):
        data.find_airfoil()


def test_cache_is_used_and_download_is_verified_then_renamed(tmp_path, monkeypatch):
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setenv(data.CACHE_ENV, str(tmp_path / "cache"))
    url = RAW.as_uri()  # a real fetch through urllib, from a file: URL
    got = data.download(urls=("file:///nonexistent/airfoil", url))
    assert got == tmp_path / "cache" / data.FILENAME and data.sha1_of(got) == data.SHA1
    assert os.listdir(tmp_path / "cache") == [data.FILENAME]
    assert data.find_airfoil() == got


def test_failed_or_corrupt_download_leaves_nothing(tmp_path, monkeypatch):
    corrupt = tmp_path / "corrupt.dat"
    corrupt.write_bytes(RAW.read_bytes()[:1000])
    dest = tmp_path / "cache"
    with pytest.raises(dm.DataError, match="could not download") as e:
        data.download(dest, urls=(corrupt.as_uri(), "file:///nonexistent/x"))
    assert "sha1" in str(e.value) and data.DATA_ENV in str(e.value)
    assert os.listdir(dest) == []


def test_offline_without_file_says_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setenv(data.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(data, "URLS", ("http://127.0.0.1:9/airfoil_self_noise.dat",))
    with pytest.raises(dm.DataError) as e:
        data.download(urls=data.URLS, timeout=2)
    assert str(tmp_path) in str(e.value) and data.DATA_ENV in str(e.value)


def test_unwritable_cache_gets_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(dm.DataError, match="cannot write to the cache folder"):
        data.download(blocker / "sub", urls=(RAW.as_uri(),))
