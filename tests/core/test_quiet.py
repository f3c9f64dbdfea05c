"""The frameworks' log lines are shown by severity as far as the user asked (``TF_CPP_MIN_LOG_LEVEL``:
0 all, 1 no INFO, 2 no WARNING, 3 nothing but FATAL; ``--verbose`` all), and not at all by default."""
import os
import re
import subprocess
import sys
import textwrap

import pytest

from d2lmomentum import envvars, quiet
from d2lmomentum.errors import InvalidArgumentError

ORDER = "IWEF"  # absl's severities, least first
RECORD = re.compile(r"([IWEF])\d{4} [\d:.]+\s+\d+ \S+:\d+\] ")
HEADER = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
USER_VARS = (envvars.TF_LOG_LEVEL, envvars.VERBOSE)


def _record(severity, n, *more_lines):
    """One absl-format record of ``severity``, its message ``n`` lines long with ``more_lines``."""
    return "".join([f"{severity}1202 09:01:02.{n:06d}   4218 fake_{n}.cc:{10 + n}] message {n}\n",
                    *(line + "\n" for line in more_lines)])


# What a framework writes to descriptor 2: (severity of the piece, None for no framework's, text).
PIECES = [(None, "a line of the framework's C code, no log record\n"),
          ("I", HEADER + _record("I", 1)),
          ("I", _record("I", 2, "the rest of a two-line INFO message")),
          ("W", _record("W", 3)),
          ("E", _record("E", 4, "")),
          ("F", _record("F", 5, "and a FATAL's second line")),
          ("W", HEADER)]
CAPTURED = "".join(text for _, text in PIECES)


def _expected(level):
    return "".join(text for severity, text in PIECES if severity is None or ORDER.index(severity) >= level)


@pytest.mark.parametrize("level", range(4))
def test_filtered_keeps_what_no_framework_logged_and_the_records_at_or_above_the_level(level):
    assert quiet.filtered(CAPTURED, level) == _expected(level)


@pytest.mark.parametrize("env, expected", [
    ({}, ORDER.index("F")), ({envvars.TF_LOG_LEVEL: ""}, ORDER.index("F")),  # unset: nothing but FATAL
    *(({envvars.TF_LOG_LEVEL: str(n)}, min(n, 3)) for n in (0, 1, 2, 3, 9)),
    ({envvars.TF_LOG_LEVEL: "3", envvars.VERBOSE: "1"}, 0), ({envvars.VERBOSE: "0"}, ORDER.index("F"))])
def test_level_is_the_users_or_0_when_verbose(env, expected):
    assert quiet.level(env) == expected


@pytest.mark.parametrize("value", ["-1", "1.5", "info", "²"])
def test_a_bad_level_is_named_in_one_line(value):
    with pytest.raises(InvalidArgumentError, match=rf"^TF_CPP_MIN_LOG_LEVEL must be an integer >= 0, got '{value}'"):
        quiet.child_env({envvars.TF_LOG_LEVEL: value})


@pytest.fixture
def not_verbose():
    quiet.set_verbose(False)
    yield
    quiet.set_verbose(False)


@pytest.mark.parametrize("users", [{}, {envvars.TF_LOG_LEVEL: "1"}, {envvars.TF_LOG_LEVEL: "2", envvars.VERBOSE: "1"}])
@pytest.mark.parametrize("verbose", [False, True])
def test_a_child_shows_what_this_process_shows(users, verbose, monkeypatch, not_verbose):
    for name in USER_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in users.items():
        monkeypatch.setenv(name, value)
    quiet.set_verbose(verbose)
    before = dict(os.environ)
    child = quiet.child_env()
    assert quiet.level(child) == quiet.level() == (0 if verbose or envvars.VERBOSE in users
                                                    else int(users.get(envvars.TF_LOG_LEVEL, quiet.DEFAULT_LEVEL)))
    assert child.get(envvars.TF_LOG_LEVEL) == users.get(envvars.TF_LOG_LEVEL) and dict(os.environ) == before


def test_child_env_adds_verbose_to_the_given_environment_only():
    base = {"PATH": "/bin", envvars.TF_LOG_LEVEL: "2"}
    child = quiet.child_env(base, verbose=True)
    assert child == {**base, envvars.VERBOSE: "1"} and base == {"PATH": "/bin", envvars.TF_LOG_LEVEL: "2"}
    assert quiet.level(child) == 0 and quiet.level(quiet.child_env(base)) == 2


_FAKE = """
import os, sys
LEVEL_DURING_IMPORT = os.environ.get({var!r})
os.write(2, {captured!r}.encode())
sys.stderr.write("a Python line\\n")
"""


