"""d2l's references, without a browser: what labels name and how they are numbered (a chapter
alone, a chapter in a book), ``:numref:``/``:eqref:`` within a chapter, across chapters and to
d2l.ai, ``:citet:``/``:citep:`` from a ``.bib``, the notebook's markdown, and the warnings for
what a chapter names but lacks."""
import warnings

import pytest

from d2lmomentum.book import markdown, notebook_markdown
from d2lmomentum.book.chapter import link, load_chapter
from d2lmomentum.book.diagnostics import MarkupWarning
from d2lmomentum.book.notebooks import NOTEBOOK_BASE
from d2lmomentum.book.ui import strings

from _helpers.dom import parse

BIB = "@article{Polyak.1964,\n  title = {A title},\n  author = {Polyak, Boris T},\n  journal = {A journal},\n" \
      "  year = {1964}\n}\n@book{Two.2001,\n  title = {B},\n  author = {Ann One and Bob Two},\n" \
      "  publisher = {P},\n  year = {2001}\n}\n"
FIRST = """# Alpha
:label:`sec_alpha`

## Part
:label:`sec_part`

$$x = 1$$
:eqlabel:`eq_one`

![A caption.](square.svg)
:label:`fig_sq`

See :eqref:`eq_one`, :numref:`fig_sq`, :numref:`sec_part`, :ref:`sec_part` and :numref:`sec_gd`.
As :citet:`Polyak.1964` and :citep:`Polyak.1964,Two.2001`; `` :numref:`kept` ``.
"""
SECOND = "# Beta\n\nBack to :numref:`sec_part` and :eqref:`eq_one`.\n"


def _chapters(tmp_path, *texts, number=True):
    """Chapters of ``texts`` (one.md, two.md, …) in ``tmp_path`` beside a ``config.ini`` (English)
    and ``d2l.bib``, numbered 1, 2, … if ``number``, linked as one book."""
    (tmp_path / "config.ini").write_text("[build]\ntabs = pytorch\n", encoding="utf-8")
    (tmp_path / "d2l.bib").write_text(BIB, encoding="utf-8")
    chapters = []
    for k, text in enumerate(texts, 1):
        name = ("one", "two", "three")[k - 1]
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
        chapters.append(load_chapter(tmp_path / f"{name}.md", number=k if number else None))
    return link(chapters)


def _notebook(chapter, text, base=""):
    """The notebook's markdown of ``text`` as a cell of ``chapter``."""
    return notebook_markdown.render(markdown.parse(text), chapter.references, base=base)


def _resolved(refs, role, target, base=""):
    return [(link.text, link.href, link.online) for link in refs.resolve(role, target, base)]


def test_a_chapter_alone_numbers_figures_and_equations_and_names_sections(tmp_path):
    (alpha,) = _chapters(tmp_path, FIRST, number=False)
    refs = alpha.references
    assert _resolved(refs, "eqref", "eq_one") == [("(1)", "#eq_one", False)]
    assert _resolved(refs, "numref", "fig_sq") == [("Fig. 1", "#fig_sq", False)]
    assert _resolved(refs, "numref", "sec_part") == [("Part", "#sec_part", False)]


def test_in_a_book_chapter_p_numbers_p_1_and_links_across_chapters(tmp_path):
    alpha, beta = _chapters(tmp_path, FIRST, SECOND)
    assert _resolved(alpha.references, "numref", "sec_part") == [("Section 1.1", "#sec_part", False)]
    assert _resolved(alpha.references, "ref", "sec_part") == [("Part", "#sec_part", False)]
    assert _resolved(alpha.references, "numref", "fig_sq") == [("Fig. 1.1", "#fig_sq", False)]
    assert _resolved(beta.references, "numref", "sec_part") == \
        [("Section 1.1", "../one/index.html#sec_part", False)]
    assert _resolved(beta.references, "eqref", "eq_one") == [("(1.1)", "../one/index.html#eq_one", False)]


def test_a_d2l_label_the_book_lacks_links_to_d2l_ai_marked_online(tmp_path):
    (alpha,) = _chapters(tmp_path, FIRST)
    ((text, href, online),) = _resolved(alpha.references, "numref", "sec_gd")
    assert (text, href, online) == ("Gradient Descent", "https://d2l.ai/chapter_optimization/gd.html", True)
    shown = parse(alpha.references.html("numref", "sec_gd"))
    link, mark = shown.elements  # the link, then its mark
    assert link.tag == "a" and link.classes == ["numref", "online"] and link.get("href") == href and link.text == text
    assert mark.tag == "sup" and mark.classes == ["online-mark"] and mark.text == strings("en")["online"]


