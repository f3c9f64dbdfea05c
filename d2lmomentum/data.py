"""The airfoil self-noise data, as d2l's ``get_data_ch11`` uses it.

The file is tab-separated with 1503 rows of 5 features and 1 label. It is read as
float32, standardised column-wise with the mean and std of all 1503 rows, and the first
1500 rows are kept: ``X`` ``(1500, 5)``, ``y`` ``(1500, 1)``.

The file ships inside the package (``d2lmomentum/datasets/``, UCI Machine Learning
Repository, "Airfoil Self-Noise", CC BY 4.0; see the README beside it), so nothing here
needs a network. Lookup order: an explicit ``path`` (file or folder); the folder in
``$D2LMOMENTUM_DATA_DIR``; the packaged copy. A path or variable that names a place
without the file is an error, never a silent fallback. Every file is checked against its
sha1 when it is read.
"""
import hashlib
import os
from pathlib import Path

import numpy as np

from d2lmomentum import envvars
from d2lmomentum.errors import DataError

FILENAME = "airfoil_self_noise.dat"
SHA1 = "76e5be1548fd8222e5074cf0faae75edff8cf93f"
DATA_ENV = envvars.DATA_DIR
NUM_EXAMPLES = 1500

_parsed = {}


def packaged_path():
    """The copy of the airfoil file shipped in the package."""
    return Path(__file__).resolve().parent / "datasets" / FILENAME


def sha1_of(path):
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


def verify(path):
    """Return ``path`` if its sha1 is the airfoil file's, else raise :class:`DataError`."""
    found = sha1_of(path)
    if found != SHA1:
        raise DataError(
            f"{path} is not the airfoil data: sha1 {found}, expected {SHA1}; "
            f"replace it with the original {FILENAME} (d2lmomentum ships one: {packaged_path()})")
    return path


def _candidate(path):
    path = Path(path).expanduser()
    return path / FILENAME if path.is_dir() else path


def find_airfoil(path=None):
    """The verified path of the airfoil file, following the lookup order above."""
    if path is not None:
        candidate = _candidate(path)
        if not candidate.is_file():
            raise DataError(f"no airfoil data at {candidate}: pass the path of {FILENAME} or of its "
                            f"folder, or leave it out to use the packaged copy")
        return verify(candidate)
    folder = envvars.data_dir()
    if folder:
        candidate = _candidate(folder)
        if not candidate.is_file():
            raise DataError(f"{DATA_ENV} is set to {folder}, but {candidate} does not exist; "
                            f"put {FILENAME} there, or unset {DATA_ENV} to use the packaged copy")
        return verify(candidate)
    packaged = packaged_path()
    if not packaged.is_file():
        raise DataError(f"the packaged {FILENAME} is missing from {packaged.parent}: reinstall d2lmomentum, "
                        f"or set {DATA_ENV} to a folder that holds the file")
    return verify(packaged)


def load_airfoil(path=None, n=NUM_EXAMPLES, dtype="float32"):
    """Standardised ``(X, y)`` as NumPy arrays of shapes ``(n, 5)`` and ``(n, 1)``.

    Standardisation happens in float32 as in d2l; ``dtype='float64'`` then widens the
    result. The parsed file is kept per path and content, and returned as read-only views.
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
