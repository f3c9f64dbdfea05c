"""Bad input, API and CLI: a clear message that names the parameter and its range; the CLI
prints one line, ``d2lmomentum: error: ...``, and exits 2 (1 for failures while running)."""
import subprocess
import sys

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum.backends import load

from d2lmomentum.data import packaged_path

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
    ("unknown backend", lambda: dm.train_momentum(0.01, 0.5, backend="jax"), dm.BackendError,
     "unknown backend 'jax'; valid names: numpy, pytorch, tensorflow, mxnet"),
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
        dm.sgd_momentum([w], [B.state(np.zeros(3))], {"lr": 0.1, "momentum": 0.5}, grads=[B.constant(np.ones(3, np.float32))])


def test_teaching_functions_may_still_diverge_on_purpose():
    from d2lmomentum import theory
    end = theory.train_2d(lambda *a: theory.gd_2d(*a, eta=0.6))[-1]
    assert abs(end[1]) > 1000  # the chapter's eta = 0.6 trace


CLI_CASES = [
    (["train", "--lr", "abc"], 2, "argument --lr: invalid float value: 'abc'"),
    (["train", "--lr", "-1"], 2, "lr must be > 0, got -1.0"),
    (["train", "--momentum", "1.5"], 2, r"momentum must be in [0, 1), got 1.5"),
    (["train", "--epochs", "0"], 2, "num_epochs must be a positive integer (>= 1), got 0"),
    (["train", "--batch-size", "5000"], 2, "batch_size must be <= 1500"),
    (["train", "--backend", "caffe"], 2, "unknown backend 'caffe'"),
    (["train", "--nesterov", "--momentum", "0"], 2, "nesterov=True needs momentum > 0"),
    (["train", "--seed", "-2"], 2, "--seed must be a non-negative integer"),
    (["train", "--data-dir", "/no/such/dir"], 2, "--data-dir /no/such/dir: no such file or folder"),
    (["train", "--frobnicate"], 2, "unrecognized arguments: --frobnicate"),
    (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
    (["parity", "--dtype", "float16"], 2, "invalid choice: 'float16'"),
    (["chapter", "--backend", "numpy"], 2, "--backend must be one of mxnet, pytorch, tensorflow or all"),
    (["notebooks", "--out", "nb", "--backend", "jax"], 2, "--backend must be one of mxnet, pytorch, tensorflow or all, got 'jax'"),
    (["chapter", "--source", "/no/such.md"], 2, "--source /no/such.md: no such file"),
    (["theory", "--out", str(packaged_path())], 2, "is a file; give a folder"),
    (["explore", "--out", str(packaged_path())], 2, "is a file; give a folder"),
    (["train", "--lr", "5", "--momentum", "0.9", "--backend", "np", "--seed", "0"], 1, "training diverged"),
]


# --source files that are wrong in themselves: (file name, bytes, the .bib beside it or None, message)
SOURCE_CASES = [
    ("latin1.md", "# Caf\xe9\n".encode("latin-1"), None, "not UTF-8 text"),
    ("badbib.md", b"# T\n", b"@article{X, title={no closing brace}\n", "badbib.bib: not a BibTeX file pybtex can read"),
]


@pytest.mark.parametrize("command", ["chapter", "notebooks"])
@pytest.mark.parametrize("name,text,bib,message", SOURCE_CASES, ids=[c[0] for c in SOURCE_CASES])
def test_a_bad_source_is_one_line_and_writes_nothing(tmp_path, command, name, text, bib, message):
    (tmp_path / name).write_bytes(text)
    if bib is not None:
        (tmp_path / name).with_suffix(".bib").write_bytes(bib)
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "d2lmomentum", command, "--source", str(tmp_path / name), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("d2lmomentum: error: ") and message in r.stderr and len(r.stderr.splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("args,status,message", CLI_CASES, ids=[" ".join(c[0]) for c in CLI_CASES])
def test_cli_bad_input(args, status, message):
    r = subprocess.run([sys.executable, "-m", "d2lmomentum", *args], capture_output=True, text=True)
    assert r.returncode == status
    lines = [line for line in r.stderr.splitlines() if line.startswith("d2lmomentum:")]
    assert len(lines) == 1 and lines[0].startswith("d2lmomentum: error: ")
    assert message in lines[0]
    assert "Traceback" not in r.stderr


def test_cli_train_json_and_line():
    r = subprocess.run([sys.executable, "-m", "d2lmomentum", "train", "--backend", "np", "--seed", "0", "--json"],
                       capture_output=True, text=True, check=True)
    import json
    d = json.loads(r.stdout)
    expected = dm.train_momentum(0.02, 0.5, backend="numpy", seed=0)
    assert d["losses"] == expected.losses and d["backend"] == "numpy"
    assert np.array(d["w"]).shape == (5, 1)
    line = subprocess.run([sys.executable, "-m", "d2lmomentum", "train", "--backend", "np", "--seed", "0"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert line.startswith(f"loss: {expected.losses[-1]:.3f}, ") and line.endswith(" sec/epoch")


@pytest.mark.parametrize("sub", ["train", "parity", "theory", "chapter", "notebooks", "bench", "explore"])
def test_every_subcommand_has_help_with_an_example(sub):
    r = subprocess.run([sys.executable, "-m", "d2lmomentum", sub, "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "example:" in r.stdout and f"d2lmomentum {sub}" in r.stdout


def test_version():
    r = subprocess.run([sys.executable, "-m", "d2lmomentum", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == f"d2lmomentum {dm.__version__}"
