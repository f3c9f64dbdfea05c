"""The shared book of two chapters of the d2l-en tree (``_helpers.shared_book``, built on
PyTorch once per process) opened page by page in headless Chromium: English chrome, no d2l markup,
label or bibliography key left in sight, formulas typeset, figures loaded and numbered, every
link inside the book landing on a file and an id that exist, nothing fetched from the network,
and the reader's framework choice left alone by pages that lack it."""
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from d2lmomentum.book.ui import strings

from _helpers import SHARED_BOOK_CHAPTERS, shared_book, shared_tree
from _helpers.browser import goto_typeset, new_probe, open_typeset
from _helpers.dom import parse

CHAPTERS = SHARED_BOOK_CHAPTERS
UI = strings("en")
#: d2l markup and label prefixes that must never reach the reader.
RAW_MARKUP = (":numref:", ":label:", ":cite", ":eqref:", ":width:", ":ref:", "$$")
LABEL_PREFIXES = ("fig_", "sec_", "subsec_", "eq_", "chap_")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """``(out folder, source folder, warnings)`` of the shared two-chapter book."""
    out = shared_book(tmp_path_factory)
    assert shared_book.result.ok, shared_book.result.reports
    return out, shared_tree() / "chapter_optimization", shared_book.warnings


def _pages(out):
    return [out / "index.html", *(out / name / "index.html" for name in CHAPTERS)]


#: What a test needs of a page, read once it is typeset, loaded and its folded parts opened.
READ_PAGE = """() => {
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    const all = selector => Array.from(document.querySelectorAll(selector));
    return {
        lang: document.documentElement.lang,
        fonts: getComputedStyle(document.body).fontFamily.split(',').map(f => f.trim().replace(/"/g, '')),
        summaries: all('.toc summary').map(s => s.innerText),
        text: document.body.innerText,
        formulas: all('.math').map(el => [el.dataset.tex, !!el.querySelector('.katex'),
                                           (el.querySelector('annotation') || {}).textContent]),
        katexErrors: all('.katex-error').length,
        images: all('img').map(i => [i.getAttribute('src'), i.naturalWidth]),
        missing: all('.missing-image').map(m => m.innerText),
        links: all('a[href], link[href], script[src], img[src], iframe[src]').map(e =>
            [e.getAttribute('href') || e.getAttribute('src'), e.href || e.src]),
        figures: all('figure.figure').map(f => [f.id, (f.querySelector('.caption-number') || {}).innerText,
                                                  (f.querySelector('img') || {}).naturalWidth]),
        numrefs: all('a.numref').map(a => [a.getAttribute('href'), a.innerText]),
        contents: all('.book-toc li a').map(a => a.innerText),
        current: all('.book-contents [aria-current=page]').map(a => a.getAttribute('href')),
        number: (document.querySelector('h1 .section-number') || {}).innerText,
        pager: all('nav.pager a').map(a => [a.rel, a.getAttribute('href')]),
        pagerWords: all('nav.pager a span').map(s => s.innerText),
        pagers: all('nav.pager').length,
        toolbars: all('.toolbar').length,
    };
}"""


@pytest.fixture(scope="module")
def seen(book, chromium):
    """Each page (relative path -> what :data:`READ_PAGE` read), visited in one tab; and the tab's
    ``(requests off the machine, console errors, page errors)`` over the whole walk."""
    out, _, _ = book
    probe = new_probe(chromium)
    try:
        pages = {}
        for path in _pages(out):
            goto_typeset(probe, path)
            probe.wait_for_load_state("load")
            pages[path.relative_to(out).as_posix()] = probe.evaluate(READ_PAGE)
        return pages, probe.problems
    finally:
        probe.context.close()


@pytest.fixture(scope="module")
def bib_keys():
    return re.findall(r"^@\w+\{\s*([^,\s]+),", (shared_tree() / "d2l.bib").read_text(encoding="utf-8"), flags=re.M)


def test_the_book_is_built_without_markup_warnings(book):
    out, _, warned = book
    assert [m for m in warned if "unknown" in m] == []
    assert [p.relative_to(out).as_posix() for p in _pages(out) if p.is_file()] == \
        ["index.html", *(f"{name}/index.html" for name in CHAPTERS)]


def test_every_page_is_english_offline_and_error_free(seen):
    pages, problems = seen
    assert problems == ([], [], [])
    for name, page in pages.items():
        assert page["lang"] == "en", name
        assert page["fonts"].index("Liberation Sans") < page["fonts"].index("NanumGothic"), name  # Latin first
        assert page["summaries"][0] == UI["book_contents"], name


