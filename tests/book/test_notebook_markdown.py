"""A notebook's markdown, rendered from the tokens its page is rendered from: in a tiny book built
on PyTorch (two chapters, images in every markdown form, raw HTML, every kind of reference),
every image and reference reads in the notebook as on the page and every relative link of every
page and notebook lands on a file and an id; and, cell by cell, formulas, code, Korean text and
text that looks like markup come through as written, in made-up cells and in real chapters."""
import random
import re
import warnings

import pytest

from d2lmomentum.book import markdown, notebook_markdown
from d2lmomentum.book.bibliography import Bibliography
from d2lmomentum.book.chapter import link, load_chapter, packaged_path
from d2lmomentum.book.references import ChapterTargets, References
from d2lmomentum.book.site import build_book

from d2lmomentum.book.ui import strings

from _helpers import shared_tree
from _helpers.links import Parsed, document, is_relative, markdown_html, notebook_html, target, unresolved_links

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
BIB = "@article{Polyak.1964,\n  title = {A title},\n  author = {Polyak, Boris T},\n  journal = {J},\n" \
      "  year = {1964}\n}\n"
#: Each markdown form of an image in a chapter: (the markdown, the file in img/, its title or None).
IMAGE_FORMS = [("![Plain.](../img/plain.svg)", "plain.svg", None),
               ("![Angle brackets.](<../img/with space.svg>)", "with space.svg", None),
               ('![Titled.](../img/titled.svg "a title")', "titled.svg", "a title"),
               ("![A figure.](../img/figure.svg)\n:label:`fig_one`\n:width:`120px`", "figure.svg", None)]
RAW_HTML = '<img src="../img/raw.svg"> and <b>bold</b>'
ONE = "\n\n".join([
    "# One\n:label:`sec_one`",
    *(form for form, _, _ in IMAGE_FORMS),
    f"Raw HTML is text: {RAW_HTML}.\n\n<div class=\"box\">\n- not a list\n</div>\n\n<!-- a hidden comment -->",
    "$$x_t = \\beta v_{t-1}$$\n:eqlabel:`eq_one`",
    "See :numref:`sec_one`, :numref:`fig_one`, :eqref:`eq_one`, :numref:`sec_two`, :numref:`sec_gd`, "
    ":numref:`sec_nowhere`, :cite:`Polyak.1964`, :citet:`Polyak.1964` and :citep:`Polyak.1964`.",
    "<!-- explorer -->",
    "```{.python .input}\nx = 1\n```\n"])