def test_citations_read_author_year(tmp_path):
    (alpha,) = _chapters(tmp_path, FIRST)
    refs = alpha.references
    for role, keys, text, links in [
            ("citet", "Polyak.1964", "Polyak (1964)", [("#bib-Polyak.1964", "Polyak (1964)")]),
            ("citep", "Polyak.1964,Two.2001", "(Polyak, 1964; One and Two, 2001)",
             [("#bib-Polyak.1964", "Polyak, 1964"), ("#bib-Two.2001", "One and Two, 2001")])]:
        shown = parse(refs.html(role, keys))
        assert shown.text == text
        assert [(a.get("href"), a.text) for a in shown.select("a")] == links
        assert all(a.classes == [role] for a in shown.select("a"))
    # listed in pybtex's plain style: by the first author's last name, One before Polyak
    assert [key for key, _, _ in refs.bibliography_entries("markdown")] == ["Two.2001", "Polyak.1964"]


def test_the_notebooks_markdown_resolves_roles_and_keeps_code(tmp_path):
    alpha, _ = _chapters(tmp_path, FIRST, SECOND)
    text = _notebook(alpha, FIRST, NOTEBOOK_BASE)
    assert '# <a id="sec_alpha"></a>Alpha' in text
    assert "See [(1.1)](#eq_one), [Fig. 1.1](#fig_sq), [Section 1.1](#sec_part), [Part](#sec_part) and " \
           "[Gradient Descent](https://d2l.ai/chapter_optimization/gd.html)." in text
    assert "As [Polyak (1964)](#bib-Polyak.1964) and ([Polyak, 1964](#bib-Polyak.1964); " \
           "[One and Two, 2001](#bib-Two.2001)); `` :numref:`kept` ``." in text


@pytest.mark.parametrize("label, phrase", [("sec_model_selection", "a section not in this book"),
                                           ("fig_nowhere", "a figure not in this book"),
                                           ("eq_nowhere", "an equation not in this book"),
                                           ("odd", "a part not in this book")])
def test_an_unknown_label_reads_as_a_phrase_in_the_books_language_the_label_in_its_tooltip(tmp_path, label, phrase):
    (chapter,) = _chapters(tmp_path, f"# T\n\nSee :numref:`{label}`.\n")
    assert chapter.lang == "en"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = chapter.references.html("numref", label)
        notebook = _notebook(chapter, f"See :numref:`{label}`.")
    assert [str(w.message) for w in caught if issubclass(w.category, MarkupWarning)] == [
        f"unknown label in :numref: {label!r} in one: shown as a phrase, the label in its tooltip"]
    for rendered in (page, notebook):
        shown = parse(rendered)
        assert _spans(shown) == [(phrase, label)]  # (what a reader reads, its tooltip)
        assert label not in shown.text and label.replace("_", "\\_") not in shown.text and ":numref:" not in shown.text
    assert parse(page).select_one("span.unresolved").get("data-label") == label


def test_an_unknown_label_in_a_korean_book_is_a_korean_phrase(tmp_path):
    (chapter,) = _chapters(tmp_path, "# T\n\n:numref:`sec_model_selection`\n")
    refs = chapter.references
    refs.lang, refs.ui = "ko", strings("ko")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shown = parse(refs.html("numref", "sec_model_selection"))
    assert _spans(shown) == [("이 책에 없는 절", "sec_model_selection")]


def _spans(shown):
    """Each span's text and its tooltip (``title``)."""
    return [(span.text, span.get("title")) for span in shown.select("span")]


@pytest.mark.parametrize("markup, message", [
    (":citet:`Nobody.1900`", "unknown citation key 'Nobody.1900' in one: shown as plain text"),
    (":frobnicate:`x`", "unknown d2l markup ':frobnicate:' in one: shown as plain text"),
])
def test_what_a_chapter_names_but_lacks_is_a_warning_and_plain_text(tmp_path, markup, message):
    (chapter,) = _chapters(tmp_path, f"# T\n\nSee {markup}.\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = _notebook(chapter, f"See {markup}.")
    assert [str(w.message) for w in caught if issubclass(w.category, MarkupWarning)] == [message]
    assert "](" not in text and markup.split("`")[1].replace("_", "\\_") in text


def test_a_label_defined_twice_in_a_chapter_keeps_the_first(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = "# T\n\n## A\n:label:`sec_x`\n\n## B\n:label:`sec_x`\n"
        (chapter,) = _chapters(tmp_path, text)
    second = text.splitlines().index("## B") + 1  # the line of the second definition, in the file
    assert [str(w.message) for w in caught] == \
        [f"label 'sec_x' is defined twice in one (line {second}); the first one is used"]
    assert chapter.references.resolve("ref", "sec_x")[0].text == "A"