def test_no_raw_markup_label_or_bibliography_key_is_in_sight(seen, bib_keys):
    for name, page in seen[0].items():
        text = page["text"]
        assert [m for m in RAW_MARKUP if m in text] == [], name
        assert re.findall(rf"\b(?:{'|'.join(LABEL_PREFIXES)})\w+", text) == [], name
        assert [k for k in bib_keys if k in text] == [], name


def test_every_formula_is_typeset_and_keeps_its_tex(seen):
    for name, page in seen[0].items():
        assert page["katexErrors"] == 0, name
        formulas = page["formulas"]
        typeset = [tex for tex, rendered, annotation in formulas if rendered and annotation == tex]
        assert len(typeset) >= 0.95 * len(formulas), name
    assert all(len(seen[0][f"{name}/index.html"]["formulas"]) >= 10 for name in CHAPTERS)


def test_every_image_is_loaded_and_convexity_numbers_its_figures(book, seen):
    _, src, _ = book
    for name, page in seen[0].items():
        assert [img for img, width in page["images"] if width == 0] == [], name
        assert page["missing"] == [], name
    page = seen[0]["convexity/index.html"]
    text = (src / "convexity.md").read_text(encoding="utf-8")
    labels = re.findall(r"^!\[[^\]]*\]\([^)]+\)\s*\n(?::width:`[^`]*`\s*\n)?:label:`([^`]+)`", text, flags=re.M)
    assert len(labels) == 4
    number = CHAPTERS.index("convexity") + 1
    captions = [UI["figure_caption"].format(number=f"{number}.{k}") for k in range(1, len(labels) + 1)]
    assert [[label, caption] for label, caption, _ in page["figures"]] == [list(p) for p in zip(labels, captions)]
    assert all(width > 0 for _, _, width in page["figures"])
    numbered = dict(zip(labels, captions))  # a :numref: to a figure reads as its caption's number
    refs = [(href[1:], text) for href, text in page["numrefs"] if href[1:] in numbered]
    assert refs and all(text == numbered[label] for label, text in refs)


def _file_of(url):
    parts = urlsplit(url)
    return Path(unquote(parts.path)), unquote(parts.fragment)


def test_every_link_inside_the_book_lands_on_a_file_and_an_id(seen):
    checked, ids = 0, {}
    for name, page in seen[0].items():
        for raw, resolved in page["links"]:
            if re.match(r"https?://", raw):
                continue
            target, fragment = _file_of(resolved)
            assert resolved.startswith("file://") and target.is_file(), (name, raw)
            if fragment:
                if target not in ids:
                    ids[target] = {e.get("id") for e in parse(target.read_text(encoding="utf-8")).iter()}
                assert fragment in ids[target], (name, raw)
            checked += 1
    assert checked > 50


def test_the_contents_and_the_pager_link_the_pages_in_order(seen):
    pages = seen[0]
    titles = pages["index.html"]["contents"]
    assert [t.split(".")[0] for t in titles] == ["1", "2"]
    assert titles[CHAPTERS.index("convexity")].endswith("Convexity")
    assert pages["index.html"]["pagers"] == 0 and pages["index.html"]["toolbars"] == 0
    for i, name in enumerate(CHAPTERS):
        page = pages[f"{name}/index.html"]
        assert page["current"] == [f"../{name}/index.html"]
        assert page["number"] == f"{i + 1}."
        previous = "../index.html" if i == 0 else f"../{CHAPTERS[i - 1]}/index.html"
        following = [["next", f"../{CHAPTERS[i + 1]}/index.html"]] if i + 1 < len(CHAPTERS) else []
        assert page["pager"] == [["prev", previous], *following]
        assert page["pagerWords"][0].endswith(UI["previous"])


def test_a_page_without_the_chosen_framework_shows_its_own_and_keeps_the_choice(book, open_page):
    out, _, _ = book
    page = open_typeset(open_page, out / CHAPTERS[0] / "index.html")
    page.evaluate("localStorage.setItem('d2lmomentum.framework', 'tensorflow')")  # chosen in another book
    for path in (out / "index.html", out / CHAPTERS[1] / "index.html"):
        goto_typeset(page, path)
        assert page.evaluate("localStorage.getItem('d2lmomentum.framework')") == "tensorflow", path
    assert page.evaluate("document.body.dataset.framework") == "pytorch"
    assert page.locator(".panel[data-framework=pytorch] .highlight").first.is_visible()
    page.locator(".toolbar button[data-framework=pytorch]").click()
    assert page.evaluate("localStorage.getItem('d2lmomentum.framework')") == "pytorch"
    assert page.console_errors == [] and page.page_errors == []
