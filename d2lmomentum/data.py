"""The airfoil self-noise data, as d2l's ``get_data_ch11`` uses it.

The file is tab-separated with 1503 rows of 5 features and 1 label. It is read as
float32, standardised column-wise with the mean and std of all 1503 rows, and the first
1500 rows are kept: ``X`` ``(1500, 5)``, ``y`` ``(1500, 1)``.

Lookup order: an explicit ``path`` (file or folder); the folder in ``$D2LMOMENTUM_DATA_DIR``;
the user cache (``$D2LMOMENTUM_CACHE_DIR``, else ``$XDG_CACHE_HOME/d2lmomentum``, else
``~/.cache/d2lmomentum``); else a download into that cache. Every file is checked against
its sha1; a download goes to a temporary file that is renamed only once verified.
"""
import hashlib
import os
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

from d2lmomentum.errors import DataError

FILENAME = "airfoil_self_noise.dat"
SHA1 = "76e5be1548fd8222e5074cf0faae75edff8cf93f"
URLS = (
    "http://d2l-data.s3-accelerate.amazonaws.com/airfoil_self_noise.dat",
    "https://archive.ics.uci.edu/ml/machine-learning-databases/00291/airfoil_self_noise.dat",
)
DATA_ENV = "D2LMOMENTUM_DATA_DIR"
CACHE_ENV = "D2LMOMENTUM_CACHE_DIR"
NUM_EXAMPLES = 1500

_parsed = {}


def cache_dir():
    """The folder downloads go to."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "d2lmomentum"


def sha1_of(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(path):
    """Return ``path`` if its sha1 is the airfoil file's, else raise :class:`DataError`."""
    found = sha1_of(path)
    if found != SHA1:
        raise DataError(
            f"{path} is not the airfoil data: sha1 {found}, expected {SHA1}; "
            f"delete it and put the original {FILENAME} there (or set {DATA_ENV} to a folder holding it)")
    return path


def _candidate(path):
    path = Path(path).expanduser()
    return path / FILENAME if path.is_dir() else path


def download(dest_dir=None, urls=URLS, timeout=30):
    """Fetch the file into ``dest_dir`` (default :func:`cache_dir`), verified, atomically."""
    dest_dir = Path(dest_dir) if dest_dir is not None else cache_dir()
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{FILENAME}.", suffix=".part", dir=dest_dir)
        os.close(fd)
    except OSError as e:
        raise DataError(
            f"cannot write to the cache folder {dest_dir} ({e.strerror or e}); set {CACHE_ENV} to a "
            f"writable folder, or set {DATA_ENV} to a folder that holds {FILENAME}") from None
    errors = []
    try:
        for url in urls:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as out:
                    for chunk in iter(lambda: response.read(1 << 16), b""):
                        out.write(chunk)
                verify(tmp)
            except (OSError, DataError) as e:
                errors.append(f"{url}: {e}")
                continue
            final = dest_dir / FILENAME
            os.replace(tmp, final)
            return final
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    raise DataError(
        f"could not download {FILENAME} ({'; '.join(errors)}); with no network, put the file "
        f"(sha1 {SHA1}) in {dest_dir} or in a folder named by {DATA_ENV}")


def find_airfoil(path=None, download_missing=True):
    """The verified path of the airfoil file, following the lookup order above."""
    if path is not None:
        candidate = _candidate(path)
        if not candidate.is_file():
            raise DataError(f"no airfoil data at {candidate}: pass the path of {FILENAME} or of its folder")
        return verify(candidate)
    if os.environ.get(DATA_ENV):
        candidate = _candidate(os.environ[DATA_ENV])
        if not candidate.is_file():
            raise DataError(f"{DATA_ENV} is set but {candidate} does not exist; put {FILENAME} there "
                            f"or unset {DATA_ENV}")
        return verify(candidate)
    cached = cache_dir() / FILENAME
    if cached.is_file():
        return verify(cached)
    if not download_missing:
        raise DataError(f"{FILENAME} not found; put it in {cache_dir()} or set {DATA_ENV}")
    return download()


def load_airfoil(path=None, n=NUM_EXAMPLES, dtype="float32"):
    """Standardised ``(X, y)`` as NumPy arrays of shapes ``(n, 5)`` and ``(n, 1)``.

    Standardisation happens in float32 as in d2l; ``dtype='float64'`` then widens the
    result. The arrays are cached per file and returned as read-only views.
    """
    file = find_airfoil(path)
    key = (str(Path(file).resolve()), os.stat(file).st_mtime_ns)
    if key not in _parsed:
        try:
            raw = np.loadtxt(file, dtype=np.float32, delimiter="\t", ndmin=2)
        except ValueError as e:
            raise DataError(f"cannot parse {file} as tab-separated numbers: {e}") from None
        data = (raw - raw.mean(axis=0)) / raw.std(axis=0)
        data.setflags(write=False)
        _parsed[key] = data
    data = _parsed[key][:n].astype(dtype, copy=False)
    X, y = data[:, :-1], data[:, -1:]
    return X, y
