"""The page's HTML: the chapter's prose once, each run of code cells as one group with a panel
per framework (its code highlighted by Pygments, its outputs and figures in place), the run
summary, the bibliography and the book's navigation. Every text from the chapter or a cell's
output is escaped. ``ui`` is the book language's table of :mod:`d2lmomentum.book.ui`.

The groups are shown as tabs (one framework at a time) or side by side; ``page.js`` switches.
"""
import functools
import html
import urllib.parse

from d2lmomentum.backends import DISPLAY_NAMES, FRAMEWORKS
from d2lmomentum.book import markdown
from d2lmomentum.book.bibliography import anchor
from d2lmomentum.book.report import REPORT_NAME, CellStatus

esc = functools.partial(html.escape, quote=True)


#: In the tabs view, the panels and code groups of every framework but the selected one are hidden.
_TAB_RULES = ",\n".join(
    rule for fw in FRAMEWORKS for rule in (f'.view-tabs[data-framework="{fw}"] .panel:not([data-framework="{fw}"])',
                                           f'.view-tabs[data-framework="{fw}"] .code-group:not([data-frameworks~="{fw}"])')
) + " { display: none; }"


@functools.cache
def highlight(code):
    """``code`` as Pygments' HTML (``<div class="highlight"><pre>…``)."""
    from pygments import highlight as pygmentize
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    return pygmentize(code, PythonLexer(), HtmlFormatter(cssclass="highlight"))


def name(fw):
    return DISPLAY_NAMES.get(fw, fw)


def _output(out, fw, index, ui):
    kind = out["type"]
    if kind == "figure":
        alt = ui["figure_alt"].format(framework=name(fw), index=index)
        return f'<img src="{esc(fw)}/{esc(out["file"])}" alt="{esc(alt)}">'
    css = {"stream": "stream " + out.get("name", ""), "error": "error"}.get(kind, kind)
    return f'<pre class="output {esc(css.strip())}">{esc(out["text"].rstrip())}</pre>'


def code_cell(cell, record, fw, ui):
    """A code cell: its code, then (if it ran) its outputs in order and its time."""
    parts = [f'<div class="cell" id="{esc(fw)}-cell-{cell.index}">', highlight(cell.source)]
    if record is not None:
        parts.extend(_output(out, fw, cell.index, ui) for out in record.outputs)
        if not record.ok:
            not_run = record.status is CellStatus.NOT_RUN
            text = f'{ui["not_run"]}: {record.error}' if not_run else record.error
            parts.append(f'<p class="{"not-run" if not_run else "cell-error"}">{esc(text)}</p>')
        parts.append(f'<div class="cell-meta">{esc(ui["cell"].format(index=cell.index))} · '
                     f'{record.seconds:.2f} s</div>')
    parts.append("</div>")
    return "\n".join(parts)


def group(cells, frameworks, records, render_markdown, ui):
    """A run of code cells (and framework-only markdown) as one tab group."""
    present = [fw for fw in frameworks if any(fw in c.tabs for c in cells)]
    if not present:
        return ""
    tabs = "".join(f'<button type="button" role="tab" data-framework="{esc(fw)}">{esc(name(fw))}</button>'
                   for fw in present)
    panels = []
    for fw in present:
        body = [render_markdown(c) if c.kind == "markdown" else code_cell(c, records.get(fw, {}).get(c.index), fw, ui)
                for c in cells if fw in c.tabs]
        panels.append(f'<section class="panel" role="tabpanel" data-framework="{esc(fw)}">'
                      f'<h4 class="panel-title">{esc(name(fw))}</h4>{"".join(body)}</section>')
    return (f'<div class="code-group" data-frameworks="{esc(" ".join(present))}">'
            f'<div class="tabs" role="tablist">{tabs}</div><div class="panels">{"".join(panels)}</div></div>')


def solution(inner, ui):
    """An exercise's solution, folded (closed) until the reader opens it."""
    return (f'<details class="solution"><summary>{esc(ui["solution"])}</summary>'
            f'<div class="solution-body">{inner}</div></details>')


