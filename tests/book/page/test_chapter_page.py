"""The packaged chapter as a page: :func:`~d2lmomentum.book.pipeline.run_chapter` on every
framework (run once per test session, :func:`_helpers.packaged_run`) writes the executed notebooks and an offline ``index.html``, opened in
headless Chromium: rendered math, resolved references, a bibliography, highlighted code, a tab
per framework, folded solutions. The markup rules themselves are checked on small texts."""
import json
import os
import re
import subprocess
import sys
import warnings

import nbformat
import numpy as np
import pytest

from d2lmomentum import theory
from d2lmomentum.backends import DISPLAY_NAMES
from d2lmomentum.book import markdown, notebook_markdown
from d2lmomentum.book.bibliography import Bibliography
from d2lmomentum.book.cells import SOLUTION_BEGIN, TABS, parse
from d2lmomentum.book.diagnostics import MarkupWarning
from d2lmomentum.book.pipeline import run_chapter
from d2lmomentum.book.references import ChapterTargets, References
from d2lmomentum.book.ui import strings
from d2lmomentum.errors import InvalidArgumentError
from d2lmomentum.quiet import is_log_line

from _helpers import REPO, packaged_run
from _helpers.dom import parse as parse_html
from _helpers.browser import TYPESET, goto_typeset, new_probe, open_typeset, visible_text

CHAPTER = REPO / "chapter" / "momentum.md"
BIB = REPO / "chapter" / "momentum.bib"
#: A chapter of one PyTorch cell whose text and outputs look like HTML (they must show as text).
ESCAPE_CHAPTER = ("# 제목\n\n본문의 <b>태그</b>도 글자입니다.\n\n```{.python .input}\n#@tab pytorch\n"
                  "print('<script>alert(1)</script>')\n'<img src=x onerror=alert(2)>'\n```\n")

#: A PyTorch code cell: a chapter gets a framework's notebook only if it has code for it.
ONE_CELL = "```{.python .input}\n#@tab pytorch\n1\n```\n"


def _run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "d2lmomentum", *args], capture_output=True, text=True, **kw)


