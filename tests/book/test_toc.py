"""A book folder's chapter order: d2l-en's real index.md, and small folders for the bad cases."""
import contextlib

import pytest

from _helpers import SHARED, unavailable
from d2lmomentum.book.source import BookWarning
from d2lmomentum.book.toc import chapter_order, read_toc
from d2lmomentum.errors import InvalidArgumentError


def _toc_lines(text):
    """The entries of a ```toc block, read line by line (no markdown parser)."""
    lines = text.splitlines()
    start = lines.index("```toc") + 1
    block = lines[start:lines.index("```", start)]
    return [line.strip() for line in block if line.strip() and not line.strip().startswith(":")]


def test_d2l_en_optimization_order_is_its_index_toc():
    folder = SHARED / "d2l-en" / "chapter_optimization"
    if not (folder / "index.md").is_file():
        unavailable(f"the shared d2l-en tree {folder} is missing", "put ../shared beside the repository")
    index_text = (folder / "index.md").read_text(encoding="utf-8")
    toc = read_toc(folder)
    assert [p.stem for p in toc.chapters] == _toc_lines(index_text)
    assert [p.name for p in toc.chapters][:3] == ["optimization-intro.md", "convexity.md", "gd.md"]
    assert toc.chapters[5].name == "momentum.md" and len(toc.chapters) == 11
    assert toc.index == (folder / "index.md").resolve()
    assert "```toc" not in toc.intro and toc.intro.startswith(index_text.splitlines()[0])
    assert chapter_order(folder) == list(toc.chapters)


def _folder(tmp_path, files):
    folder = tmp_path / "book"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder.resolve()


def test_toc_entry_naming_a_missing_file_is_warned_with_its_line_and_left_out(tmp_path):
    index = ("# Book\n:label:`book`\n\nIntro.\n\n"
             "```toc\n:maxdepth: 2\n\nb\nghost\nA title <a>\nc.md\nb\n../x\n```\n\nEnd.\n")
    folder = _folder(tmp_path, {"index.md": index, "a.md": "", "b.md": "", "c.md": "", "d.md": ""})
    (tmp_path / "x.md").write_text("")  # outside the folder
    with pytest.warns(BookWarning) as caught:
        toc = read_toc(folder)
    assert [p.name for p in toc.chapters] == ["b.md", "a.md", "c.md"]  # toc order; d.md is not listed
    lines = index.splitlines()
    line_of = {name: lines.index(name) + 1 for name in ("ghost", "../x")}
    line_of["b"] = len(lines) - lines[::-1].index("b")  # the second b
    where = {name: f"{folder / 'index.md'}:{line_of[name]}: toc entry {name!r}" for name in line_of}
    assert [str(w.message) for w in caught] == [
        f"{where['ghost']}: no file {folder / 'ghost.md'}; left out",
        f"{where['b']}: listed before; left out",
        f"{where['../x']}: leaves the folder {folder}; left out"]
    assert toc.intro == "# Book\n:label:`book`\n\nIntro.\n\n\nEnd.\n"


def test_without_index_every_md_by_name(tmp_path):
    folder = _folder(tmp_path, {"b-two.md": "", "a.md": "", "B.md": "", "notes.txt": ""})
    toc = read_toc(folder)
    assert [p.name for p in toc.chapters] == sorted(["b-two.md", "a.md", "B.md"])
    assert toc.index is None and toc.intro == ""


def test_index_without_toc_block_lists_the_folder_but_itself(tmp_path):
    folder = _folder(tmp_path, {"index.md": "# Only prose\n\n```python\nx = 1\n```\n", "z.md": "", "y.md": ""})
    toc = read_toc(folder)
    assert [p.name for p in toc.chapters] == ["y.md", "z.md"] and toc.intro.startswith("# Only prose")


@pytest.mark.parametrize("files, why, warned", [
    ({}, "no .md file", False),
    ({"index.md": "# Alone\n"}, "no .md file but index.md", False),
    ({"index.md": "```toc\nghost\n```\n"}, "none of the toc entries", True),
])
def test_folder_without_chapter_is_an_error(tmp_path, files, why, warned):
    folder = _folder(tmp_path, files)
    with pytest.warns(BookWarning, match="toc entry 'ghost'") if warned else contextlib.nullcontext():
        with pytest.raises(InvalidArgumentError, match=f"no chapter in {folder}: {why}"):
            read_toc(folder)


def test_not_a_folder_and_index_not_utf8(tmp_path):
    with pytest.raises(InvalidArgumentError, match="no such folder"):
        read_toc(tmp_path / "none")
    (tmp_path / "file.md").write_text("")
    with pytest.raises(InvalidArgumentError, match="is a file, not a folder"):
        read_toc(tmp_path / "file.md")
    folder = _folder(tmp_path, {"a.md": ""})
    (folder / "index.md").write_bytes(b"# Index\n\n```toc\na\n\xe9\n```\n")
    with pytest.raises(InvalidArgumentError, match=r"book index .*index\.md:5:1: not UTF-8"):
        read_toc(folder)
