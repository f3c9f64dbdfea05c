"""Reading a chapter and its tree: d2l-en's real config.ini, bibliography and img/, and small
trees for every bad case."""
import re

import pytest

from _helpers import FRAMEWORKS, SHARED, unavailable
from d2lmomentum.book.source import (DEFAULT_TABS, BookWarning, read_chapter, read_config,
                                     read_utf8)
from d2lmomentum.errors import InvalidArgumentError


@pytest.fixture
def d2l_en():
    if not (SHARED / "d2l-en" / "config.ini").is_file():
        unavailable(f"the shared d2l-en tree {SHARED / 'd2l-en'} is missing", "put ../shared beside the repository")
    return SHARED / "d2l-en"


def _tabs_line(config_text):
    """The frameworks of config.ini's ``tabs =`` line, read with a regular expression."""
    return [t.strip() for t in re.search(r"^tabs\s*=(.*)$", config_text, re.M).group(1).split(",")]


def test_d2l_en_chapter_reads_its_tree(d2l_en):
    chapter = d2l_en / "chapter_optimization" / "momentum.md"
    source = read_chapter(chapter)
    listed = _tabs_line((d2l_en / "config.ini").read_text(encoding="utf-8"))
    assert source.config.tabs == tuple(t for t in listed if t in FRAMEWORKS) == ("pytorch", "mxnet", "jax", "tensorflow")
    assert source.config.dropped_tabs == tuple(t for t in listed if t not in FRAMEWORKS) == ()
    assert source.config.default_tab == listed[0] == "pytorch"
    assert source.config.lang == "en"  # config.ini without lang
    assert source.root == d2l_en.resolve()
    assert source.bib_files == (d2l_en.resolve() / "d2l.bib",)
    assert source.img_dirs == (d2l_en.resolve() / "img",)
    assert source.text == chapter.read_bytes().decode("utf-8")


def _tree(tmp_path, config=None, files=()):
    """A book tree: ``book/config.ini`` (when ``config`` is given) and ``files`` (path -> text)."""
    book = tmp_path / "book"
    book.mkdir()
    if config is not None:
        (book / "config.ini").write_text(config, encoding="utf-8")
    for name, text in dict(files).items():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        (book / name).write_text(text, encoding="utf-8")
    return book.resolve()


def test_own_bib_first_then_nearest_d2l_bib_and_img_dirs_nearest_first(tmp_path):
    book = _tree(tmp_path, "[build]\ntabs = mxnet, pytorch\n", {
        "d2l.bib": "", "part/d2l.bib": "", "part/ch/x.md": "# X\n", "part/ch/x.bib": "",
        "img/a.svg": "", "part/ch/img/b.svg": "", "part/ch/y.md": "# Y\n", "outside.md": ""})
    (tmp_path / "d2l.bib").write_text("")  # above the root: never read
    x = read_chapter(book / "part" / "ch" / "x.md", top=book)
    assert x.root == book
    assert x.bib_files == (book / "part/ch/x.bib", book / "part/d2l.bib")
    assert x.img_dirs == (book / "part/ch/img", book / "img")
    assert x.config.tabs == ("mxnet", "pytorch") and x.config.default_tab == "mxnet"
    assert read_chapter(book / "part" / "ch" / "y.md", top=book).bib_files == (book / "part/d2l.bib",)
    assert read_chapter(book / "outside.md").bib_files == (book / "d2l.bib",)
    # alone, the chapter looks no higher than its folder's parent: book/ is out of reach
    alone = read_chapter(book / "part" / "ch" / "x.md")
    assert (alone.root, alone.config.path) == (book / "part/ch", None)
    assert alone.bib_files == (book / "part/ch/x.bib", book / "part/d2l.bib")
    assert alone.img_dirs == (book / "part/ch/img",)


FOREIGN_CONFIG = "[project]\nlang = en\n[build]\ntabs = tensorflow\n"
FOREIGN_BIB = "@article{Polyak.1964,\n  title = {Replaced},\n  author = {Mallory, M},\n  journal = {J},\n  year = {1999}\n}\n"


def test_settings_from_far_above_are_never_read(tmp_path):
    """Another user's config.ini and d2l.bib two folders above a chapter (or a book) stay unread."""
    (tmp_path / "config.ini").write_text(FOREIGN_CONFIG, encoding="utf-8")
    (tmp_path / "d2l.bib").write_text(FOREIGN_BIB, encoding="utf-8")
    (tmp_path / "img").mkdir()
    work = tmp_path / "alice" / "work"
    work.mkdir(parents=True)
    (work / "ch.md").write_text("# Ch\n", encoding="utf-8")
    alone = read_chapter(work / "ch.md")
    assert (alone.config.path, alone.config.lang, alone.config.default_tab) == (None, "ko", "mxnet")
    assert alone.bib_files == () and alone.img_dirs == () and alone.root == work.resolve()
    # a book SRC = alice/work/part reads SRC and SRC/.. only
    (work / "part").mkdir()
    (work / "part" / "x.md").write_text("# X\n", encoding="utf-8")
    in_book = read_chapter(work / "part" / "x.md", top=work)
    assert (in_book.config.path, in_book.bib_files, in_book.root) == (None, (), (work / "part").resolve())
    # one folder up from the chapter is still the book's: d2l's layout
    (work / "config.ini").write_text("[build]\ntabs = pytorch\n", encoding="utf-8")
    (work / "d2l.bib").write_text("", encoding="utf-8")
    assert read_chapter(work / "part" / "x.md", top=work).config.path == (work / "config.ini").resolve()
    assert read_chapter(work / "part" / "x.md").bib_files == ((work / "d2l.bib").resolve(),)


