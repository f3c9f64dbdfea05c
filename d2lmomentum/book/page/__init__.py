"""A chapter as an offline page: ``<folder>/index.html`` with its static files, built from the
parsed chapter and its runs' reports, in memory.

Markdown is rendered by markdown-it-py from the tokens parsed once with the chapter, every
formula typeset by the vendored KaTeX in the browser (the TeX stays in ``data-tex`` and in
KaTeX's MathML annotation), d2l's references resolved (:mod:`d2lmomentum.book.references`),
a bibliography, code highlighted by Pygments, a tab per framework or the frameworks side by
side, images copied beside the page (:mod:`d2lmomentum.book.images`), exercise solutions
folded, and the interactive explorer where the chapter has the marker ``<!-- explorer -->``.
The HTML around the chapter's own comes from the templates of
:mod:`d2lmomentum.book.page.templates`, which escape every text.
"""
import dataclasses
import os
import typing
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.book import images, markdown
from d2lmomentum.book.names import EXPLORER_DIR, PAGE_NAME
from d2lmomentum.book.page import body, summary
from d2lmomentum.book.page.assets import STATIC, copy_assets
from d2lmomentum.book.page.templates import render
from d2lmomentum.book.ui import strings
from d2lmomentum.explorer import write_explorer


__all__ = ["build_page", "Navigation", "ContentsEntry", "EXPLORER_DIR", "PAGE_NAME"]


class ContentsEntry(typing.NamedTuple):
    """A chapter in the book's contents: its page's ``href`` (from the page that lists it), its
    ``number`` and ``title``, and whether it is the ``current`` page."""
    href: str
    number: object
    title: str
    current: bool = False


@dataclasses.dataclass(frozen=True)
class Navigation:
    """A page's place in a book: ``site`` (the book's folder, holding ``_images`` and the
    ``_static`` files, which the book copies once), ``contents`` (the book's chapters, as
    :class:`ContentsEntry` linked from the page), ``previous``/``following`` (``(href, title)``
    or None), ``home`` (the book's index) and ``brand`` (the book's title)."""
    site: Path
    contents: tuple = ()
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
    if placed is None:
        placed = images.copy_images(images.chapter_images(chapter), chapter.path, chapter.source.root, site,
                                    page_dir=folder)
    explorer = _explorer(folder, ui) if any(markdown.EXPLORER_MARKER in c.source for c in chapter.cells) else None
    env = render_env(chapter, placed, explorer)
    records = {fw: {c.index: c for c in rep.cells} for fw, rep in reports.items()}
    found_headings = []

    def render_markdown(cell):
        tokens = chapter.tokens[cell.index]
        found_headings.extend(body.headings(tokens))
        return markdown.render(tokens, env)

    blocks = body.blocks(chapter.cells, shown, records, render_markdown)
    static = Path(copy_assets(site)) if nav is None else Path(site) / STATIC  # a book copies them once
    path = folder / PAGE_NAME
    write_atomic(path, render(
        "chapter.html", title=next((text for level, _, text in found_headings if level == 1), chapter.title()),
        brand=nav.brand if nav else "d2lmomentum", home=nav.home if nav else "#", lang=chapter.lang,
        static=Path(os.path.relpath(static, folder)).as_posix(), frameworks=shown, ui=ui, nav=nav,
        headings=found_headings, body=blocks, rows=summary.rows(reports, ui),
        entries=chapter.references.bibliography_entries("html")))
    return path


def render_env(chapter, placed, explorer=None):
    """What :func:`d2lmomentum.book.markdown.render` needs for ``chapter``: its references, the
    UI words of its language, its ``placed`` images (a placeholder for any other) and the
    ``explorer`` embed."""
    ui = strings(chapter.lang)
    return {"references": chapter.references, "ui": ui, "explorer": explorer,
            "images": lambda ref: placed.get(ref, (None, ui["missing_image"].format(name=ref)))}


def _explorer(folder, ui):
    """The explorer's embed, its page written into ``folder/explorer/``."""
    page = Path(write_explorer(folder / EXPLORER_DIR))
    return render("explorer.html", src=page.resolve().relative_to(folder.resolve()).as_posix(), ui=ui)
