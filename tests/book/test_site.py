"""A folder of chapters as one book (``d2lmomentum.book.site.build_book``): a tiny book built
once on PyTorch (numbered contents in toc order, each chapter's folder as ``run_chapter``
writes it, references between chapters, figures, images, citations from a ``d2l.bib`` up the
tree), bad parts left out with a warning naming file and line, and two chapters of d2l-en's
own optimization part built as a book, every link of its pages and notebooks landing on a file."""
import json
import re

import pytest

from d2lmomentum.book.diagnostics import collect_markup_warnings
from d2lmomentum.book.site import build_book
from d2lmomentum.cli.main import main as cli_main
from d2lmomentum.errors import InvalidArgumentError

from _helpers import SHARED_BOOK_CHAPTERS, files_under, read_report, shared_book, shared_book_run, write_chapter
from _helpers.dom import parse
from _helpers.links import document, unresolved_links

SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
BIB = "@article{Polyak.1964,\n  title = {A title},\n  author = {Polyak, Boris T},\n  journal = {A journal},\n" \
      "  year = {1964}\n}\n"
#: index.md's toc: the readable chapters (in this order) and three bad entries among them.
TOC = ("one", "two", "missing", "latin", "open", "three")
CHAPTERS = {
    "one": "# First Chapter\n:label:`sec_one`\n\nAs :citet:`Polyak.1964` showed, and so :citep:`Polyak.1964`.\n\n"
           "![A black square.](../img/square.svg)\n:label:`fig_square`\n:width:`120px`\n\n"
           "![Outside.](../../outside.svg)\n\n```{.python .input}\n#@tab all\nprint(6 * 7)\n```\n",
    "two": "# Second Chapter\n:label:`sec_two`\n\nSee :numref:`sec_one` and :numref:`fig_square`.\n\n"
           "## Twice\n:label:`sec_dup`\n\n```{.python .input}\n#@tab pytorch\nprint('two')\n```\n",
    "three": "# Third Chapter\n\n## Again\n:label:`sec_dup`\n\nBack to :numref:`sec_two`.\n",
}
BUILT = ("one", "two", "three")


