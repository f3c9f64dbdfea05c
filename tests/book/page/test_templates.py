"""The page's templates (d2lmomentum.book.page.templates), read as a reader's browser parses them:
one strict, autoescaping environment; a chapter's page built from made-up run reports (no kernel)
whose title, cell outputs, error messages, notebook names and neighbours' titles all look like
HTML, and show as text; the run summary, the code groups, the folded solutions, the pager, the
contents and the book's index each where page.js and page.css look for them."""
import jinja2
import pytest
from markupsafe import Markup

from d2lmomentum.backends import DISPLAY_NAMES
from d2lmomentum.book.cells import SOLUTION_BEGIN, SOLUTION_END
from d2lmomentum.book.chapter import link, load_chapter
from d2lmomentum.book.diagnostics import collect_markup_warnings
from d2lmomentum.book.page import ContentsEntry, Navigation, build_page
from d2lmomentum.book.page.templates import TAB_RULES, environment, render
from d2lmomentum.book.report import CellReport, CellStatus, RunReport
from d2lmomentum.book.ui import strings

from _helpers.dom import parse

UI = strings("en")
FRAMEWORKS = ("pytorch", "tensorflow", "jax")
#: Text that would be live markup if it were not escaped; every test shows it as text.
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"q\" 'a'"
CHAPTER = f"""# Title {HOSTILE}

Prose before the code.

## A section

```{{.python .input}}
#@tab all
print(1)
```

Between the groups.

```{{.python .input}}
#@tab pytorch
print('only pytorch')
```

## Exercises

{SOLUTION_BEGIN}

The answer is below.

```{{.python .input}}
#@tab all
print('solved')
```

{SOLUTION_END}
"""
#: The chapter's title as its page names it: its heading's text, the raw HTML in it left out.
TITLE = "Title alert(1) & \"q\" 'a'"
RAN_AT = "2026-01-02T03:04:05+00:00"


def _cell(index, status=CellStatus.OK, error=None, outputs=(), seconds=0.25):
    figures = [o["file"] for o in outputs if o["type"] == "figure"]
    return CellReport(index=index, tabs=list(FRAMEWORKS), source="", line=1, status=status, error=error,
                      seconds=seconds, figures=figures, outputs=list(outputs))


#: PyTorch's run: every cell ran, one printed hostile text and drew a figure; TensorFlow's run
#: failed at its first cell, its kernel died before the solution's, and it was reused from the cache;
#: JAX's kernel did not start.
REPORTS = {
    "pytorch": RunReport(chapter="hostile", framework="pytorch", seconds=2.5, notebook="a#b?% <x>.ipynb", cells=[
        _cell(1, outputs=[{"type": "stream", "name": "stdout", "text": HOSTILE + "\n"},
                          {"type": "figure", "file": "cell01-0.png"}]),
        _cell(3, outputs=[{"type": "value", "text": "'only pytorch'"}]),
        _cell(6)]),
    "tensorflow": RunReport(chapter="hostile", framework="tensorflow", seconds=1.5, notebook="hostile-tf.ipynb",
                            error="kernel died", cached=True, ran_at=RAN_AT, cells=[
        _cell(1, CellStatus.FAILED, error=f"ValueError: {HOSTILE}",
              outputs=[{"type": "error", "text": f"Traceback\nValueError: {HOSTILE}"}]),
        _cell(6, CellStatus.NOT_RUN, error=f"the kernel died {HOSTILE}")]),
    "jax": RunReport(chapter="hostile", framework="jax", seconds=0.5, error=f"no kernel: {HOSTILE}", cells=[]),
}
NAV_TITLES = (f"1. Before {HOSTILE}", f"3. After {HOSTILE}")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The chapter's page in a book, between two chapters, parsed."""
    root = tmp_path_factory.mktemp("templates")
    (root / "config.ini").write_text(f"[project]\nlang = en\n[build]\ntabs = {', '.join(FRAMEWORKS)}\n",
                                     encoding="utf-8")
    (root / "hostile.md").write_text(CHAPTER, encoding="utf-8")
    (chapter,) = link([load_chapter(root / "hostile.md")])
    nav = Navigation(site=root / "out", contents=(ContentsEntry("../before/index.html", 1, f"Before {HOSTILE}"),
                                                  ContentsEntry("../hostile/index.html", 2, chapter.title(), True)),
                     previous=("../before/index.html", NAV_TITLES[0]), following=("../after/index.html", NAV_TITLES[1]),
                     home="../index.html", brand=f"Book {HOSTILE}")
    with collect_markup_warnings() as warned:
        path = build_page(chapter, root / "out" / "hostile", REPORTS, FRAMEWORKS, nav=nav)
    assert warned == []  # the title's <img src=x> is raw HTML, shown as text: no image is looked for
    return parse(path.read_text(encoding="utf-8"))


