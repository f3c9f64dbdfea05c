"""Chapters named by their path in the book (d2lmomentum.book.names): d2l's part layout
(``a/index``, ``a/ch``, ``b/index``, ``b/ch``) gives four pages whose links all resolve; a file
whose name is not a safe folder (``...md``, ``..md``, ``_static.md``) is refused with a warning
naming it, and nothing is written outside the output folder."""
import urllib.parse
from pathlib import Path

import pytest

from d2lmomentum.book import names
from d2lmomentum.book.diagnostics import collect_markup_warnings
from d2lmomentum.book.site import build_book
from d2lmomentum.errors import InvalidArgumentError

from _helpers import snapshot
from _helpers.dom import parse

PARTS = ("a/index", "a/ch", "b/index", "b/ch")


def _hrefs(document):
    return [a.get("href") for a in document.select("a[href]")]


def _ids(document):
    return {e.get("id") for e in document.iter()}


def _part_book(root):
    src = root / "src"
    for part, other in (("a", "b"), ("b", "a")):
        (src / part).mkdir(parents=True)
        (src / part / "index.md").write_text(
            f"# Part {part}\n:label:`sec_{part}_index`\n\nSee :numref:`sec_{other}_ch` and :numref:`sec_{other}_index`.\n",
            encoding="utf-8")
        (src / part / "ch.md").write_text(f"# Chapter {part}\n:label:`sec_{part}_ch`\n\nBack to "
                                          f":numref:`sec_{part}_index`.\n\n```{{.python .input}}\n#@tab pytorch\nprint(1)\n```\n",
                                          encoding="utf-8")
    (src / "index.md").write_text("# Parts\n\n```toc\n" + "\n".join(PARTS) + "\n```\n", encoding="utf-8")
    return src


def test_same_named_chapters_are_four_pages_with_working_links(tmp_path):
    src = _part_book(tmp_path)
    with collect_markup_warnings() as warned:
        result = build_book(src, tmp_path / "out", "pytorch", execute=False)
    assert warned == []
    out = tmp_path / "out"
    assert sorted(result.pages) == sorted(PARTS)
    pages = [out / "index.html", *(out / p / "index.html" for p in PARTS)]
    titles = {}
    for page in pages:
        document = parse(page.read_text(encoding="utf-8"))
        titles[page] = document.select_one("h1").text
        for href in _hrefs(document):
            url = urllib.parse.urlsplit(href)
            if url.scheme:
                continue
            target = (page.parent / urllib.parse.unquote(url.path)).resolve() if url.path else page
            assert target.is_file(), (page, href)
            if url.fragment:
                assert url.fragment in _ids(parse(target.read_text(encoding="utf-8"))), (page, href)
    assert len(set(titles.values())) == 5
    # every page links to the four chapters (contents, pager)
    links = _hrefs(parse((out / "a/ch/index.html").read_text(encoding="utf-8")))
    assert {h for h in links if h.endswith("/index.html") and h.count("/") == 4} == \
        {f"../../{p}/index.html" for p in PARTS}
    # the notebooks are named after the file and sit in each chapter's own folder
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.ipynb")) == \
        ["a/ch/pytorch/ch-pytorch.ipynb", "b/ch/pytorch/ch-pytorch.ipynb"]


@pytest.mark.parametrize("bad", ["...md", "..md", "_static.md", ".hidden.md", "pytorch.md", "new\x1bline.md"])
def test_an_unsafe_chapter_name_is_refused_and_nothing_leaves_out(tmp_path, bad):
    book = tmp_path / "book"
    book.mkdir()
    (book / "good.md").write_text("# Good\n\ntext\n", encoding="utf-8")
    (book / bad).write_text("# Bad\n\ntext\n", encoding="utf-8")
    (tmp_path / "index.html").write_text("the user's own page", encoding="utf-8")
    before = snapshot(tmp_path)
    with collect_markup_warnings() as warned:
        result = build_book(book, tmp_path / "book-out" / "site", "pytorch", execute=False)
    assert list(result.pages) == ["good"]
    refused = [m for m in warned if "rename the file" in m]
    assert len(refused) == 1 and str(book / bad) in refused[0]
    after = snapshot(tmp_path)
    assert {p: data for p, data in after.items() if not p.startswith("book-out/site/")} == before


@pytest.mark.parametrize("name, problem", [
    ("a/../b", "'.'"), ("pytorch", "builder's own"), ("explorer", "builder's own"), ("x\\y", "backslash"),
    ("", "empty"), ("index.html", "builder's own"),
])
def test_component_problems(name, problem):
    assert problem in next(filter(None, map(names.component_problem, name.split("/"))))


def test_names_and_links(tmp_path):
    (tmp_path / "p").mkdir()
    assert names.chapter_name(tmp_path / "p" / "a b#c?.md", tmp_path) == "p/a b#c?"
    assert names.page_href("p/a b#c?%") == "p/a%20b%23c%3F%25/index.html"
    assert names.up("p/x") == "../../" and names.up(names.INDEX_CHAPTER) == ""
    with pytest.raises(InvalidArgumentError, match=r"chapter .*index\.md: the name of the book's own index page"):
        names.chapter_name(tmp_path / "index.md", tmp_path)
    assert Path(names.file_stem("p/x")) == Path("x")


def test_the_run_summary_links_a_notebook_whose_name_has_url_characters():
    from d2lmomentum.book.page import summary
    from d2lmomentum.book.page.templates import render
    from d2lmomentum.book.report import RunReport
    from d2lmomentum.book.ui import strings
    report = RunReport(chapter="a#b?%", framework="pytorch", cells=[], notebook="a#b?%-pytorch.ipynb")
    ui = strings("en")
    table = parse(render("summary.html", rows=summary.rows({"pytorch": report}, ui), ui=ui))
    link = table.select("a")[0]
    assert link.get("href") == "pytorch/a%23b%3F%25-pytorch.ipynb" and link.text == "a#b?%-pytorch.ipynb"
    assert urllib.parse.unquote(urllib.parse.urlsplit(link.get("href")).path) == "pytorch/a#b?%-pytorch.ipynb"
