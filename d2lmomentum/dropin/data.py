"""d2l's data helpers: ``load_array``, ``get_data_ch11``, ``evaluate_loss``, ``DATA_HUB``,
``DATA_URL`` and an offline ``download``.

``download`` uses no network. ``download('airfoil')`` (or the airfoil URL) is the airfoil file
found by :func:`d2lmomentum.data.find_airfoil` (``$D2LMOMENTUM_DATA_DIR``, else the packaged
copy; sha1-checked). Any other ``DATA_HUB`` name or URL is the file of that name in
``$D2LMOMENTUM_DATA_DIR`` (what ``--data-dir`` sets), checked against its sha1 where one is
known; without it, :class:`NoNetworkError` says how to supply it.
"""
from pathlib import Path

import numpy as np

from d2lmomentum import data as _data
from d2lmomentum import envvars
from d2lmomentum.errors import DataError

#: d2l's base URL of its data files (only ever used as a name here: nothing is fetched).
DATA_URL = "http://d2l-data.s3-accelerate.amazonaws.com/"


class NoNetworkError(DataError):
    """``download`` of a file that is neither packaged nor supplied in ``--data-dir``."""


def hub_functions():
    """A fresh ``DATA_HUB`` (name -> ``(url, sha1)``, the airfoil entry registered) and the
    ``download(url, folder='../data', sha1_hash=None)`` that reads it."""
    hub = {"airfoil": (DATA_URL + _data.FILENAME, _data.SHA1)}

    def download(url, folder="../data", sha1_hash=None):
        """The local path of ``url`` (a ``DATA_HUB`` name or a URL), as ``d2l.download``, without
        a network: see :mod:`d2lmomentum.dropin.data`. ``folder`` is accepted for d2l's
        signature; nothing is written there."""
        asked = url
        if not str(url).startswith("http"):
            if url not in hub:
                raise NoNetworkError(
                    f"d2l.download({asked!r}): {asked!r} is not in d2l.DATA_HUB (names: {', '.join(sorted(hub))}), and "
                    f"the d2lmomentum drop-in uses no network: register it as d2l.DATA_HUB[{asked!r}] = (url, sha1), "
                    f"put its file in a folder and pass --data-dir DIR")
            url, sha1_hash = hub[url]
        filename = str(url).rstrip("/").rsplit("/", 1)[-1]
        if filename == _data.FILENAME and sha1_hash in (None, _data.SHA1):
            return str(_data.find_airfoil())
        folder_env = envvars.data_dir()
        supplied = Path(folder_env).expanduser() / filename if folder_env else None
        if supplied is None or not supplied.is_file():
            where = f"{folder_env} has no {filename}" if folder_env else f"{envvars.DATA_DIR} is not set"
            raise NoNetworkError(
                f"d2l.download({asked!r}) needs {filename}, but the d2lmomentum drop-in uses no network "
                f"({where}): put {filename} in a folder and pass --data-dir DIR (it sets {envvars.DATA_DIR})")
        if sha1_hash and _data.sha1_of(supplied) != sha1_hash:
            raise DataError(f"{supplied} is not the file d2l.download({asked!r}) expects: sha1 "
                            f"{_data.sha1_of(supplied)}, expected {sha1_hash}; replace it with the original")
        return str(supplied)

    return hub, download


class DataIter:
    """Minibatches of framework tensors over NumPy arrays, reshuffled every pass.

    Each pass gathers the shuffled arrays once and yields slices. ``X`` is ``(n, d)``,
    ``y`` ``(n,)`` as in d2l; ``seed`` (default: ``$D2LMOMENTUM_SEED``, which the chapter
    runner sets, else fresh entropy as in d2l) makes the order and ``train_ch11``'s initial
    weights repeatable.
    """

    def __init__(self, backend, arrays, batch_size, shuffle=True, seed=None):
        self.backend = backend
        self.X, self.y = (np.asarray(a) for a in arrays)
        self.batch_size, self.shuffle = int(batch_size), shuffle
        self.rng = np.random.default_rng(default_seed(seed))

    def __len__(self):
        return -(-len(self.X) // self.batch_size)

    def order(self):
        """The order of the examples in the next pass."""
        return self.rng.permutation(len(self.X)) if self.shuffle else np.arange(len(self.X))

    def __iter__(self):
        order = self.order()
        X, y = self.backend.constant(self.X[order]), self.backend.constant(self.y[order])
        for s in range(0, len(self.X), self.batch_size):
            yield X[s:s + self.batch_size], y[s:s + self.batch_size]


def default_seed(seed=None):
    """``seed``, else ``$D2LMOMENTUM_SEED`` (an integer >= 0, else a one-line error), else ``None``
    (fresh entropy)."""
    return envvars.seed() if seed is None else seed


def as_data_iter(backend, data_iter, to_numpy):
    """``data_iter`` itself, or a :class:`DataIter` over all the batches it yields."""
    if isinstance(data_iter, DataIter):
        return data_iter
    batches = [(to_numpy(X), to_numpy(y)) for X, y in data_iter]
    X = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1].reshape(len(b[0]), -1) for b in batches])
    return DataIter(backend, (X, y[:, 0] if y.shape[1] == 1 else y), len(batches[0][0]))


def data_functions(backend, to_numpy, reshape=None):
    """A drop-in's ``load_array``, ``get_data_ch11`` and ``evaluate_loss``, d2l's signatures;
    with ``reshape(y, shape)`` (PyTorch's), ``evaluate_loss`` first reshapes ``y`` to ``net(X)``'s
    shape, as d2l's PyTorch version does."""

    def as_numpy(a):
        return a if isinstance(a, np.ndarray) else to_numpy(a) if hasattr(a, "shape") else np.asarray(a)

    def load_array(data_arrays, batch_size, is_train=True, seed=None):
        """An iterator of minibatches over ``(X, y)`` (tensors or arrays), shuffled if ``is_train``."""
        return DataIter(backend, [as_numpy(a) for a in data_arrays], batch_size, shuffle=is_train, seed=seed)

    def get_data_ch11(batch_size=10, n=1500, seed=None):
        """``(data_iter, feature_dim)`` over the standardised airfoil data, as d2l's."""
        X, y = _data.load_airfoil(n=n)
        return DataIter(backend, (X, y[:, 0]), batch_size, shuffle=True, seed=seed), X.shape[1]

    def evaluate_loss(net, data_iter, loss):
        """The mean of ``loss(net(X), y)`` over every element it yields across ``data_iter``
        (d2l's sum of the losses over their count)."""
        total, count = 0.0, 0
        for X, y in data_iter:
            out = net(X)
            values = as_numpy(loss(out, y if reshape is None else reshape(y, out.shape)))
            total, count = total + float(values.sum()), count + values.size
        return total / count

    return load_array, get_data_ch11, evaluate_loss