def test_the_environment_is_made_once_escapes_every_value_and_refuses_a_missing_one():
    assert environment() is environment() and environment().autoescape
    shown = parse(render("pager.html", nav=Navigation(site=".", previous=("p.html", HOSTILE)), ui=UI))
    assert shown.select_one("a[rel=prev]").text == f"{UI['previous']} {HOSTILE}"
    assert [e.tag for e in shown.iter()] == ["nav", "a", "span"]
    with pytest.raises(jinja2.UndefinedError):
        render("pager.html", ui=UI)  # no nav


def test_safe_html_is_kept_and_only_it():
    shown = parse(render("bibliography.html", entries=[("k", HOSTILE, Markup("<em>Kept</em>"))], ui=UI))
    (entry,) = shown.select(".bibliography li")
    assert entry.get("id") == "bib-k" and entry.select_one(".bib-label").text == HOSTILE
    assert [e.tag for e in entry.iter()] == ["span", "em"] and entry.select_one("em").text == "Kept"


def test_nothing_hostile_is_an_element_or_an_event_handler(page):
    assert [(s.get("src"), s.text) for s in page.select("script")] == \
        [("../_static/katex/katex.min.js", ""), ("../_static/page.js", "")]  # the page's own, none else
    assert not [(e.tag, name) for e in page.iter() for name in e.attrs if name.startswith("on")]
    assert [img.get("src") for img in page.select("img")] == ["pytorch/cell01-0.png"]
    assert page.select_one("h1").text.startswith(f"Title {HOSTILE}")  # the chapter's raw HTML, as text
    assert page.select_one("title").text == f"{TITLE} — Book {HOSTILE}"
    assert page.select_one("header .brand").text == f"Book {HOSTILE}"


def test_the_pager_links_the_previous_and_next_chapters_by_title(page):
    pager = page.select_one("nav.pager")
    assert pager.get("aria-label") == f"{UI['previous']} / {UI['next']}"
    links = [(a.get("rel"), a.get("class"), a.get("href"), a.select_one("span").text, a.text) for a in pager.select("a")]
    assert links == [
        ("prev", "pager-previous", "../before/index.html", UI["previous"], f"{UI['previous']} {NAV_TITLES[0]}"),
        ("next", "pager-next", "../after/index.html", UI["next"], f"{UI['next']} {NAV_TITLES[1]}")]


def test_the_contents_link_the_book_and_mark_this_chapter(page):
    contents = page.select_one("nav.toc .book-contents")
    assert contents.select_one("summary").text == UI["book_contents"]
    assert [(a.get("href"), a.text, a.get("aria-current")) for a in contents.select("li a")] == [
        ("../index.html", f"Book {HOSTILE}", None), ("../before/index.html", f"1. Before {HOSTILE}", None),
        ("../hostile/index.html", f"2. {TITLE}", "page")]
    sections = page.select_one("nav.toc").select("details")[1]
    assert [(li.get("class"), li.text) for li in sections.select("li")] == \
        [("toc-2", "A section"), ("toc-2", "Exercises")]


def test_the_summary_has_a_row_per_framework_with_its_counts_status_and_links(page):
    table = page.select_one("section.run-summary table")
    assert table.select_one("caption").text == UI["run_caption"]
    assert [th.text for th in table.select("thead th")] == list(UI["run_columns"])
    rows = [[cell.text for cell in tr.elements] for tr in table.select("tbody tr")]
    when = RAN_AT.replace("T", " ").replace("+00:00", " UTC")
    assert rows == [
        ["PyTorch", "3", "3", "1", "2.5", "✓", "a#b?% <x>.ipynb", "report.json"],
        ["TensorFlow", "2", "0", "0", "1.5", f"✗ {UI['cell'].format(index=1)} · {UI['reused'].format(when=when)}",
         "hostile-tf.ipynb", "report.json"],
        ["JAX", "0", "0", "0", "0.5", f"✗ no kernel: {HOSTILE}", "", "report.json"]]
    assert [a.get("href") for a in table.select("a")] == ["pytorch/a%23b%3F%25%20%3Cx%3E.ipynb", "pytorch/report.json",
                                                          "tensorflow/hostile-tf.ipynb", "tensorflow/report.json",
                                                          "jax/report.json"]
    assert [s.get("data-ran-at") for s in table.select(".status span.reused")] == [RAN_AT]  # PyTorch's ran now


