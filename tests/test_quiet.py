"""No framework log line reaches the user's terminal unless asked for (``--verbose``, or the
framework's own logging variable set by the user)."""
import os
import subprocess
import sys

import pytest

from d2lmomentum.quiet import is_log_line


def _cli(args, **env):
    full = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "D2LMOMENTUM_VERBOSE")}
    return subprocess.run([sys.executable, "-m", "d2lmomentum", *args], capture_output=True, text=True,
                          env={**full, **env})


@pytest.mark.parametrize("backend", ["tensorflow", "mxnet", "pytorch"])
def test_train_prints_its_line_and_nothing_on_stderr(backend):
    r = _cli(["train", "--backend", backend, "--seed", "0"])
    assert r.returncode == 0 and r.stdout.startswith("loss: ")
    assert r.stderr == ""


def test_theory_with_tensorflow_is_quiet(tmp_path):
    r = _cli(["theory", "--out", str(tmp_path), "--backend", "tensorflow"])
    assert r.returncode == 0 and r.stderr == ""


def test_verbose_lets_the_framework_logs_through():
    r = _cli(["train", "--backend", "tensorflow", "--seed", "0", "--verbose"])
    assert r.returncode == 0 and any(is_log_line(line) for line in r.stderr.splitlines())


def test_the_users_own_tensorflow_variable_wins():
    r = _cli(["train", "--backend", "tensorflow", "--seed", "0"], TF_CPP_MIN_LOG_LEVEL="0")
    assert r.returncode == 0 and any(is_log_line(line) for line in r.stderr.splitlines())


def test_log_lines_are_told_from_other_output():
    assert is_log_line("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR")
    assert is_log_line("I0000 00:00:1795636057.302010    4218 port.cc:153] oneDNN custom operations are on.")
    assert is_log_line("E1125 19:43:25.123456   12 cuda_dnn.cc:8310] Unable to register cuDNN factory")
    assert not is_log_line("loss: 0.244, 0.053 sec/epoch")
    assert not is_log_line("UserWarning: something the user should see")