def _book_tree(root):
    """``root/book``: config.ini, d2l.bib and img/ at the top, the chapters in ``part/``."""
    top, part = root / "book", root / "book" / "part"
    (top / "img").mkdir(parents=True)
    part.mkdir()
    (top / "config.ini").write_text("[build]\ntabs = pytorch, mxnet\n", encoding="utf-8")
    (top / "d2l.bib").write_text(BIB, encoding="utf-8")
    (top / "img" / "square.svg").write_text(SQUARE, encoding="utf-8")
    (root / "outside.svg").write_text(SQUARE, encoding="utf-8")
    toc = "\n".join(TOC)
    (part / "index.md").write_text(f"# A Tiny Book\n\nIntro text.\n\n```toc\n:maxdepth: 2\n\n{toc}\n```\n",
                                   encoding="utf-8")
    for name, text in CHAPTERS.items():
        (part / f"{name}.md").write_text(text, encoding="utf-8")
    (part / "latin.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (part / "open.md").write_text("# Open\n\n```{.python .input}\nx = 1\n", encoding="utf-8")
    return part


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    part = _book_tree(root)
    with collect_markup_warnings() as warned:
        result = build_book(part, root / "out", "pytorch", timeout=60)
    return part, root / "out", result, warned


def _page(out, name=None):
    """The book's index, or chapter ``name``'s page, parsed."""
    return parse((out / (f"{name}/index.html" if name else "index.html")).read_text(encoding="utf-8"))


def _links(page, css):
    """``(href, text)`` of the links ``css`` selects."""
    return [(a.get("href"), a.text) for a in page.select(css)]


def _figures(page):
    """``(id, image, caption number, caption)`` of each labelled figure."""
    return [(f.get("id"), f.select_one("img").get("src"), f.select_one(".caption-number").text,
             f.select_one("figcaption").text) for f in page.select("figure.figure[id]")]


def test_the_index_lists_the_chapters_in_toc_order_with_numbers(book):
    _, out, result, _ = book
    assert result.index == out / "index.html"
    titles = {name: re.match(r"# (.+)", CHAPTERS[name]).group(1) for name in BUILT}
    listed = [(a.get("href"), a.select_one(".section-number").text, a.text)
              for a in _page(out).select(".book-toc li a")]
    assert listed == [(f"{name}/index.html", f"{k}.", f"{k}. {titles[name]}") for k, name in enumerate(BUILT, 1)]


def test_each_chapter_folder_has_what_run_chapter_writes(book):
    _, out, result, _ = book
    assert sorted(result.pages) == sorted(BUILT)
    for name in ("one", "two"):
        assert files_under(out / name) == sorted(["index.html", f"pytorch/{name}-pytorch.ipynb", "pytorch/report.json"])
        report = read_report(out / name)
        assert report == result.reports[name, "pytorch"].to_dict() and report["ok"]
    assert files_under(out / "three") == ["index.html"]  # no code cell: no run
    assert read_report(out / "one")["cells"][0]["stdout"] == "42\n"


def test_a_numref_across_chapters_is_a_local_link_with_its_number(book):
    _, out, _, _ = book
    two = _page(out, "two")
    assert _links(two, "a.numref") == [("../one/index.html#sec_one", "Section 1"),
                                       ("../one/index.html#fig_square", "Fig. 1.1")]
    assert _links(_page(out, "three"), "a.numref") == [("../two/index.html#sec_two", "Section 2")]
    assert two.select_one("h2#sec_dup").text.startswith("2.1. Twice")


def test_a_labelled_image_is_a_numbered_figure_at_its_width_and_copied(book):
    _, out, _, _ = book
    one = _page(out, "one")
    assert _figures(one) == [("fig_square", "../_images/img/square.svg", "Fig. 1.1", "Fig. 1.1 A black square.")]
    image = one.select_one("figure.figure img")
    assert image.get("alt") == "A black square." and image.get("style") == "width: 120px"
    assert (out / "_images" / "img" / "square.svg").read_text(encoding="utf-8") == SQUARE


def test_an_image_leading_out_of_the_book_is_refused_with_a_warning(book):
    part, out, _, warned = book
    (message,) = [w for w in warned if "outside.svg" in w]
    assert message.startswith(f"{part / 'one.md'}:10: image '../../outside.svg' refused")
    (placeholder,) = _page(out, "one").select("figure.figure .missing-image[role=img]")
    assert placeholder.get("aria-label") == "Outside." and "outside.svg" in placeholder.text
    assert not [f for f in files_under(out) if f.endswith("outside.svg")]


def test_citations_come_from_the_d2l_bib_up_the_tree(book):
    _, out, _, _ = book
    one = _page(out, "one")
    assert _links(one, "a.citet, a.citep") == [("#bib-Polyak.1964", "Polyak (1964)"), ("#bib-Polyak.1964", "Polyak, 1964")]
    assert "As Polyak (1964) showed, and so (Polyak, 1964)." in one.select_one("article.chapter").text
    (entry,) = one.select(".bibliography li")
    assert entry.get("id") == "bib-Polyak.1964" and "A title" in entry.text


def test_bad_chapters_are_warnings_naming_file_and_line_and_the_rest_is_built(book):
    part, out, result, warned = book
    index = part / "index.md"
    toc_line = index.read_text(encoding="utf-8").splitlines().index("missing") + 1
    expected = [f"{index}:{toc_line}: toc entry 'missing': no file {part / 'missing.md'}; left out",
                f"chapter {part / 'latin.md'}:1:6: not UTF-8",
                f"{part / 'open.md'}:3: a code cell is never closed"]
    for start in expected:
        assert sum(w.startswith(start) for w in warned) == 1, (start, warned)
    assert [c.name for c in result.chapters] == list(BUILT)
    assert [li.text for li in _page(out).select(".book-toc li.unreadable")] == ["latin.md", "open.md"]


def test_a_label_two_chapters_define_is_a_warning_naming_both(book):
    part, _, _, warned = book
    two, three = (f"{part / name}.md:{CHAPTERS[name].splitlines().index(heading) + 1}"
                  for name, heading in (("two", "## Twice"), ("three", "## Again")))
    assert f"label 'sec_dup' is defined in {two} and again in {three}; references go to {two}" in warned


def test_nothing_is_left_half_written(book):
    _, out, _, _ = book
    assert not [f for f in files_under(out) if ".part" in f]


def test_the_cli_prints_each_warning_once_and_builds_the_rest(tmp_path, capsys):
    part = _book_tree(tmp_path)
    for name in ("one", "two"):  # what is left has no code cell: no kernel starts
        (part / f"{name}.md").unlink()
    assert cli_main(["book", str(part), "--out", str(tmp_path / "out"), "--backend", "pytorch"]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert all(line.startswith("d2lmomentum: warning: ") for line in lines) and len(set(lines)) == len(lines)
    for name in ("one", "two", "missing"):
        assert sum(f"toc entry '{name}': no file {part / name}.md; left out" in line for line in lines) == 1
    assert sum("latin.md:1:6: not UTF-8" in line for line in lines) == 1
    assert captured.out.splitlines()[-1].startswith("book: 1 chapters, 0/0 runs ok, ")
    assert files_under(tmp_path / "out" / "three") == ["index.html"]


def test_a_folder_without_chapters_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "index.md").write_text("# Only an index\n", encoding="utf-8")
    assert cli_main(["book", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == f"d2lmomentum: error: no chapter in {tmp_path}: no .md file but index.md; " \
                  "give a folder of d2l-format markdown chapters\n"
    assert not (tmp_path / "out").exists()


def test_the_book_may_not_be_written_into_its_own_folder(tmp_path):
    write_chapter(tmp_path, "print(1)")
    with pytest.raises(InvalidArgumentError, match="is the source folder"):
        build_book(tmp_path, tmp_path, force=True)


@pytest.fixture(scope="module")
def d2l_book(tmp_path_factory):
    return shared_book(tmp_path_factory)


def test_d2l_ens_chapters_build_as_a_book_every_cell_ok(d2l_book):
    run = shared_book_run()
    assert run.chapters == list(SHARED_BOOK_CHAPTERS) and run.ok
    for name in SHARED_BOOK_CHAPTERS:
        report = json.loads((d2l_book / name / "pytorch" / "report.json").read_text(encoding="utf-8"))
        assert report["ok"], [(c["index"], c["error"]) for c in report["cells"] if not c["ok"]]
        assert report == run.reports[name, "pytorch"]
        assert all((d2l_book / name / "pytorch" / f).stat().st_size > 1000 for c in report["cells"]
                   for f in c["figures"])
    assert [w for w in run.warnings if "jax" not in w] == []  # every label, citation, image resolves


def test_d2l_ens_convexity_figures_are_numbered_with_their_images(d2l_book):
    number = SHARED_BOOK_CHAPTERS.index("convexity") + 1
    figures = _figures(_page(d2l_book, "convexity"))
    assert [n for _, _, n, _ in figures] == [f"Fig. {number}.{k}" for k in range(1, len(figures) + 1)]
    assert len(figures) == 4 and all(label.startswith("fig_") for label, _, _, _ in figures)
    for _, image, _, _ in figures:
        assert image.startswith("../_images/img/") and image.endswith(".svg")
        assert (d2l_book / "_images" / "img" / image.removeprefix("../_images/img/")).stat().st_size > 100


def test_every_relative_link_of_d2l_ens_pages_and_notebooks_resolves_on_disk(d2l_book):
    """Figures included: each notebook's images point at the copies beside the pages."""
    broken, checked = unresolved_links(d2l_book)
    assert broken == []
    notebook = d2l_book / "convexity" / "pytorch" / "convexity-pytorch.ipynb"
    assert len(document(notebook).images) == 4 and checked > 100
