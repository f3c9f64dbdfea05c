"""``index.html``: the chapter's text with each framework's code, output and figures side by side."""
import html
import json
import re
from pathlib import Path

from d2lmomentum.cells import parse

_CSS = """
body{font-family:sans-serif;max-width:1500px;margin:auto;padding:1em;line-height:1.5}
.row{display:grid;gap:12px;margin:8px 0}
.col{min-width:0;border:1px solid #ddd;border-radius:6px;padding:6px;background:#fafafa}
.col h4{margin:0 0 4px 0;color:#555}
pre{white-space:pre-wrap;font-size:12px;margin:4px 0}
pre.code{background:#f0f0f8;padding:6px}
pre.out{background:#fff;border-left:3px solid #8c8;padding:4px}
pre.err{background:#fee;border-left:3px solid #c44;padding:4px}
img{max-width:100%}
.summary td,.summary th{padding:2px 10px;border-bottom:1px solid #ddd}
"""


def _markdown(text):
    """A small markdown-to-HTML: headings, paragraphs, lists, links; math left for MathJax."""
    out, para = [], []

    def flush():
        if para:
            out.append("<p>" + " ".join(para) + "</p>")
            para.clear()

    for line in text.splitlines():
        esc = html.escape(line)
        esc = re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r'<a href="\2">\1</a>', esc)
        m = re.match(r"^(#{1,4})\s+(.*)", esc)
        if m:
            flush()
            level = len(m.group(1))
            out.append(f"<h{level}>{m.group(2)}</h{level}>")
        elif re.match(r"^\s*(\*|1\.)\s+", esc):
            flush()
            out.append("<li>" + re.sub(r"^\s*(\*|1\.)\s+", "", esc) + "</li>")
        elif not esc.strip():
            flush()
        else:
            para.append(esc)
    flush()
    return "\n".join(out)


def _cell_html(rec, fw):
    parts = [f'<pre class="code">{html.escape(rec["source"])}</pre>']
    if rec.get("stdout"):
        parts.append(f'<pre class="out">{html.escape(rec["stdout"])}</pre>')
    if rec.get("value"):
        parts.append(f'<pre class="out">{html.escape(rec["value"])}</pre>')
    if not rec.get("ok"):
        parts.append(f'<pre class="err">{html.escape(rec.get("error", ""))}\n'
                     f'{html.escape(rec.get("traceback", ""))}</pre>')
    for fig in rec.get("figures", []):
        parts.append(f'<img src="{html.escape(fw)}/{html.escape(fig)}" alt="{html.escape(fig)}">')
    parts.append(f'<div style="color:#888;font-size:11px">cell {rec["index"]}, '
                 f'{rec.get("seconds", 0):.2f} s</div>')
    return "\n".join(parts)


def build(out_dir, source_text, frameworks):
    """Write ``out_dir/index.html`` from ``out_dir/<fw>/report.json``; returns its path."""
    from d2lmomentum.runner import write_atomic
    out = Path(out_dir)
    reports = {}
    for fw in frameworks:
        path = out / fw / "report.json"
        if path.is_file():
            reports[fw] = {c["index"]: c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]}
            reports[fw]["_summary"] = json.loads(path.read_text(encoding="utf-8"))
    fws = [fw for fw in frameworks if fw in reports]
    body = ["<h1>d2lmomentum: chapter run</h1>", '<table class="summary"><tr><th>framework</th>'
            "<th>cells</th><th>ok</th><th>seconds</th></tr>"]
    for fw in fws:
        s = reports[fw]["_summary"]
        ok = sum(c["ok"] for c in s["cells"])
        body.append(f"<tr><td>{fw}</td><td>{len(s['cells'])}</td><td>{ok}</td><td>{s['seconds']:.1f}</td></tr>")
    body.append("</table>")
    grid = f"grid-template-columns:repeat({max(len(fws), 1)},1fr)"
    pending = {fw: [] for fw in fws}

    def flush_row():
        if any(pending.values()):
            cols = "".join(f'<div class="col"><h4>{fw}</h4>{"".join(pending[fw])}</div>' for fw in fws)
            body.append(f'<div class="row" style="{grid}">{cols}</div>')
        for fw in fws:
            pending[fw] = []

    for cell in parse(source_text):
        if cell.kind == "markdown" and len(cell.tabs) > 1:
            flush_row()
            body.append(_markdown(cell.source))
            continue
        for fw in fws:
            if fw not in cell.tabs:
                continue
            if cell.kind == "markdown":
                pending[fw].append(_markdown(cell.source))
            elif cell.index in reports[fw]:
                pending[fw].append(_cell_html(reports[fw][cell.index], fw))
    flush_row()
    page = ("<!DOCTYPE html><html lang='ko'><head><meta charset='utf-8'><title>d2lmomentum chapter</title>"
            f"<style>{_CSS}</style><script>MathJax={{tex:{{inlineMath:[['$','$']]}}}}</script>"
            "<script async src='https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js'></script>"
            "</head><body>" + "\n".join(body) + "</body></html>")
    path = out / "index.html"
    write_atomic(path, page)
    return path
