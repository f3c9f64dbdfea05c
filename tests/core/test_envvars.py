"""Each environment variable is read in one place, an empty value counting as unset, a bad one named."""
import os

import pytest

from d2lmomentum import envvars
from d2lmomentum.errors import InvalidArgumentError

VAR = "D2LMOMENTUM_TEST_ONLY_VARIABLE"


@pytest.mark.parametrize("read, name", [(envvars.backend, envvars.BACKEND), (envvars.data_dir, envvars.DATA_DIR)])
@pytest.mark.parametrize("value", ["", "  ", "mxnet", " ~/data dir "])
def test_text_values_are_read_stripped_and_empty_is_unset(read, name, value):
    assert read({name: value}) == (value.strip() or None)
    assert read({}) is None


@pytest.mark.parametrize("read, name", [(envvars.seed, envvars.SEED), (envvars.tf_log_level, envvars.TF_LOG_LEVEL)])
@pytest.mark.parametrize("value", ["0", "3", " 42 ", "", "-1", "1.5", "abc", "²"])
def test_integers_are_read_or_named_as_bad(read, name, value):
    text = value.strip()
    if text.isascii() and text.isdigit():
        assert read({name: value}) == int(text)
    elif not text:
        assert read({name: value}) is None
    else:
        with pytest.raises(InvalidArgumentError, match=rf"^{name} must be an integer >= 0, got '{text}'; "):
            read({name: value})


@pytest.mark.parametrize("read, name", [(envvars.compiled, envvars.COMPILE), (envvars.verbose, envvars.VERBOSE)])
@pytest.mark.parametrize("value", ["", "0", " 0 ", "1", "yes"])
def test_flags_are_on_unless_empty_or_0(read, name, value):
    assert read({name: value}) == (value.strip() not in ("", "0"))
    assert read({}) is False


def test_readers_default_to_this_process(monkeypatch):
    monkeypatch.setenv(envvars.SEED, "7")
    monkeypatch.setenv(envvars.VERBOSE, "1")
    assert envvars.seed() == 7 and envvars.verbose() is True


@pytest.mark.parametrize("before", [None, "the user's"])
def test_temporarily_restores_the_users_value_even_after_an_error(before, monkeypatch):
    if before is None:
        monkeypatch.delenv(VAR, raising=False)
    else:
        monkeypatch.setenv(VAR, before)
    with pytest.raises(ZeroDivisionError):
        with envvars.temporarily(VAR, "ours"):
            assert os.environ[VAR] == "ours"
            1 / 0
    assert os.environ.get(VAR) == before