def _report(out, fw):
    return json.loads((out / fw / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    """The packaged chapter run once on every framework (:func:`_helpers.packaged_run`, which the
    chapter's JAX test reads too): ``(out folder, PackagedRun, warnings)`` (each test that takes
    it is marked ``mxnet``)."""
    run = packaged_run(tmp_path_factory)
    assert set(run.reports) == set(TABS)
    return run.out, run, run.warnings


@pytest.fixture(scope="module")
def escape_page(tmp_path_factory):
    """The page of :data:`ESCAPE_CHAPTER`, run on PyTorch alone."""
    folder = tmp_path_factory.mktemp("escape")
    src = folder / "escape.md"
    src.write_text(ESCAPE_CHAPTER, encoding="utf-8")
    assert run_chapter(src, folder / "out", "pytorch").ok
    return folder / "out" / "index.html"


def _formulas_in_source(text):
    """How many formulas the chapter's text holds: ``$$…$$`` and ``$…$`` outside code cells."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    display = re.findall(r"\$\$.+?\$\$", text, flags=re.S)
    inline = re.findall(r"\$[^$]+?\$", re.sub(r"\$\$.+?\$\$", "", text, flags=re.S))
    return len(display) + len(inline)


def _open(open_page, out, **kw):
    return open_typeset(open_page, out / "index.html", **kw)


@pytest.fixture(scope="module")
def shown(chapter, chromium):
    """The chapter's page, typeset, in one tab that the tests which read it share (a load costs
    ~1.8 s of CPU: its formulas and figures); they may follow a link or scroll, and a test that
    changes what the page shows (opens, hides, chooses, reloads) opens its own. Each reader
    asserts that the tab has stayed clean (:func:`_clean`)."""
    out, _, _ = chapter
    probe = new_probe(chromium)
    goto_typeset(probe, out / "index.html")
    yield probe
    probe.context.close()


def _clean(page):
    assert page.problems == ([], [], [])


def _trace_lines():
    """``train_2d``'s last lines for the chapter's four traces (gradient descent with η 0.4 and
    0.6, momentum with η 0.6 and β 0.5 and 0.25) on f(x) = 0.1·x1² + 2·x2² from (-5, -2):
    20 steps of each coordinate's own 2×2 momentum iteration (β = 0: gradient descent)."""
    lines = []
    for eta, beta in ((0.4, 0.0), (0.6, 0.0), (0.6, 0.5), (0.6, 0.25)):
        ends = [(np.linalg.matrix_power(theory.momentum_matrix(beta, eta, lam), 20) @ [0.0, x0])[1]
                for lam, x0 in ((0.2, -5.0), (4.0, -2.0))]
        lines.append("epoch 20, x1: {:f}, x2: {:f}".format(*ends))
    return lines


# -- the run -------------------------------------------------------------------------------------

@pytest.mark.mxnet
def test_every_chapter_cell_runs_on_every_framework(chapter):
    out, result, warned = chapter
    assert result.ok, {fw: [c.error for c in r.cells if not c.ok] for fw, r in result.reports.items()}
    assert warned == []  # every label and citation resolves
    page = parse_html((out / "index.html").read_text(encoding="utf-8"))
    for fw in TABS:
        report = _report(out, fw)
        printed = "".join(c["stdout"] for c in report["cells"])
        assert re.findall(r"epoch 20, x1: \S+, x2: \S+", printed) == _trace_lines()
        losses = [float(x) for x in re.findall(r"loss: (\d\.\d{3}), \d+\.\d{3} sec/epoch", printed)]
        assert len(losses) == 4 and all(0.22 < loss < 0.30 for loss in losses), printed
        figures = [f for c in report["cells"] for f in c["figures"]]
        assert len(figures) >= 9 and all((out / fw / f).stat().st_size > 3000 for f in figures)
        assert page.select(f'section.panel[role=tabpanel][data-framework="{fw}"]')
    printed = "".join(c["stdout"] for c in _report(out, "pytorch")["cells"])
    assert "h(x*) == h_star: True" in printed and "momentum rate" in printed


@pytest.mark.mxnet
@pytest.mark.parametrize("fw", TABS)
def test_executed_notebooks_are_kept_with_their_outputs_and_no_log_noise(chapter, fw):
    out, _, _ = chapter
    nb = nbformat.read(out / fw / f"momentum-{fw}.ipynb", as_version=4)
    report = _report(out, fw)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    text = "".join(o.get("text", "") for o in outputs)
    assert _trace_lines()[3] in text
    images = sum("image/png" in o.get("data", {}) for o in outputs)
    assert images == sum(len(c["figures"]) for c in report["cells"]) >= 9
    assert not [o["text"] for o in outputs if o.get("name") == "stderr"]
    assert not [line for line in text.splitlines() if is_log_line(line)]
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "모멘텀" in md and not re.search(r":(label|numref|cite):`", md)
    assert "[대화형 탐색기](../explorer/explorer.html)" in md


def test_the_kernels_inherit_verbose_and_compile_and_the_seed(tmp_path):
    src = tmp_path / "env.md"
    src.write_text("```{.python .input}\n#@tab all\nimport os\nprint([os.environ.get('D2LMOMENTUM_' + k) "
                   "for k in ('VERBOSE', 'COMPILE', 'SEED')])\n```\n", encoding="utf-8")
    printed = {}
    env = {k: v for k, v in os.environ.items() if k not in ("D2LMOMENTUM_VERBOSE", "D2LMOMENTUM_COMPILE")}
    for flags in ((), ("--verbose", "--compile", "--seed", "7")):
        out = tmp_path / f"out{len(flags)}"
        assert _run("chapter", "--out", str(out), "--source", str(src), *flags, env=env).returncode == 0
        printed[flags] = _report(out, "pytorch")["cells"][0]["stdout"]
    assert list(printed.values()) == ["[None, None, '0']\n", "['1', '1', '7']\n"]


# -- the page in Chromium ------------------------------------------------------------------------

@pytest.mark.mxnet
def test_the_page_loads_offline_with_no_error(shown):
    page = shown
    _clean(page)
    assert page.evaluate("document.documentElement.lang") == "ko"
    fonts = [f.strip(' "') for f in page.evaluate("getComputedStyle(document.body).fontFamily").split(",")]
    assert fonts[0] == "Noto Sans KR" and "NanumGothic" in fonts  # a Hangul stack first, local fonts only


@pytest.mark.mxnet
def test_no_tex_or_d2l_markup_is_left_in_the_visible_text(chapter, open_page):
    out, _, _ = chapter
    page = _open(open_page, out)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # solutions too
    page.add_style_tag(content=".highlight, pre.output { display: none !important; }")  # code may hold "$"
    for view in ("tabs", "side"):
        page.click(f".view-choice button[data-view={view}]")
        text = visible_text(page)
        assert "풀이" in text and "연습문제 1" in text  # the opened solutions are in it
        for markup in ("$", ":numref:", ":cite:", ":label:", ":eqref:", "\\mathbf", SOLUTION_BEGIN, ":end_solution:"):
            assert markup not in text, (view, markup)


@pytest.mark.mxnet
def test_every_formula_is_rendered_and_keeps_its_tex(shown):
    page = shown
    formulas = page.evaluate("""Array.from(document.querySelectorAll('.math')).map(el => ({
        tex: el.dataset.tex, label: el.getAttribute('aria-label'), rendered: !!el.querySelector('.katex'),
        annotation: (el.querySelector('annotation[encoding="application/x-tex"]') || {}).textContent}))""")
    text = CHAPTER.read_text(encoding="utf-8")
    assert len(formulas) == _formulas_in_source(text) > 100
    assert all(f["rendered"] and f["annotation"] == f["tex"] == f["label"] for f in formulas)
    assert page.locator(".katex-error").count() == 0
    assert page.locator(".math.display .katex-display").count() == len(re.findall(r"\$\$.+?\$\$", text, flags=re.S))
    layout = page.evaluate("""Array.from(document.querySelectorAll('.math.display')).filter(el =>
        /aligned|bmatrix/.test(el.dataset.tex)).map(el => ({env: el.dataset.tex.match(/aligned|bmatrix/)[0],
        columns: el.querySelectorAll('.katex-html .mtable > .col-align-l, .katex-html .mtable > .col-align-r,'
                                     + ' .katex-html .mtable > .col-align-c').length,
        stretched: el.querySelectorAll('.katex-html .delimsizing, .katex-html .delimsizinginner').length}))""")
    expected = [m.group(0) for d in re.findall(r"\$\$(.+?)\$\$", text, flags=re.S)
                for m in [re.search(r"aligned|bmatrix", d)] if m]
    assert sorted(f["env"] for f in layout) == sorted(expected) and {"aligned", "bmatrix"} <= set(expected)
    assert all(f["columns"] >= 2 for f in layout)  # typeset as tables, columns aligned
    assert all(f["stretched"] >= 6 for f in layout if f["env"] == "bmatrix")  # three matrices' brackets
    _clean(page)


@pytest.mark.mxnet
def test_every_figure_is_in_place_and_loaded(chapter, shown):
    out, _, _ = chapter
    page = shown
    page.wait_for_load_state("load")
    images = page.evaluate("Array.from(document.images).map(i => [i.getAttribute('src'), i.naturalWidth])")
    expected = [f"{fw}/{f}" for fw in TABS for c in _report(out, fw)["cells"] for f in c["figures"]]
    assert sorted(src for src, _ in images) == sorted(expected)
    assert all(width > 0 for _, width in images)
    _clean(page)


def _visible_code(page):
    return page.evaluate("""Array.from(document.querySelectorAll('.panel .highlight'))
        .filter(el => el.offsetParent !== null).map(el => el.innerText).join('\\n')""")


def _reload(page):
    page.reload()
    page.wait_for_function(TYPESET)


@pytest.mark.mxnet
def test_a_tab_shows_one_frameworks_code_and_the_choice_holds_across_reloads(chapter, open_page):
    out, _, _ = chapter
    page = _open(open_page, out)
    assert "from mxnet import np" in _visible_code(page)
    page.locator(".code-group .tabs button[data-framework=tensorflow]").nth(3).click()
    code = _visible_code(page)
    assert "import tensorflow as tf" in code and "import torch" not in code and "from mxnet" not in code
    assert set(page.evaluate("""Array.from(document.querySelectorAll('.panel'))
        .filter(el => el.offsetParent !== null).map(el => el.dataset.framework)""")) == {"tensorflow"}
    _reload(page)
    assert "import tensorflow as tf" in _visible_code(page) and "import torch" not in _visible_code(page)
    page.click(".view-choice button[data-view=side]")
    code = _visible_code(page)
    assert all(s in code for s in ("import tensorflow as tf", "import torch", "from mxnet import np"))
    _reload(page)
    assert "import torch" in _visible_code(page) and "import tensorflow as tf" in _visible_code(page)


@pytest.mark.mxnet
def test_the_choice_holds_across_pages_and_a_page_without_it_shows_its_first(chapter, escape_page, open_page):
    out, _, _ = chapter
    page = _open(open_page, out)
    page.locator(".toolbar button[data-framework=tensorflow]").click()
    goto_typeset(page, escape_page)  # a page with PyTorch alone
    assert page.evaluate("document.body.dataset.framework") == "pytorch"
    assert "alert(1)" in _visible_code(page)
    assert page.evaluate("localStorage.getItem('d2lmomentum.framework')") == "tensorflow"
    goto_typeset(page, out / "index.html")
    assert page.evaluate("document.body.dataset.framework") == "tensorflow"
    code = _visible_code(page)
    assert "import tensorflow as tf" in code and "import torch" not in code
    assert page.console_errors == [] and page.page_errors == []


@pytest.mark.mxnet
def test_the_exercise_solutions_are_folded_until_opened(chapter, open_page):
    out, _, _ = chapter
    page = _open(open_page, out)
    source = CHAPTER.read_text(encoding="utf-8")
    opening = re.findall(rf"^{SOLUTION_BEGIN}\n\n(\S+ \d+):", source, flags=re.M)  # "연습문제 1", …
    assert len(opening) == source.count(SOLUTION_BEGIN) >= 1
    where = page.evaluate("""names => names.map(name => {
        const p = Array.from(document.querySelectorAll('.chapter p')).find(p => p.textContent.startsWith(name + ':'));
        const d = p && p.closest('details.solution');
        return d && {open: d.open, summary: d.querySelector('summary').innerText.trim(),
                     shown: p.checkVisibility()}; })""", opening)
    assert where == [{"open": False, "summary": strings("ko")["solution"], "shown": False}] * len(opening)
    solution = page.locator("details.solution").first
    solution.locator("summary").click()
    body = solution.locator(".solution-body")
    assert solution.evaluate("d => d.open") and body.is_visible()
    assert body.locator("p", has_text=f"{opening[0]}:").first.is_visible()
    assert body.locator(".katex").count() == body.locator(".math").count() > 0
    assert body.locator(".panel .highlight").filter(has_text="dm.train_momentum").first.is_visible()


@pytest.mark.mxnet
def test_references_resolve_and_the_bibliography_lists_the_cited_works(shown):
    page = shown
    assert page.locator("h1#sec_momentum").inner_text().startswith("모멘텀")
    sgd = page.locator("a.numref", has_text="확률적 경사 하강법").first
    assert sgd.get_attribute("href") == "https://d2l.ai/chapter_optimization/sgd.html"
    assert "online" in sgd.get_attribute("class")
    assert sgd.evaluate("a => a.nextElementSibling.matches('sup.online-mark')")
    targets = page.evaluate("Array.from(document.querySelectorAll('a.cite, a.citet, a.citep')).map(a => a.getAttribute('href'))")
    keys = re.findall(r"^@\w+\{\s*([^,\s]+)", BIB.read_text(encoding="utf-8"), flags=re.M)
    assert sorted(set(targets)) == sorted(f"#bib-{k}" for k in keys) and len(keys) >= 5
    assert page.evaluate("Array.from(document.querySelectorAll('.bibliography li')).map(li => li.id)") == \
        sorted((f"bib-{k}" for k in keys), key=lambda k: k.lower())
    page.locator("a.cite, a.citet, a.citep", has_text="Polyak (1964)").first.click()
    assert page.evaluate("location.hash") == "#bib-Polyak.1964"
    assert "Some methods of speeding up the convergence" in page.locator("#bib-Polyak\\.1964").inner_text()
    _clean(page)


@pytest.mark.mxnet
def test_code_is_highlighted(shown):
    page = shown
    keyword = page.locator(".panel .highlight .kn").first  # from / import
    assert keyword.inner_text() in ("from", "import")
    colours = page.evaluate("""[getComputedStyle(document.querySelector('.highlight .kn')).color,
                                getComputedStyle(document.querySelector('.highlight pre')).color]""")
    assert colours[0] != colours[1]
    _clean(page)


@pytest.mark.mxnet
def test_the_summary_links_each_executed_notebook_and_report(chapter, shown):
    out, _, _ = chapter
    page = shown
    links = page.evaluate("Array.from(document.querySelectorAll('.run-summary a')).map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted([f"{fw}/momentum-{fw}.ipynb" for fw in TABS] + [f"{fw}/report.json" for fw in TABS])
    assert all((out / link).is_file() for link in links)
    rows = page.evaluate("Array.from(document.querySelectorAll('.run-summary tbody tr'))"
                         ".map(r => Array.from(r.cells).slice(0, 5).map(c => c.innerText.trim()))")
    reports = [_report(out, fw) for fw in TABS]
    assert rows == [[name, str(len(r["cells"])), str(sum(c["ok"] for c in r["cells"])),
                     str(sum(len(c["figures"]) for c in r["cells"])), f"{r['seconds']:.1f}"]
                    for name, r in zip([DISPLAY_NAMES[fw] for fw in TABS], reports)]
    _clean(page)


@pytest.mark.mxnet
def test_the_page_fits_a_phone(chapter, open_page):
    out, _, _ = chapter
    page = _open(open_page, out, width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".site-header").bounding_box()["width"] <= 390
    assert page.evaluate("Array.from(document.querySelectorAll('.toc details')).every(d => !d.open)")


@pytest.mark.mxnet
def test_the_explorer_is_embedded_beside_the_momentum_traces(chapter, shown):
    out, _, _ = chapter
    page = shown
    frame = page.locator("figure.explorer iframe")
    assert frame.count() == 1 and (out / frame.get_attribute("src")).is_file()
    previous_code = page.evaluate("""(() => { let el = document.querySelector('figure.explorer');
        while (el && !el.matches('.code-group')) { el = el.previousElementSibling || el.parentElement; }
        return el ? el.innerText : ''; })()""")
    assert "eta, beta = 0.6, 0.25" in previous_code
    frame.scroll_into_view_if_needed()  # the frame loads lazily
    page.wait_for_function("document.querySelector('figure.explorer iframe').style.height !== ''")
    content = frame.element_handle().content_frame().evaluate("document.documentElement.scrollHeight")
    assert frame.evaluate("f => parseFloat(f.style.height)") == content + 2  # fitted: no inner scroll bar
    _clean(page)


def test_outputs_and_text_are_escaped(escape_page, open_page):
    page = open_typeset(open_page, escape_page)
    text = page.evaluate("document.body.innerText")
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert "본문의 <b>태그</b>도 글자입니다." in text
    assert page.locator("script").count() == 2  # KaTeX and the page's own
    assert page.locator("b").count() == 0 and page.locator("img").count() == 0
    assert page.page_errors == [] and page.console_errors == []


@pytest.mark.mxnet
def test_the_page_references_nothing_off_the_machine(chapter):
    out, _, _ = chapter
    page = parse_html((out / "index.html").read_text(encoding="utf-8"))
    sources = [e.get("src") or e.get("href") for e in page.select("script[src], link[href], img[src], iframe[src]")]
    assert len(sources) > 5 and not [s for s in sources if re.match(r"\s*(https?:)?//", s, flags=re.I)]
    css = "".join(p.read_text(encoding="utf-8") for p in (out / "_static").rglob("*.css"))
    assert not re.search(r"url\((['\"]?)(https?:)?//", css) and "@import" not in css
    assert (out / "_static" / "katex" / "LICENSE").is_file()


# -- the markup rules ----------------------------------------------------------------------------

def _references(text, bib_files=None):
    """``(tokens, References)`` of ``text`` as a chapter alone (the packaged ``.bib`` unless ``bib_files``)."""
    tokens = markdown.parse(text)
    return tokens, References(ChapterTargets([tokens]), Bibliography(bib_files), lang="ko")


def _html(text):
    tokens, refs = _references(text)
    return markdown.render(tokens, {"references": refs, "ui": strings("ko"), "images": None, "explorer": None})


def test_commonmark_emphasis_lists_links_tables_and_heading_anchors():
    shown = parse_html(_html("## 절 제목\n\n*기울임* **굵게** [링크](https://d2l.ai)\n\n* 하나\n* 둘\n\n"
                        "| a | b |\n|---|---|\n| 1 | 2 |\n"))
    heading = shown.select_one("h2")
    assert heading.get("id") == "절-제목" and heading.text.startswith("절 제목")
    assert heading.select_one("a.header-anchor").get("href") == "#절-제목"
    assert shown.select_one("p > em").text == "기울임" and shown.select_one("p > strong").text == "굵게"
    assert [(a.get("href"), a.text) for a in shown.select("p > a")] == [("https://d2l.ai", "링크")]
    assert [li.text for li in shown.select("ul > li")] == ["하나", "둘"]
    assert [td.text for td in shown.select("table td")] == ["1", "2"]


def test_the_render_rules_hand_markdown_it_plain_text_so_joining_pieces_never_escapes_them():
    """A ``Markup`` piece would escape whatever a renderer adds to it with ``+``: every rule of the
    page returns ``str``, and the page is the same whichever way its pieces are joined."""
    tokens, refs = _references("# 제목\n:label:`sec_a`\n\n:numref:`sec_a`, <b>굵게</b>, $x$, ![a](b.png)\n\n<div>x</div>\n")
    env = {"references": refs, "ui": strings("ko"), "explorer": None, "images": lambda ref: (None, "없음")}
    renderer = markdown.parser().renderer
    pieces = []
    for i, token in enumerate(tokens):
        row = token.children if token.type == "inline" else [token]
        for j, child in enumerate(row):
            rule = renderer.rules.get(child.type)
            if rule is not None:
                pieces.append(rule(row if token.type == "inline" else tokens, j if token.type == "inline" else i,
                                   markdown.parser().options, env))
    assert pieces and all(type(piece) is str for piece in pieces)
    added = ""
    for piece in pieces:
        added += piece
    assert "&amp;" not in added and "<a " in added


def _links(shown):
    """``(class, href, text)`` of each reference's link (heading anchors left out)."""
    return [(a.get("class"), a.get("href"), a.text) for a in shown.select("a") if "header-anchor" not in a.classes]


def test_labels_numrefs_and_equation_references_resolve():
    text = ("# 이 절\n:label:`sec_here`\n\n$$a = b$$\n:eqlabel:`eq_ab`\n\n"
            "보기: :numref:`sec_here`, :numref:`sec_gd`, :eqref:`eq_ab`.")
    shown = parse_html(_html(text))
    heading = shown.select_one("h1")
    assert heading.get("id") == "sec_here" and heading.text.startswith("이 절")
    assert _links(shown) == [("numref", "#sec_here", "이 절"),
                             ("numref online", "https://d2l.ai/chapter_optimization/gd.html", "경사 하강법"),
                             ("eqref", "#eq_ab", "(1)")]
    online = shown.select_one("a.online")
    following = online.parent.children[online.parent.children.index(online) + 1]
    assert following.tag == "sup" and following.classes == ["online-mark"] and following.text == strings("ko")["online"]
    formula = shown.select_one("#eq_ab")
    assert formula.classes == ["math", "display"] and formula.get("data-tag") == "1" and formula.get("data-tex") == "a = b"
    assert ":eqlabel:" not in shown.text and ":label:" not in shown.text


def test_an_unknown_label_or_key_warns_by_name_and_leaves_no_markup():
    text = "보기 :numref:`sec_nowhere`, :cite:`Nobody.2099` 그리고 :cite:`Polyak.1964`."
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tokens, refs = _references(text)
        html = markdown.render(tokens, {"references": refs, "ui": strings("ko"), "images": None, "explorer": None})
        notebook_md = notebook_markdown.render(tokens, refs)
    messages = sorted(set(str(w.message) for w in caught if w.category is MarkupWarning))
    assert messages == ["unknown citation key 'Nobody.2099': shown as plain text",
                        "unknown label in :numref: 'sec_nowhere': shown as a phrase, the label in its tooltip"]
    for rendered in (html, notebook_md):
        assert ":numref:" not in rendered and ":cite:" not in rendered
    shown = parse_html(html)
    assert [(s.text, s.get("title"), s.get("data-label")) for s in shown.select("span.unresolved")] == \
        [("이 책에 없는 절", "sec_nowhere", "sec_nowhere"), ("Nobody.2099", None, None)]
    assert _links(shown) == [("cite", "#bib-Polyak.1964", "Polyak (1964)")]
    assert notebook_md == '보기 <span title="sec_nowhere">이 책에 없는 절</span>, Nobody.2099 그리고 ' \
                          '[Polyak (1964)](#bib-Polyak.1964).'


def test_the_cli_names_unknown_labels_as_warnings(tmp_path):
    src = tmp_path / "refs.md"
    src.write_text(f"# 제목\n\n:numref:`sec_nowhere`와 :cite:`Nobody.2099`\n\n{ONE_CELL}", encoding="utf-8")
    r = _run("notebooks", "--out", str(tmp_path / "nb"), "--source", str(src), "--backend", "pytorch")
    assert r.returncode == 0
    assert r.stderr.splitlines() == [
        "d2lmomentum: warning: unknown label in :numref: 'sec_nowhere' in refs: shown as a phrase, the label in its "
        "tooltip",
        "d2lmomentum: warning: unknown citation key 'Nobody.2099' in refs: shown as plain text"]


def test_raw_html_in_the_text_is_shown_as_text_and_code_spans_keep_their_markup():
    text = "<div onclick='x'>글</div>\n\n본문 <b>굵게</b>, `` :cite:`Polyak.1964` `` 그대로.\n\n<!-- 주석 -->\n"
    shown = parse_html(_html(text))
    assert [e.tag for e in shown.iter()] == ["p", "p", "code"]  # no element the chapter wrote
    assert [p.text.strip() for p in shown.select("p")] == \
        ["<div onclick='x'>글</div>", "본문 <b>굵게</b>, :cite:`Polyak.1964` 그대로."]
    assert shown.select_one("code").text == ":cite:`Polyak.1964`" and "주석" not in shown.text


def test_the_chapter_source_counts_match_the_parsed_cells():
    text = CHAPTER.read_text(encoding="utf-8")
    md = [c.source for c in parse(text) if c.kind == "markdown"]
    assert sum(len(parse_html(_html(m)).select(".math")) for m in md) == _formulas_in_source(text)


def test_a_chapters_own_bib_is_read_and_a_weak_entry_is_named_not_fatal(tmp_path):
    bib = tmp_path / "own.bib"
    bib.write_text("@article{Good.2020, author={A. Good}, title={Fine}, journal={J. Tests}, year={2020},"
                   " url={https://example.org/good}}\n"
                   "@article{Bare.2021, author={B. Bare}, title={No journal}, year={2021}}\n"
                   "@misc{Evil.2022, author={E. Vil}, title={Click}, year={2022}, url={javascript:alert(1)}}\n",
                   encoding="utf-8")
    text = "# T\n\n:cite:`Good.2020,Bare.2021,Evil.2022`\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, refs = _references(text, [bib])
        entries = {key: parse_html(html) for key, _, html in refs.bibliography_entries("html")}
    messages = sorted(set(str(w.message) for w in caught if w.category is MarkupWarning))
    assert len(messages) == 2
    assert messages[0].startswith("bibliography entry 'Bare.2021': missing journal")
    assert messages[1] == f"bibliography entry 'Evil.2022' in {bib}: url 'javascript:alert(1)' is not an http(s) URL; left out"
    assert [a.get("href") for a in entries["Good.2020"].select("a")] == ["https://example.org/good"]
    assert "J. Tests" in entries["Good.2020"].text
    assert entries["Bare.2021"].text == "Bare (2021). No journal"
    assert entries["Evil.2022"].select("a") == [] and "Click" in entries["Evil.2022"].text
    assert "javascript" not in entries["Evil.2022"].text


def test_the_notebooks_command_reads_the_sources_bib_too(tmp_path):
    (tmp_path / "own.bib").write_text("@book{Own.2020, author={O. Wn}, title={Own book}, publisher={P}, year={2020}}\n",
                                      encoding="utf-8")
    src = tmp_path / "own.md"
    src.write_text(f"# T\n\n보기 :cite:`Own.2020`\n\n{ONE_CELL}", encoding="utf-8")
    r = _run("notebooks", "--out", str(tmp_path / "nb"), "--source", str(src), "--backend", "pytorch")
    assert r.returncode == 0 and r.stderr == ""
    nb = nbformat.read(tmp_path / "nb" / "pytorch" / "own-pytorch.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "[Wn (2020)](#bib-Own.2020)" in text and "*Own book*" in text


def test_run_chapter_refuses_a_framework_the_chapter_has_no_tab_for(tmp_path):
    with pytest.raises(InvalidArgumentError, match="frameworks must name frameworks among mxnet, pytorch, tensorflow, jax, got 'paddle'"):
        run_chapter(None, tmp_path / "out", ("paddle",))
    assert not (tmp_path / "out").exists()