@pytest.mark.parametrize("linked", ["ch.bib", "d2l.bib", "config.ini"])
def test_no_symlink_out_of_the_tree_is_followed(tmp_path, linked):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / ("evil.ini" if linked == "config.ini" else "evil.bib")
    target.write_text(FOREIGN_CONFIG if linked == "config.ini" else FOREIGN_BIB, encoding="utf-8")
    book = tmp_path / "a" / "b" / "book"
    book.mkdir(parents=True)
    (book / "ch.md").write_text("# Ch\n", encoding="utf-8")
    (book / linked).symlink_to(target)
    with pytest.warns(BookWarning, match=rf"{linked}: a link out of the book's folder .*; not read"):
        source = read_chapter(book / "ch.md")
    assert source.bib_files == () and source.config.path is None


def test_without_config_the_tree_is_the_chapter_folder_in_korean(tmp_path):
    folder = tmp_path / "ko"
    folder.mkdir()
    (folder / "momentum.md").write_text("# 모멘텀\n", encoding="utf-8")
    (folder / "momentum.bib").write_text("")
    source = read_chapter(folder / "momentum.md")
    assert source.root == folder.resolve()
    assert (source.config.tabs, source.config.default_tab, source.config.lang) == (DEFAULT_TABS, "mxnet", "ko")
    assert source.config.dropped_tabs == () and source.config.path is None
    assert source.bib_files == (folder.resolve() / "momentum.bib",)
    assert source.text == "# 모멘텀\n"


@pytest.mark.parametrize("lang, expected", [("ko", "ko"), ("KO", "ko"), ("en", "en"), ("", "en")])
def test_lang_from_config(tmp_path, lang, expected):
    book = _tree(tmp_path, f"[project]\nname = x\nlang = {lang}\n[build]\ntabs = pytorch\n")
    config = read_config(book)
    assert (config.lang, config.tabs, config.default_tab) == (expected, ("pytorch",), "pytorch")


def test_lang_without_page_chrome_is_english_with_a_warning(tmp_path):
    book = _tree(tmp_path, "[project]\nlang = zh\n")
    with pytest.warns(BookWarning, match="lang = zh has no page chrome"):
        config = read_config(book)
    assert config.lang == "en" and config.tabs == DEFAULT_TABS  # no tabs key: the default tabs


def test_default_tab_the_project_lacks_is_named(tmp_path):
    book = _tree(tmp_path, "[build]\ntabs = paddle, tensorflow\n")
    with pytest.warns(BookWarning) as caught:
        config = read_config(book)
    assert (config.tabs, config.dropped_tabs, config.default_tab) == (("tensorflow",), ("paddle",), "paddle")
    assert any("default tab paddle" in str(w.message) for w in caught)


@pytest.mark.parametrize("config, line", [
    ("tabs = pytorch\n", 1),                       # no section header
    ("[build]\ntabs = a\n[build]\ntabs = b\n", 3),  # a section twice
    ("[build]\ntabs = a\ntabs = b\n", 3),           # a key twice
    ("[build]\ntabs = a\n:junk\n", 3),               # neither key nor continuation
])
def test_invalid_config_is_one_line_naming_it(tmp_path, config, line):
    book = _tree(tmp_path, config)
    with pytest.raises(InvalidArgumentError) as e:
        read_config(book)
    assert f"{book / 'config.ini'}:{line}:" in str(e.value) and "\n" not in str(e.value)


def test_config_naming_no_framework_is_an_error(tmp_path):
    book = _tree(tmp_path, "[build]\ntabs = paddle\n")
    with pytest.warns(BookWarning), pytest.raises(InvalidArgumentError, match="names no framework"):
        read_config(book)


@pytest.mark.parametrize("before, bad", [
    (["# Title", "", "plain"], b"\xff"),
    (["# 제목", "αβγ ok"], b"\xe9t\xe9"),   # Latin-1 text after UTF-8 text: column counts characters
    ([], b"\x80"),
])
def test_not_utf8_names_line_and_column_of_the_first_bad_byte(tmp_path, before, bad):
    prefix = "모멘텀 "
    data = "".join(line + "\n" for line in before).encode() + prefix.encode() + bad + b"\nmore\n"
    path = tmp_path / "bad.md"
    path.write_bytes(data)
    with pytest.raises(InvalidArgumentError) as e:
        read_chapter(path)
    message = str(e.value)
    assert f"{path}:{len(before) + 1}:{len(prefix) + 1}: not UTF-8 (byte 0x{bad[0]:02x}" in message
    assert "save it as UTF-8" in message and "\n" not in message


def test_missing_file_and_folder_are_clear_errors(tmp_path):
    with pytest.raises(InvalidArgumentError, match=r"nope\.md: no such file"):
        read_chapter(tmp_path / "nope.md")
    with pytest.raises(InvalidArgumentError, match="is a folder"):
        read_chapter(tmp_path)
    with pytest.raises(InvalidArgumentError, match="must be a file path"):
        read_chapter(3)


def test_line_ends_and_bom_are_normalised(tmp_path):
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf# A\r\nb\rc\n")
    assert read_utf8(path) == "# A\nb\nc\n"
