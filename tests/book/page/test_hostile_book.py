"""A hostile book built and opened in headless Chromium: what its chapter, its ``.bib`` and its
cells' outputs inject (``<script>``, ``javascript:`` links, event handlers, a KaTeX ``\\href``)
is text on the page, never a live element; a file named ``...md`` is refused; another user's
``config.ini`` and ``d2l.bib`` two folders up are not read; and nothing outside ``--out`` changes."""
import pytest

from d2lmomentum.book.diagnostics import collect_markup_warnings
from d2lmomentum.book.site import build_book

from _helpers import snapshot
from _helpers.browser import open_typeset

PWN = "window.__pwned = (window.__pwned || 0) + 1"
BIB = ('@article{Evil.2020,\n  title = {Title <img src=x onerror="' + PWN + '"> <script>' + PWN + '</script>},\n'
       '  author = {Mallory, Eve},\n  journal = {J},\n  year = {2020},\n'
       '  url = {https://e.org/"><script>' + PWN + '</script><a x="},\n  doi = {10.1/x"><script>' + PWN + "</script>}\n}\n")
CHAPTER = f"""# Hostile <script>{PWN}</script>

Raw <img src=x onerror="{PWN}"> and <a href="javascript:{PWN}">a link</a>, [md link](javascript:alert(1)),
$\\href{{javascript:alert(1)}}{{katex}}$ and :citet:`Evil.2020`.

<script>{PWN}</script>

```{{.python .input}}
#@tab pytorch
print('<script>{PWN}</script>')
raise ValueError('<img src=x onerror="{PWN}">')
```
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "config.ini").write_text("[project]\nlang = en\n[build]\ntabs = tensorflow\n", encoding="utf-8")
    (root / "d2l.bib").write_text("@article{Evil.2020,\n  title = {Replaced},\n  author = {X, Y},\n"
                                  "  journal = {J},\n  year = {1999}\n}\n", encoding="utf-8")
    top = root / "alice" / "work"
    book = top / "book"
    book.mkdir(parents=True)
    (top / "d2l.bib").write_text(BIB, encoding="utf-8")  # beside the book: d2l's layout, read
    (book / "evil.md").write_text(CHAPTER, encoding="utf-8")
    (book / "...md").write_text("# Dots\n", encoding="utf-8")
    (top / "index.html").write_text("the user's own page", encoding="utf-8")
    before = snapshot(root)
    with collect_markup_warnings() as warned:
        result = build_book(book, top / "out", "pytorch", timeout=60)
    after = snapshot(root)
    return root, top / "out", result, warned, before, after


def test_nothing_outside_out_changes_and_the_far_config_is_not_read(hostile):
    root, out, result, warned, before, after = hostile
    assert {p: data for p, data in after.items() if not p.startswith("alice/work/out/")} == before
    assert list(result.pages) == ["evil"] and sum("...md" in m and "rename the file" in m for m in warned) == 1
    assert result.chapters[0].config.path is None  # root/config.ini is two folders above the book


def test_no_injected_element_is_live_in_chromium(hostile, open_page):
    _, out, _, _, _, _ = hostile
    page = open_typeset(open_page, out / "evil" / "index.html")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("""() => [...document.scripts].filter(s => !s.src).map(s => s.textContent)
                                 .filter(t => t.includes('__pwned'))""") == []
    assert page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
                                 .filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
                                 .map(a => a.name + '=' + a.value)""") == []
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    text = page.evaluate("document.body.innerText")
    for shown in (f"<script>{PWN}</script>", f'<img src=x onerror="{PWN}">', "Title <img src=x onerror="):
        assert shown in text
    hrefs = page.evaluate("() => [...document.querySelectorAll('#bibliography ~ ol a, .bibliography a')]"
                          ".map(a => a.href)")
    assert hrefs == []  # the entry's url and doi were not well formed: left out
    page.screenshot(path=str(out / "hostile.png"), full_page=True)
    assert not page.page_errors and not page.offsite_requests