TWO = "# Two\n:label:`sec_two`\n\nBack to :numref:`sec_one` and :eqref:`eq_one`.\n\n```{.python .input}\ny = 2\n```\n"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """``(out folder, its warnings)`` of the tiny book, built and run on PyTorch."""
    root = tmp_path_factory.mktemp("nbmd")
    (root / "img").mkdir()
    for name in [file for _, file, _ in IMAGE_FORMS] + ["raw.svg"]:
        (root / "img" / name).write_text(SVG, encoding="utf-8")
    (root / "config.ini").write_text("[project]\nlang = en\n[build]\ntabs = pytorch\n", encoding="utf-8")
    (root / "d2l.bib").write_text(BIB, encoding="utf-8")
    part = root / "part"
    part.mkdir()
    (part / "index.md").write_text("# Tiny\n\n```toc\n:maxdepth: 2\n\none\ntwo\n```\n", encoding="utf-8")
    (part / "one.md").write_text(ONE, encoding="utf-8")
    (part / "two.md").write_text(TWO, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build_book(part, root / "out", "pytorch", timeout=120)
    assert result.ok, result.reports
    return root / "out", [str(w.message) for w in caught]


def _page_and_notebook(out, name):
    """``(page path, notebook path)`` of chapter ``name``."""
    return out / name / "index.html", out / name / "pytorch" / f"{name}-pytorch.ipynb"


def test_every_relative_link_in_every_page_and_notebook_resolves_on_disk(book):
    out, _ = book
    broken, checked = unresolved_links(out)
    assert broken == []
    assert checked > 40


def test_each_image_form_in_the_notebook_is_the_file_the_page_shows(book):
    out, _ = book
    page, notebook = _page_and_notebook(out, "one")
    shown = {kind: [(target(path, src)[0], title) for src, _, title in document(path).images if is_relative(src)]
             for kind, path in (("page", page), ("notebook", notebook))}
    assert [file for file, _ in shown["notebook"]] == [file for file, _ in shown["page"]]
    assert [file.name for file, _ in shown["notebook"]] == [file for _, file, _ in IMAGE_FORMS]
    assert all(file.is_file() for file, _ in shown["notebook"])
    assert [title for _, title in shown["notebook"]] == [title for _, _, title in IMAGE_FORMS]


def test_raw_html_is_text_in_page_and_notebook_and_its_image_is_not_copied(book):
    out, _ = book
    for path in _page_and_notebook(out, "one"):
        seen = document(path)
        assert RAW_HTML in seen.text and '<div class="box">\n- not a list\n</div>' in seen.text, path
        assert "a hidden comment" not in seen.text, path
        assert not any(src.endswith("raw.svg") for src, _, _ in seen.images), path
    assert not list(out.rglob("raw.svg"))


def _references(path):
    """What a reader follows of the sentence of references in a document: ``(text, where)`` of
    each link (``where``: ``("itself", id)`` for an id of the document, which it has, else the file
    and id, or the URL) and ``(text, tooltip)`` of each unresolved reference."""
    html = notebook_html(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    sentence = Parsed(re.search(r"See .*?\)\.", html, flags=re.S).group())
    ids = document(path).ids
    links = []
    for _, href, text in sentence.links:
        if href.startswith("#"):
            assert href[1:] in ids, (path, href)
            links.append((text, ("itself", href[1:])))
        else:
            links.append((text, target(path, href) if is_relative(href) else href))
    return links, sentence.spans, re.sub(r"\s+", " ", sentence.text)


def test_references_read_the_same_in_page_and_notebook(book):
    out, _ = book
    page, notebook = _page_and_notebook(out, "one")
    links, spans, text = _references(notebook)
    assert (links, spans) == _references(page)[:2]
    ui = strings("en")
    assert links == [
        (ui["section_ref"].format(number="1"), ("itself", "sec_one")),
        (ui["figure_ref"].format(number="1.1"), ("itself", "fig_one")),
        ("(1.1)", ("itself", "eq_one")),
        (ui["section_ref"].format(number="2"), (out.resolve() / "two" / "index.html", "sec_two")),
        ("Gradient Descent", "https://d2l.ai/chapter_optimization/gd.html"),
        *[(cited, ("itself", "bib-Polyak.1964")) for cited in ("Polyak (1964)", "Polyak (1964)", "Polyak, 1964")]]
    assert spans == [(ui["unknown_ref"]["section"], "sec_nowhere")]
    assert text.endswith("Polyak (1964), Polyak (1964) and (Polyak, 1964).")


def test_the_notebook_links_the_explorer_the_page_embeds(book):
    out, _ = book
    _, notebook = _page_and_notebook(out, "one")
    explorer = [target(notebook, link)[0] for _, link, _ in document(notebook).links if "explorer" in link]
    assert explorer and all(file.is_file() for file in explorer)


# Cell by cell: the notebook's markdown of one parsed cell.

def _alone():
    """The references of an empty chapter alone (the packaged ``.bib``: Polyak.1964)."""
    return References(ChapterTargets([]), Bibliography(), lang="en")


def _notebook(text):
    return notebook_markdown.render(markdown.parse(text), _alone())


@pytest.mark.parametrize("formula", ["$x_t = \\beta v$", "$$\\mathbf{v}_t = \\beta \\mathbf{v}_{t-1} + g_t$$",
                                     "$$\n\\begin{aligned} a &= b \\\\ c &< d_{*} \\end{aligned}\n$$"])
def test_formulas_keep_their_tex_as_jupyter_reads_it(formula):
    assert formula in _notebook(f"Before\n\n{formula}\n\nafter.")
    assert formula in _notebook(f"{formula}\n:eqlabel:`eq_x`\n")


def test_a_labelled_formula_has_its_anchor():
    html = markdown_html(_notebook("$$a = b$$\n:eqlabel:`eq_x`\n"))
    assert "eq_x" in Parsed(html).ids and "eqlabel" not in html


def test_code_fences_and_spans_come_through_as_written():
    fence = "```python\nprint('$x$ <b> *a* :numref:`sec_x`')\n```"
    text = f"A `` `span` `` and `:cite:` code.\n\n{fence}\n"
    notebook = _notebook(text)
    assert fence in notebook and "`` `span` ``" in notebook and "`:cite:`" in notebook


def test_korean_text_is_unchanged():
    korean = "모멘텀은 그래디언트를 시간에 걸쳐 평균 내고,\n평평한 방향에서는 더 멀리 나아갑니다."
    assert _notebook(f"# 모멘텀\n\n{korean}\n") == f"# 모멘텀\n\n{korean}"


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "2 * 3 * 4 and a*b", "snake_case_name and x_1_2",
                                  "[x] and [y]: z", "a `tick and ``two", "costs \\$5 or \\$6", "~one tilde~ and a ~ b",
                                  "&amp; &lt;b&gt; \\*escaped\\* <!-- gone --> \\<i>"])
