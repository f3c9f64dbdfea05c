"""A chapter as an offline page: ``<folder>/index.html`` with its static files, built from the
parsed chapter and its runs' reports, in memory.

Markdown is rendered by markdown-it-py from the tokens parsed once with the chapter, every
formula typeset by the vendored KaTeX in the browser (the TeX stays in ``data-tex`` and in
KaTeX's MathML annotation), d2l's references resolved (:mod:`d2lmomentum.book.references`),
a bibliography, code highlighted by Pygments, a tab per framework or the frameworks side by
side, images copied beside the page (:mod:`d2lmomentum.book.images`), exercise solutions
folded, and the interactive explorer where the chapter has the marker ``<!-- explorer -->``.
"""
import dataclasses
import os
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.book import images, markdown
from d2lmomentum.book.names import EXPLORER_DIR, PAGE_NAME
from d2lmomentum.book.page import html
from d2lmomentum.book.page.assets import STATIC, copy_assets
from d2lmomentum.book.ui import strings
from d2lmomentum.explorer import write_explorer


__all__ = ["build_page", "Navigation", "EXPLORER_DIR", "PAGE_NAME"]


@dataclasses.dataclass(frozen=True)
class Navigation:
    """A page's place in a book: ``site`` (the book's folder, holding ``_images`` and the
    ``_static`` files, which the book copies once), ``contents`` (the book's table of contents as HTML, links relative to the
    page), ``previous``/``following`` (``(href, title)`` or None) and ``home`` (the book's index)."""
    site: Path
    contents: str = ""
    previous: tuple = None
    following: tuple = None
    home: str = "../index.html"
    brand: str = "d2lmomentum"


def build_page(chapter, folder, reports, frameworks, *, nav=None, placed=None):
    """Write ``folder/index.html`` for the linked
    :class:`~d2lmomentum.book.chapter.Chapter` ``chapter`` and ``reports`` (framework ->
    :class:`~d2lmomentum.book.report.RunReport`, in memory) of ``frameworks``; returns its path.
    ``nav``: the page's :class:`Navigation` in a book (None: a chapter alone, its static files beside it);
    ``placed``: the chapter's images as :func:`d2lmomentum.book.images.copy_images` already
    copied them for this page's folder (else they are copied here)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ui = strings(chapter.lang)
    site = folder if nav is None else Path(nav.site)
    shown = [fw for fw in frameworks if fw in reports] or list(frameworks)
    refs = chapter.references
    if placed is None:
        placed = images.copy_images(images.chapter_images(chapter), chapter.path, chapter.source.root, site,
                                    page_dir=folder)
    explorer = _explorer(folder, ui) if any(markdown.EXPLORER_MARKER in c.source for c in chapter.cells) else None
    env = render_env(chapter, placed, explorer)
    records = {fw: {c.index: c for c in rep.cells} for fw, rep in reports.items()}
    found_headings = []

    def render_markdown(cell):
        tokens = chapter.tokens[cell.index]
        found_headings.extend(html.headings(tokens))
        return markdown.render(tokens, env)

    body = _body(chapter.cells, shown, records, render_markdown, ui)
    title = next((text for level, _, text in found_headings if level == 1), chapter.title())
    bibliography = html.bibliography(refs, ui)
    contents = nav.contents if nav else ""
    article = f'<article class="chapter">{body}</article>{bibliography}{_pager(nav, ui)}'
    page_body = (f'<div class="layout">{html.toc(found_headings, ui, bool(bibliography), contents)}'
                 f'<main>{html.summary(reports, ui)}{article}</main></div>')
    static = Path(copy_assets(site)) if nav is None else Path(site) / STATIC  # a book copies them once
    static_href = Path(os.path.relpath(static, folder)).as_posix()
    path = folder / PAGE_NAME
    write_atomic(path, html.document(title, page_body, shown, ui, lang=chapter.lang, static=static_href,
                                     brand=nav.brand if nav else "d2lmomentum", home=nav.home if nav else "#"))
    return path


def render_env(chapter, placed, explorer=None):
    """What :func:`d2lmomentum.book.markdown.render` needs for ``chapter``: its references, the
    UI words of its language, its ``placed`` images (a placeholder for any other) and the
    ``explorer`` embed."""
    ui = strings(chapter.lang)
    return {"references": chapter.references, "ui": ui, "explorer": explorer,
            "images": lambda ref: placed.get(ref, (None, ui["missing_image"].format(name=ref)))}


def _body(cells, shown, records, render_markdown, ui):
    """The chapter's cells as HTML: prose shared by every shown framework, each run of code cells
    (and framework-only markdown) as one tab group, a run of solution cells folded."""
    parts, pending, solution, current = [], [], [], [0]

    def flush():
        if pending:
            (solution if pending[0].solution else parts).append(
                html.group(list(pending), shown, records, render_markdown, ui))
            pending.clear()

    def close_solution():
        if solution:
            parts.append(html.solution("".join(solution), ui))
            solution.clear()

    for cell in cells:
        if pending and pending[0].solution != cell.solution:
            flush()
        if solution and cell.solution != current[0]:
            close_solution()
        current[0] = cell.solution
        if cell.kind == "markdown" and set(cell.tabs) >= set(shown):
            flush()
            (solution if cell.solution else parts).append(render_markdown(cell))
        else:
            pending.append(cell)
    flush()
    close_solution()
    return "".join(parts)


def _pager(nav, ui):
    if nav is None or not (nav.previous or nav.following):
        return ""
    links = []
    for key, target in (("previous", nav.previous), ("next", nav.following)):
        if target:
            href, title = target
            links.append(f'<a class="pager-{key}" rel="{"prev" if key == "previous" else "next"}" '
                         f'href="{html.esc(href)}"><span>{html.esc(ui[key])}</span> {html.esc(title)}</a>')
    return f'<nav class="pager" aria-label="{html.esc(ui["previous"])} / {html.esc(ui["next"])}">{"".join(links)}</nav>'


def _explorer(folder, ui):
    """The explorer's iframe, written into ``folder/explorer/``."""
    page = Path(write_explorer(folder / EXPLORER_DIR))
    src = page.resolve().relative_to(folder.resolve()).as_posix()
    return (f'<figure class="explorer"><iframe src="{html.esc(src)}" title="{html.esc(ui["explorer_title"])}" '
            f'loading="lazy"></iframe><figcaption>{html.esc(ui["explorer_caption"])} '
            f'(<a href="{html.esc(src)}">{html.esc(ui["open_in_window"])}</a>)</figcaption></figure>')

