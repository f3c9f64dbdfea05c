"""The links a reader of a built book can follow, read without a browser: in its HTML files, and
in its notebooks' markdown cells rendered to HTML by markdown-it (CommonMark with raw HTML,
tables and strikethrough, as Jupyter renders markdown)."""
import urllib.parse
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt

from d2lmomentum.book.outdir import STATE_DIR

from _helpers.dom import parse


#: The elements whose ``href`` or ``src`` a reader's browser follows or loads.
LINKING = ("a", "link", "script", "img", "iframe")


class Parsed:
    """An HTML document's ``links`` (``(tag, href or src, text)``, the text of an ``<a>``),
    ``ids``, ``spans`` (``(text, title)`` of each ``<span title>``), ``images`` (``(src, alt,
    title)``) and ``text`` (all the text a reader reads), from its :func:`~_helpers.dom.parse` tree."""

    def __init__(self, text):
        root = parse(text)
        elements = list(root.iter())
        self.text = root.text
        self.ids = {e.get("id") for e in elements if e.get("id")}
        self.images = [(e.get("src"), e.get("alt"), e.get("title")) for e in elements if e.tag == "img" and e.get("src")]
        self.links = [(e.tag, e.get("href") or e.get("src"), e.text if e.tag == "a" else "")
                      for e in elements if e.tag in LINKING and (e.get("href") or e.get("src"))]
        self.spans = [(e.text, e.get("title")) for e in elements if e.tag == "span" and e.get("title")]


def _markdown_it():
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_html(text):
    """``text`` (markdown) as HTML, as a notebook shows a markdown cell."""
    return _markdown_it().render(text)


def notebook_html(path):
    """The markdown cells of the notebook at ``path``, as HTML."""
    nb = nbformat.read(path, as_version=4)
    return "\n".join(markdown_html(cell.source) for cell in nb.cells if cell.cell_type == "markdown")


def document(path):
    """The :class:`Parsed` HTML of a page or of a notebook's markdown."""
    path = Path(path)
    text = notebook_html(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    return Parsed(text)


def is_relative(link):
    """Whether ``link`` names a file by a path relative to its document (no scheme, no host;
    a ``#fragment`` alone is relative to the document itself)."""
    parts = urllib.parse.urlsplit(link)
    return not parts.scheme and not parts.netloc


def target(path, link):
    """``(file, fragment)`` the relative ``link`` of the document at ``path`` leads to."""
    parts = urllib.parse.urlsplit(link)
    file = Path(path) if not parts.path else Path(path).parent / urllib.parse.unquote(parts.path)
    return Path(file).resolve(), urllib.parse.unquote(parts.fragment)


def documents(out):
    """Every HTML page and notebook under ``out`` (the tool's own state left out)."""
    return sorted(p for p in Path(out).rglob("*") if p.suffix in (".html", ".ipynb")
                  and STATE_DIR not in p.relative_to(out).parts)


def unresolved_links(out):
    """``(broken, checked)``: every relative link of every page and notebook under ``out`` whose
    file is not there, or whose ``#fragment`` names no id in that page or notebook, as
    ``(document, link)`` (paths relative to ``out``); and how many links were checked."""
    parsed, broken, checked = {}, [], 0
    for path in documents(out):
        parsed.setdefault(path.resolve(), document(path))
        for _, link, _ in parsed[path.resolve()].links:
            if not is_relative(link):
                continue
            checked += 1
            file, fragment = target(path, link)
            if not file.is_file():
                broken.append((path.relative_to(out).as_posix(), link))
            elif fragment and file.suffix in (".html", ".ipynb"):
                if file not in parsed:
                    parsed[file] = document(file)
                if fragment not in parsed[file].ids:
                    broken.append((path.relative_to(out).as_posix(), link))
    return broken, checked