def test_text_that_looks_like_markup_shows_as_itself(text):
    """As text on the page, so in the notebook: no element, no formula, no strikethrough (Jupyter
    reads ``$…$`` as math and ``~…~`` as struck through)."""
    tokens = markdown.parse(f"Say: {text}")
    page = markdown.render(tokens, {"references": _alone(), "ui": strings("en"), "images": None, "explorer": None})
    notebook = _notebook(f"Say: {text}")
    assert Parsed(markdown_html(notebook)).text == Parsed(page).text
    assert re.findall(r"<(\w+)", markdown_html(notebook)) == re.findall(r"<(\w+)", page) == ["p"]
    assert not re.search(r"(?<!\\)[$~]", notebook)


def _roles_on_the_page(text):
    return sum(t.type == "d2l_role" for tok in markdown.parse(text) for t in (tok.children or []))


@pytest.mark.parametrize("seed", range(40))
def test_the_notebook_resolves_exactly_the_roles_the_page_finds_outside_code(seed):
    """Random lines of backtick runs, words and roles: each role the page resolves is a link in
    the notebook, and each code span the page shows is the same code span there."""
    rng = random.Random(seed)
    text = "".join(rng.choice(["`", "``", "```", "a", " ", ":cite:`Polyak.1964`"]) for _ in range(rng.randint(1, 30)))
    notebook = _notebook(text)
    seen = Parsed(markdown_html(notebook))
    assert [link for _, link, _ in seen.links] == ["#bib-Polyak.1964"] * _roles_on_the_page(text), text

    def spans(tokens):
        return [c.content for t in tokens for c in t.children or [] if c.type == "code_inline"]
    assert spans(markdown.parse(notebook)) == spans(markdown.parse(text)), text


def test_an_inline_formula_over_lines_that_look_like_a_list_keeps_its_tex():
    """TeX reads a line end as a space: the formula is the same, on one line, nothing escaped."""
    notebook = _notebook("We have $a\n2. b$ and $$x\n3) y$$.")
    assert "$a 2. b$" in notebook and "$$x 3) y$$" in notebook


def _formulas_and_code(tokens):
    """Every formula and piece of code of parsed markdown, in order, each with its kind."""
    found = []
    for token in tokens:
        for t in [token, *(token.children or [])]:
            if t.type.startswith("math") or t.type in ("code_inline", "fence", "code_block"):
                found.append((t.type.replace("code_block", "fence"), re.sub(r"\s+", " ", t.content).strip()))
    return found


@pytest.mark.parametrize("name", ["momentum", "optimization-intro", "convexity", "gd", "sgd", "minibatch-sgd",
                                  "momentum-en", "adagrad", "rmsprop", "adadelta", "adam", "lr-scheduler"])
def test_a_real_chapters_formulas_and_code_reach_the_notebook_as_written(name):
    """The packaged chapter and d2l-en's optimization chapters: the notebook's markdown, parsed
    again, has the page's formulas and code, kind by kind, in order."""
    path = packaged_path() if name == "momentum" else \
        shared_tree() / "chapter_optimization" / f"{name.removesuffix('-en')}.md"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # labels of d2l's other chapters
        (chapter,) = link([load_chapter(path)])
        for cell in chapter.cells:
            if cell.kind == "markdown":
                tokens = chapter.tokens[cell.index]
                notebook = notebook_markdown.render(tokens, chapter.references)
                assert _formulas_and_code(markdown.parse(notebook)) == _formulas_and_code(tokens), cell.index


@pytest.mark.parametrize("text", ['![a](x.png "ends in \\\\")', '![a](x.png "a \\\\\\" quote")',
                                  '[l](y.html "ends in \\\\")', '[l](y.html "say \\"hi\\"")'])
def test_a_title_with_backslashes_or_quotes_survives(text):
    """The notebook's image or link has the title the page shows, whatever its backslashes and quotes."""
    tokens = markdown.parse(text)
    notebook = notebook_markdown.render(tokens, _alone(), images={"x.png": ("x.png", None)})

    def titled(toks):
        return [(c.type, c.attrGet("title")) for t in toks for c in (t.children or []) if c.type in ("image", "link_open")]
    assert titled(markdown.parse(notebook)) == titled(tokens) and titled(tokens)[0][1]


def test_an_image_that_was_not_copied_reads_as_the_pages_placeholder():
    tokens = markdown.parse("![a](gone.png)")
    notebook = notebook_markdown.render(tokens, _alone(), images={})
    placeholder = strings("en")["missing_image"].format(name="gone.png")
    page = markdown.render(tokens, {"references": _alone(), "ui": strings("en"), "explorer": None,
                                    "images": lambda ref: (None, placeholder)})
    assert Parsed(markdown_html(notebook)).text.strip() == placeholder and placeholder in Parsed(page).text
    assert "](" not in notebook  # no link to a file that is not there
