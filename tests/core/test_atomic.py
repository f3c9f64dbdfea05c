"""Specification of d2lmomentum.atomic: a file is replaced whole or left as it was."""
import pytest

from d2lmomentum.atomic import replacing, write_atomic


def test_text_and_bytes_are_written(tmp_path):
    assert write_atomic(tmp_path / "a.txt", "모멘텀\n").read_text(encoding="utf-8") == "모멘텀\n"
    assert write_atomic(tmp_path / "b.bin", b"\x00\xff").read_bytes() == b"\x00\xff"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with replacing(target) as tmp:
            tmp.write_text("half of the ne", encoding="utf-8")
            raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_write_that_fails_midway_leaves_nothing(tmp_path):
    with pytest.raises(UnicodeEncodeError):  # the temporary file is open when the lone surrogate fails
        write_atomic(tmp_path / "x.txt", "fine so far \ud800")
    assert list(tmp_path.iterdir()) == []