def test_code_groups_have_a_tab_and_a_panel_per_framework_with_each_cells_outputs(page):
    first, second = page.select("article.chapter > .code-group")
    assert first.get("data-frameworks") == " ".join(FRAMEWORKS) and second.get("data-frameworks") == "pytorch"
    assert [(b.get("role"), b.get("data-framework"), b.text) for b in first.select(".tabs button")] == \
        [("tab", fw, DISPLAY_NAMES[fw]) for fw in FRAMEWORKS]
    panels = first.select(".panels > section.panel[role=tabpanel]")
    assert [(p.get("data-framework"), p.select_one("h4.panel-title").text) for p in panels] == \
        [(fw, DISPLAY_NAMES[fw]) for fw in FRAMEWORKS]
    pytorch, tensorflow, jax = (p.select_one(".cell") for p in panels)
    assert pytorch.get("id") == "pytorch-cell-1" and pytorch.select_one(".highlight").text.strip() == "print(1)"
    assert pytorch.select_one("pre.output.stream.stdout").text == HOSTILE
    image = pytorch.select_one("img")
    assert image.get("alt") == UI["figure_alt"].format(framework="PyTorch", index=1)
    assert pytorch.select_one(".cell-meta").text == f"{UI['cell'].format(index=1)} · 0.25 s"
    assert tensorflow.select_one("pre.output.error").text == f"Traceback\nValueError: {HOSTILE}"
    assert tensorflow.select_one("p.cell-error").text == f"ValueError: {HOSTILE}"
    assert [e.get("class") for e in jax.elements] == ["highlight"]  # not run: its code alone
    assert second.select_one("pre.output.value").text == "'only pytorch'"


def test_a_solution_is_folded_with_its_prose_and_code(page):
    (solution,) = page.select("article.chapter > details.solution")
    assert "open" not in solution.attrs and solution.select_one("summary").text == UI["solution"]
    body = solution.select_one(".solution-body")
    assert solution.select_one(".solution-body > p").text == "The answer is below."
    cells = {c.get("id"): c for c in body.select(".code-group .cell")}
    assert sorted(cells) == ["jax-cell-6", "pytorch-cell-6", "tensorflow-cell-6"]
    assert cells["tensorflow-cell-6"].select_one("p.not-run").text == f"{UI['not_run']}: the kernel died {HOSTILE}"
    assert cells["pytorch-cell-6"].select("p") == []


def test_the_shell_has_the_toolbar_and_the_tab_rules_page_js_and_css_need(page):
    body = page.select_one("body")
    assert (body.get("class"), body.get("data-framework"), body.get("data-frameworks")) == \
        ("view-tabs", "pytorch", " ".join(FRAMEWORKS))
    toolbar = page.select_one("header.site-header > .toolbar[role=toolbar]")
    assert toolbar.get("aria-label") == UI["code_view"]
    assert [(b.get("data-framework"), b.text) for b in toolbar.select(".framework-choice[role=group] button")] == \
        [(fw, DISPLAY_NAMES[fw]) for fw in FRAMEWORKS]
    assert [(b.get("data-view"), b.text) for b in toolbar.select(".view-choice[role=group] button")] == \
        [("tabs", UI["tabs"]), ("side", UI["side_by_side"])]
    assert page.select_one("head style").text == TAB_RULES
    for fw in FRAMEWORKS:
        assert f'.view-tabs[data-framework="{fw}"] .panel:not([data-framework="{fw}"])' in TAB_RULES
    assert page.select_one("footer.site-footer").text == UI["footer"]


def test_the_book_index_lists_the_chapters_and_the_unreadable_files_as_text():
    rows = (ContentsEntry("a/index.html", 1, HOSTILE), ContentsEntry("b%20c/index.html", 2, "Plain"))
    shown = parse(render("book_index.html", title=HOSTILE, brand=HOSTILE, home="#", lang="en", static="_static",
                         frameworks=[], ui=UI, prose=Markup("<p>Intro</p>"), entries=[], rows=rows,
                         contents_home="index.html", unreadable=[HOSTILE]))
    assert shown.select(".toolbar") == [] and shown.select_one("body").get("data-frameworks") == ""
    listing = shown.select_one("article.book-index > section.book-toc")
    assert [(a.get("href"), a.text) for a in listing.select("li > a")] == \
        [("a/index.html", f"1. {HOSTILE}"), ("b%20c/index.html", "2. Plain")]
    assert [li.text for li in listing.select("li.unreadable")] == [HOSTILE]
    assert shown.select_one("article.book-index > p").text == "Intro"
    assert [(a.get("href"), a.text) for a in shown.select(".book-contents li a")] == \
        [("index.html", HOSTILE), ("a/index.html", f"1. {HOSTILE}"), ("b%20c/index.html", "2. Plain")]
    assert not [e for e in shown.iter() if e.tag in ("script", "img") and not e.get("src", "").endswith(".js")]
