"""The chapter as an offline book page: ``<out>/index.html`` with its assets in ``<out>/_static``.

:func:`build` reads each framework's ``<out>/<framework>/report.json`` (written by the chapter
runner from the executed notebooks) and writes a page that needs no network: markdown
rendered by markdown-it-py, every formula typeset by the vendored KaTeX in the browser (the
TeX stays in ``data-tex`` and in KaTeX's MathML annotation), d2l's references resolved
(:mod:`.references`), a bibliography, code highlighted by Pygments, a tab per framework or
the frameworks side by side, and the interactive explorer where the chapter has the marker
``<!-- explorer -->``.
"""
import json
from pathlib import Path

from d2lmomentum.book.notebooks import REPORT_NAME
from d2lmomentum.book.page import html, markdown
from d2lmomentum.book.page.assets import copy_assets

__all__ = ["build"]
#: The explorer's folder in the chapter's output folder.
EXPLORER_DIR = "explorer"


def build(out_dir, source_text, frameworks, *, references=None):
    """Write ``out_dir/index.html`` (and ``_static/``, ``explorer/``) for the chapter
    ``source_text`` and the reports of ``frameworks`` found in ``out_dir``; returns its path.

    ``references``: the chapter's :class:`.references.References` (built here if None).
    Unknown labels or citation keys are :class:`.references.MarkupWarning` warnings.
    """
    from d2lmomentum.book.cells import parse
    from d2lmomentum.book.page.references import References
    from d2lmomentum.atomic import write_atomic
    out = Path(out_dir)
    reports = {}
    for fw in frameworks:
        path = out / fw / REPORT_NAME
        if path.is_file():
            reports[fw] = json.loads(path.read_text(encoding="utf-8"))
    shown = list(reports) or list(frameworks)
    cells = parse(source_text)
    refs = references or References.of_chapter(source_text)
    env = {"references": refs, "explorer": _explorer(out) if markdown.EXPLORER_MARKER in source_text else None}
    records = {fw: {c["index"]: c for c in rep["cells"]} for fw, rep in reports.items()}

    prose, found_headings, pending = [], [], []

    def render_markdown(text):
        tokens = markdown.parse(text)
        found_headings.extend(html.headings(tokens))
        return markdown.render(tokens, env)

    def flush():
        if pending:
            prose.append(html.group(pending, shown, records, render_markdown))
            pending.clear()

    for cell in cells:
        if cell.kind == "markdown" and set(cell.tabs) >= set(shown):
            flush()
            prose.append(render_markdown(cell.source))
        else:
            pending.append(cell)
    flush()
    title = next((text for level, _, text in found_headings if level == 1), "d2lmomentum")
    body = (f'<div class="layout">{html.toc(found_headings)}<main>{html.summary(reports)}'
            f'<article class="chapter">{"".join(prose)}</article>{html.bibliography(refs)}</main></div>')
    copy_assets(out)
    path = out / "index.html"
    write_atomic(path, html.document(title, body, shown))
    return path


def _explorer(out):
    """The explorer's iframe, written into ``out/explorer/``."""
    from d2lmomentum.explorer import write_explorer
    page = Path(write_explorer(out / EXPLORER_DIR))
    src = page.resolve().relative_to(out.resolve()).as_posix()
    return (f'<figure class="explorer"><iframe src="{html.esc(src)}" title="대화형 모멘텀 탐색기" '
            'loading="lazy"></iframe><figcaption>대화형 탐색기: 학습률 η와 모멘텀 β를 바꿔 가며 궤적을 '
            f'직접 확인해 보세요. (<a href="{html.esc(src)}">새 창에서 열기</a>)</figcaption></figure>')