@pytest.fixture
def fake_framework(tmp_path, monkeypatch, not_verbose):
    """A module that writes :data:`CAPTURED` to descriptor 2 when imported, with
    ``TF_CPP_MIN_LOG_LEVEL`` as its logging variable; its name."""
    name = f"fake_framework_{tmp_path.name}".replace("-", "_")
    (tmp_path / f"{name}.py").write_text(_FAKE.format(var=envvars.TF_LOG_LEVEL, captured=CAPTURED))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(quiet.LOG_LEVEL_VARIABLES, name, envvars.TF_LOG_LEVEL)
    for var in USER_VARS:
        monkeypatch.delenv(var, raising=False)
    yield name
    sys.modules.pop(name, None)


@pytest.mark.parametrize("users, level", [
    ({}, quiet.DEFAULT_LEVEL), *(({envvars.TF_LOG_LEVEL: str(n)}, n) for n in range(4)),
    ({envvars.TF_LOG_LEVEL: "3", envvars.VERBOSE: "1"}, 0)])
def test_import_framework_shows_the_records_at_the_level_and_restores_the_users_variable(
        users, level, fake_framework, monkeypatch, capfd):
    for name, value in users.items():
        monkeypatch.setenv(name, value)
    module = quiet.import_framework(fake_framework)
    err = capfd.readouterr().err
    assert module.LEVEL_DURING_IMPORT == str(level)
    assert os.environ.get(envvars.TF_LOG_LEVEL) == users.get(envvars.TF_LOG_LEVEL)
    assert err.count("a Python line\n") == 1 and err.replace("a Python line\n", "") == _expected(level)


def test_pythons_own_lines_are_not_taken_for_part_of_a_hidden_record(fake_framework, tmp_path):
    """Here sys.stderr writes to descriptor 2 itself, as in a terminal."""
    env = {k: v for k, v in os.environ.items() if k not in USER_VARS}
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from d2lmomentum import quiet
        quiet.import_framework({fake_framework!r})
        """)], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0 and r.stderr == "a Python line\n" + _expected(quiet.DEFAULT_LEVEL)


# The CLI's train on TensorFlow, then a record from TensorFlow's kernels at each severity.
_TRAIN_THEN_LOG = """
import sys
from d2lmomentum.cli import main
status = main(sys.argv[1:])
import tensorflow as tf
for s in ("info", "warning", "error"):
    tf.raw_ops.PrintV2(input=tf.constant(f"kernel record {s}"), output_stream=f"log({s})")
sys.exit(status)
"""


def _cli(args, *, python=None, **user_env):
    env = {k: v for k, v in os.environ.items() if k not in USER_VARS}
    command = ["-c", python, *args] if python else ["-m", "d2lmomentum", *args]
    return subprocess.run([sys.executable, *command], capture_output=True, text=True, env={**env, **user_env})


@pytest.mark.parametrize("tf_level, args, level", [("3", [], 3), ("1", [], 1), ("0", [], 0), ("3", ["--verbose"], 0)])
def test_tensorflow_is_as_quiet_as_asked(tf_level, args, level):
    r = _cli(["train", "--backend", "tensorflow", "--epochs", "1", "--seed", "0", *args],
             python=_TRAIN_THEN_LOG, TF_CPP_MIN_LOG_LEVEL=tf_level)
    assert r.returncode == 0 and r.stdout.startswith("loss: "), r.stderr[-2000:]
    lines = r.stderr.splitlines()
    assert {line[0] for line in lines if RECORD.match(line)} <= set(ORDER[level:])
    for letter, name in zip(ORDER, ("info", "warning", "error")):
        shown = any(RECORD.match(line) and line[0] == letter and line.endswith(f"] kernel record {name}")
                    for line in lines)
        assert shown == (ORDER.index(letter) >= level), name
    assert ("oneDNN custom operations are on" in r.stderr) == (level == 0)
    if level > 0:  # nothing else: no header, no rest of a hidden record
        assert all(RECORD.match(line) for line in lines if line.strip())
    if level == 3:
        assert r.stderr == ""


def test_mxnet_prints_nothing_on_stderr_even_at_level_0():
    r = _cli(["train", "--backend", "mxnet", "--epochs", "1", "--seed", "0"], TF_CPP_MIN_LOG_LEVEL="0")
    assert r.returncode == 0 and r.stdout.startswith("loss: ") and r.stderr == ""


def test_log_lines_are_told_from_other_output():
    assert quiet.is_log_line(HEADER) and quiet.is_log_line(_record("E", 7))
    assert quiet.is_log_line("I0000 00:00:1795636057.302010    4218 port.cc:153] oneDNN custom operations are on.")
    assert not quiet.is_log_line("loss: 0.244, 0.053 sec/epoch")
    assert not quiet.is_log_line("UserWarning: something the user should see")