def summary(reports, ui):
    """The run summary: cells, ok, figures, seconds, links to the notebook and report per framework
    (:class:`~d2lmomentum.book.report.RunReport` each); a run reused from the cache says so and
    when it ran."""
    rows = []
    for fw, rep in reports.items():
        cells = rep.cells
        figures = sum(len(c.figures) for c in cells)
        failed = rep.failed_cells
        status = "✓" if rep.ok else "✗ " + (", ".join(ui["cell"].format(index=i) for i in failed) if failed
                                           else (rep.error or ""))
        if rep.cached:
            status += " · " + ui["reused"].format(when=rep.ran_when)
        status_html = f'<span class="reused" data-ran-at="{esc(rep.ran_at or "")}">{esc(status)}</span>' \
            if rep.cached else esc(status)
        link = f'<a href="{esc(fw)}/{esc(urllib.parse.quote(rep.notebook))}">{esc(rep.notebook)}</a>' if rep.notebook else ""
        rows.append(f'<tr><th scope="row">{esc(name(fw))}</th><td>{len(cells)}</td>'
                    f'<td>{sum(c.ok for c in cells)}</td><td>{figures}</td><td>{rep.seconds:.1f}</td>'
                    f'<td class="status">{status_html}</td><td>{link}</td>'
                    f'<td><a href="{esc(fw)}/{REPORT_NAME}">{REPORT_NAME}</a></td></tr>')
    if not rows:
        return ""
    head = "".join(f"<th>{esc(c)}</th>" for c in ui["run_columns"])
    return (f'<section class="run-summary"><table><caption>{esc(ui["run_caption"])}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>')


def bibliography(references, ui):
    entries = references.bibliography_entries("html")
    if not entries:
        return ""
    items = "".join(f'<li id="{esc(anchor(key))}"><span class="bib-label">{esc(who)}</span> {text}</li>'
                    for key, who, text in entries)
    return f'<section class="bibliography"><h2 id="bibliography">{esc(ui["bibliography"])}</h2><ol>{items}</ol></section>'


def toc(headings, ui, has_bibliography=True, book_nav=""):
    """The side navigation: the book's contents (``book_nav``, HTML) and this page's sections
    from ``[(level, id, text)]``."""
    items = "".join(f'<li class="toc-{level}"><a href="#{esc(hid)}">{esc(text)}</a></li>'
                    for level, hid, text in headings if level in (2, 3))
    if has_bibliography:
        items += f'<li class="toc-2"><a href="#bibliography">{esc(ui["bibliography"])}</a></li>'
    label = ui["on_this_page"] if book_nav else ui["contents"]
    return (f'<nav class="toc" aria-label="{esc(label)}">{book_nav}<details open><summary>{esc(label)}</summary>'
            f'<ul>{items}</ul></details></nav>')


def headings(tokens):
    """``[(level, id, text)]`` of the headings in parsed markdown ``tokens`` (numbered as shown)."""
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            number = (token.meta or {}).get("number")
            text = markdown.plain_text(tokens[i + 1])
            found.append((int(token.tag[1]), token.attrGet("id"), f"{number}. {text}" if number else text))
    return found


def toolbar(frameworks, ui):
    buttons = "".join(f'<button type="button" data-framework="{esc(fw)}">{esc(name(fw))}</button>'
                      for fw in frameworks)
    return (f'<div class="toolbar" role="toolbar" aria-label="{esc(ui["code_view"])}">'
            f'<div class="framework-choice" role="group" aria-label="{esc(ui["framework"])}">{buttons}</div>'
            f'<div class="view-choice" role="group" aria-label="{esc(ui["view_mode"])}">'
            f'<button type="button" data-view="tabs">{esc(ui["tabs"])}</button>'
            f'<button type="button" data-view="side">{esc(ui["side_by_side"])}</button></div></div>')


def document(title, body, frameworks, ui, *, lang="ko", static="_static", brand="d2lmomentum", home="#"):
    """The whole page around ``body``; ``static``: the path of the static files from the page."""
    first = frameworks[0] if frameworks else ""
    bar = toolbar(frameworks, ui) if frameworks else ""
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} — {esc(brand)}</title>
<link rel="stylesheet" href="{static}/katex/katex.min.css">
<link rel="stylesheet" href="{static}/pygments.css">
<link rel="stylesheet" href="{static}/page.css">
<script defer src="{static}/katex/katex.min.js"></script>
<script defer src="{static}/page.js"></script>
<style>{_TAB_RULES}</style>
</head>
<body class="view-tabs" data-framework="{esc(first)}" data-frameworks="{esc(' '.join(frameworks))}">
<header class="site-header"><a class="brand" href="{esc(home)}">{esc(brand)}</a>{bar}</header>
{body}
<footer class="site-footer">{esc(ui["footer"])}</footer>
</body>
</html>
"""
