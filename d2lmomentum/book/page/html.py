"""The page's HTML: the chapter's prose once, each run of code cells as one group with a panel
per framework (its code highlighted by Pygments, its outputs and figures in place), the run
summary and the bibliography. Every text from the chapter or a cell's output is escaped.

The groups are shown as tabs (one framework at a time) or side by side; ``page.js`` switches.
"""
import functools
import html

from d2lmomentum.backends import DISPLAY_NAMES
from d2lmomentum.book.notebooks import REPORT_NAME
from d2lmomentum.book.page import markdown

esc = functools.partial(html.escape, quote=True)


@functools.cache
def highlight(code):
    """``code`` as Pygments' HTML (``<div class="highlight"><pre>…``)."""
    from pygments import highlight as pygmentize
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    return pygmentize(code, PythonLexer(), HtmlFormatter(cssclass="highlight"))


def name(fw):
    return DISPLAY_NAMES.get(fw, fw)


def _output(out, fw, index):
    kind = out["type"]
    if kind == "figure":
        return f'<img src="{esc(fw)}/{esc(out["file"])}" alt="{esc(name(fw))}, 셀 {index}의 그림">'
    css = {"stream": "stream " + out.get("name", ""), "error": "error"}.get(kind, kind)
    return f'<pre class="output {esc(css.strip())}">{esc(out["text"].rstrip())}</pre>'


def code_cell(cell, record, fw):
    """A code cell: its code, then (if it ran) its outputs in order and its time."""
    parts = [f'<div class="cell" id="{esc(fw)}-cell-{cell.index}">', highlight(cell.source)]
    if record is not None:
        parts.extend(_output(out, fw, cell.index) for out in record.get("outputs", []))
        if not record["ok"]:
            css = "not-run" if record["error"].startswith("not run") else "cell-error"
            parts.append(f'<p class="{css}">{esc(record["error"])}</p>')
        parts.append(f'<div class="cell-meta">셀 {cell.index} · {record["seconds"]:.2f} s</div>')
    parts.append("</div>")
    return "\n".join(parts)


def group(cells, frameworks, records, render_markdown):
    """A run of code cells (and framework-only markdown) as one tab group."""
    present = [fw for fw in frameworks if any(fw in c.tabs for c in cells)]
    if not present:
        return ""
    tabs = "".join(f'<button type="button" role="tab" data-framework="{esc(fw)}">{esc(name(fw))}</button>'
                   for fw in present)
    panels = []
    for fw in present:
        body = [render_markdown(c.source) if c.kind == "markdown" else code_cell(c, records.get(fw, {}).get(c.index), fw)
                for c in cells if fw in c.tabs]
        panels.append(f'<section class="panel" role="tabpanel" data-framework="{esc(fw)}">'
                      f'<h4 class="panel-title">{esc(name(fw))}</h4>{"".join(body)}</section>')
    return (f'<div class="code-group" data-frameworks="{esc(" ".join(present))}">'
            f'<div class="tabs" role="tablist">{tabs}</div><div class="panels">{"".join(panels)}</div></div>')


def summary(reports):
    """The run summary: cells, ok, figures, seconds, links to the notebook and report per framework."""
    rows = []
    for fw, rep in reports.items():
        cells = rep["cells"]
        figures = sum(len(c.get("figures", [])) for c in cells)
        status = "✓" if rep["ok"] else "✗ " + (f"셀 {rep['failed_cell']}" if rep.get("failed_cell") is not None
                                              else esc(rep.get("error") or ""))
        notebook = rep.get("notebook")
        link = f'<a href="{esc(fw)}/{esc(notebook)}">{esc(notebook)}</a>' if notebook else ""
        rows.append(f'<tr><th scope="row">{esc(name(fw))}</th><td>{len(cells)}</td>'
                    f'<td>{sum(c["ok"] for c in cells)}</td><td>{figures}</td><td>{rep["seconds"]:.1f}</td>'
                    f'<td class="status">{status}</td><td>{link}</td>'
                    f'<td><a href="{esc(fw)}/{REPORT_NAME}">{REPORT_NAME}</a></td></tr>')
    if not rows:
        return ""
    return ('<section class="run-summary"><table><caption>이 페이지를 만든 실행: 프레임워크마다 Jupyter 커널 하나</caption>'
            "<thead><tr><th>프레임워크</th>"
            "<th>셀</th><th>성공</th><th>그림</th><th>초</th><th>상태</th><th>실행된 노트북</th><th>보고서</th></tr>"
            f'</thead><tbody>{"".join(rows)}</tbody></table></section>')


def bibliography(references):
    entries = references.bibliography_entries("html")
    if not entries:
        return ""
    from d2lmomentum.book.page.bibliography import anchor
    items = "".join(f'<li id="{esc(anchor(key))}"><span class="bib-label">{esc(who)}</span> {text}</li>'
                    for key, who, text in entries)
    return f'<section class="bibliography"><h2 id="bibliography">참고 문헌</h2><ol>{items}</ol></section>'


def toc(headings):
    """A table of contents from ``[(level, id, text)]``."""
    items = "".join(f'<li class="toc-{level}"><a href="#{esc(hid)}">{esc(text)}</a></li>'
                    for level, hid, text in headings if level in (2, 3))
    return (f'<nav class="toc" aria-label="목차"><details open><summary>목차</summary><ul>{items}'
            '<li class="toc-2"><a href="#bibliography">참고 문헌</a></li></ul></details></nav>')


def headings(tokens):
    """``[(level, id, text)]`` of the headings in parsed markdown ``tokens``."""
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append((int(token.tag[1]), token.attrGet("id"), markdown.plain_text(tokens[i + 1])))
    return found


def toolbar(frameworks):
    buttons = "".join(f'<button type="button" data-framework="{esc(fw)}">{esc(name(fw))}</button>'
                      for fw in frameworks)
    return ('<div class="toolbar" role="toolbar" aria-label="코드 보기">'
            f'<div class="framework-choice" role="group" aria-label="프레임워크">{buttons}</div>'
            '<div class="view-choice" role="group" aria-label="보기 방식">'
            '<button type="button" data-view="tabs">탭</button>'
            '<button type="button" data-view="side">나란히</button></div></div>')


def document(title, body, frameworks):
    """The whole page around ``body``."""
    first = frameworks[0] if frameworks else ""
    return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} — d2lmomentum</title>
<link rel="stylesheet" href="_static/katex/katex.min.css">
<link rel="stylesheet" href="_static/pygments.css">
<link rel="stylesheet" href="_static/page.css">
<script defer src="_static/katex/katex.min.js"></script>
<script defer src="_static/page.js"></script>
</head>
<body class="view-tabs" data-framework="{esc(first)}" data-frameworks="{esc(' '.join(frameworks))}">
<header class="site-header"><a class="brand" href="#">d2lmomentum</a>{toolbar(frameworks)}</header>
{body}
<footer class="site-footer">d2lmomentum · 수식: KaTeX · 코드 강조: Pygments</footer>
</body>
</html>
"""
