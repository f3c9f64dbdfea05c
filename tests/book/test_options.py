"""One options object (``d2lmomentum.book.options.BuildOptions``), checked once when it is made,
serves ``run_chapter``, ``write_notebooks`` and ``build_book``; a bad value names its parameter
(``OptionError.param``), which the command line turns into its flag."""
import pytest

from d2lmomentum.book import pipeline, site
from d2lmomentum.book.kernels import KernelOptions
from d2lmomentum.book.options import BuildOptions, OptionError
from d2lmomentum.cli.main import main

from _helpers import write_chapter


@pytest.mark.parametrize("values, param, message", [
    (dict(timeout=0), "timeout", "timeout must be a positive number of seconds (1 to 86400), got 0"),
    (dict(timeout=True), "timeout", "timeout must be a positive number of seconds (1 to 86400), got True"),
    (dict(timeout=float("nan")), "timeout", "timeout must be a positive number of seconds (1 to 86400), got nan"),
    (dict(timeout="60"), "timeout", "timeout must be a positive number of seconds (1 to 86400), got '60'"),
    (dict(timeout=float("inf")), "timeout", "timeout must be a positive number of seconds (1 to 86400), got inf"),
    (dict(jobs=0), "jobs", "jobs must be a positive integer (kernels at a time), got 0"),
    (dict(jobs=2.0), "jobs", "jobs must be a positive integer (kernels at a time), got 2.0"),
    (dict(seed=-1), "seed", "seed must be a non-negative integer, got -1"),
    (dict(fmt="jpg"), "fmt", "fmt (the figure format) must be one of png, svg, got 'jpg'"),
    (dict(rerun="yes"), "rerun", "rerun must be True or False, got 'yes'"),
])
def test_a_bad_value_is_one_line_naming_its_parameter(values, param, message):
    with pytest.raises(OptionError) as e:
        BuildOptions(**values)
    assert str(e.value) == message and e.value.param == param


def test_a_missing_data_folder_is_named(tmp_path):
    with pytest.raises(OptionError) as e:
        BuildOptions(data_dir=tmp_path / "nowhere")
    assert e.value.param == "data_dir" and "nowhere: no such folder" in str(e.value)


def test_the_kernels_get_the_checked_values(tmp_path):
    options = BuildOptions(seed=3, compile=True, verbose=True, data_dir=tmp_path)
    assert options.kernel == KernelOptions(seed=3, verbose=True, compile=True, data_dir=tmp_path)


@pytest.mark.parametrize("entry", [pipeline.run_chapter, pipeline.write_notebooks, site.build_book])
def test_each_entry_point_checks_the_same_object_before_reading_anything(entry, tmp_path):
    src = write_chapter(tmp_path, "print(1)")
    where = tmp_path if entry is site.build_book else src
    with pytest.raises(OptionError, match="^jobs must"):
        entry(where, tmp_path / "out", "pytorch", jobs=0)
    with pytest.raises(OptionError, match="^options comes with timeout as well"):
        entry(where, tmp_path / "out", "pytorch", options=BuildOptions(), timeout=5)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv, line", [
    (["chapter", "--timeout", "0"], "--timeout must be a positive number of seconds (1 to 86400), got 0.0"),
    (["book", "SRC", "--jobs", "0"], "--jobs must be a positive integer (kernels at a time), got 0"),
    (["notebooks", "--out", "OUT", "--seed", "-3"], "--seed must be a non-negative integer, got -3"),
])
def test_the_command_line_names_the_flag(argv, line, tmp_path, capsys):
    argv = [str(tmp_path) if a == "SRC" else str(tmp_path / "o") if a == "OUT" else a for a in argv]
    assert main(argv) == 2
    assert capsys.readouterr().err == f"d2lmomentum: error: {line}\n"
