"""A folder of d2l chapters as one offline book.

``out/index.html`` is the folder's ``index.md`` (the introduction and the table of contents);
``out/<chapter>/`` holds what :func:`~d2lmomentum.book.pipeline.run_chapter` writes for that
chapter alone (its page ``index.html``, ``<framework>/`` with the executed notebook, figures
and ``report.json``). Chapters are numbered in the order of the index's ``toc`` block
(:mod:`d2lmomentum.book.toc`); every page shows the book's contents, its own sections and
previous/next links; static files and images sit once in ``out/_static`` and ``out/_images``.
A chapter that cannot be read (not UTF-8, a cell never closed) is a warning naming the file and
line, and the rest of the book is still built.
"""
import dataclasses
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.book import images, markdown, names, toc
from d2lmomentum.book.chapter import link, load_chapter
from d2lmomentum.book.diagnostics import warn
from d2lmomentum.book.options import BuildOptions
from d2lmomentum.book.page import PAGE_NAME, Navigation, render_env
from d2lmomentum.book.page import html
from d2lmomentum.book.page.assets import copy_assets
from d2lmomentum.book.outdir import claim
from d2lmomentum.book.pipeline import DEFAULT_FRAMEWORK, check_frameworks, parse_frameworks, run
from d2lmomentum.book.names import INDEX_CHAPTER
from d2lmomentum.book.ui import strings
from d2lmomentum.errors import InvalidArgumentError


def build_book(source_dir, out_dir, frameworks=DEFAULT_FRAMEWORK, *, execute=True, options=None, progress=False,
               on_run=None, **values):
    """Build the book of the chapters in ``source_dir`` into ``out_dir`` on ``frameworks`` (a
    name, a comma list, ``"all"`` or a sequence), every chapter × framework run sharing one pool
    of ``jobs`` kernels; returns the :class:`~d2lmomentum.book.pipeline.RunResult` (its
    ``index`` the book's ``index.html``). ``execute=False``: the notebooks and pages without
    running a cell. ``options`` (or its fields as keywords) as in
    :func:`~d2lmomentum.book.pipeline.run_chapter` (``force`` included: the output folder is
    claimed by :func:`d2lmomentum.book.outdir.claim`); runs are cached in ``out_dir/.d2lmomentum/``."""
    options = BuildOptions.of(options, **values)
    frameworks = check_frameworks(frameworks) if execute else parse_frameworks(frameworks)
    book = toc.read_toc(source_dir)
    chapters, unreadable = _load(book)
    with claim(out_dir, sources=[book.folder], force=options.force) as out:
        return _build(book, chapters, unreadable, out, frameworks, execute=execute, options=options,
                      progress=progress, on_run=on_run)


def _load(book):
    """The readable chapters of ``book``, numbered in its order, and the paths of the others (each warned)."""
    chapters, unreadable = [], []
    for path in book.chapters:
        try:
            name = names.chapter_name(path, book.folder)
            chapters.append(load_chapter(path, number=len(chapters) + 1, name=name, top=book.folder.parent))
        except InvalidArgumentError as e:
            warn(f"{e}; this chapter is left out of the book")
            unreadable.append(path)
    if not chapters:
        raise InvalidArgumentError(f"no readable chapter in {book.folder}: each one is named in a warning above; "
                                   "fix them (UTF-8, every code cell closed, a safe file name)")
    return chapters, unreadable


def _build(book, chapters, unreadable, out, frameworks, **kwargs):
    intro = _index_chapter(book)
    link([*chapters, intro] if intro is not None else chapters)
    entries = [(c.name, c.title(), c.targets.prefix) for c in chapters]
    lang = chapters[0].lang if chapters else (intro.lang if intro else "ko")

    def nav(chapter):
        i = next(k for k, c in enumerate(chapters) if c is chapter)
        up = names.up(chapter.name)
        pages = [(up + names.page_href(c.name), f"{c.targets.prefix}. {c.title()}") for c in chapters]
        return Navigation(site=out, contents=contents(entries, chapter.name, lang, at_root=False,
                                                      home=_title(intro, book)),
                          previous=pages[i - 1] if i > 0 else (up + PAGE_NAME, _title(intro, book)),
                          following=pages[i + 1] if i + 1 < len(pages) else None,
                          home=up + PAGE_NAME, brand=_title(intro, book))

    result = run(chapters, {c.name: out / c.name for c in chapters}, frameworks, nav=nav, out=out, **kwargs)
    result.index = write_index(out, intro, book, entries, lang, unreadable)
    return result


def _index_chapter(book):
    """The book's ``index.md`` without its toc block, as a chapter of its own (or None)."""
    if book.index is None:
        return None
    try:
        return load_chapter(book.index, name=INDEX_CHAPTER, text=book.intro, top=book.folder.parent)
    except InvalidArgumentError as e:
        warn(f"{e}; the book's index shows its contents only")
        return None


def _title(intro, book):
    return intro.title() if intro is not None else Path(book.chapters[0]).parent.name


def contents(entries, current, lang, *, at_root, home=None):
    """The book's table of contents as HTML: ``entries`` ``(name, title, number)`` linked from a
    page at the book's root (``at_root``) or in a chapter's folder; ``current`` marked; first a
    link to the book's index, named ``home`` (the book's title)."""
    ui = strings(lang)
    up = "" if at_root else names.up(current)
    items = []
    for name, title, number in entries:
        mark = ' aria-current="page"' if name == current else ""
        items.append(f'<li class="toc-chapter"><a href="{html.esc(up + names.page_href(name))}"{mark}>'
                     f'<span class="section-number">{number}.</span> {html.esc(title)}</a></li>')
    home = f'<li class="toc-home"><a href="{up}{PAGE_NAME}">{html.esc(home or ui["book_contents"])}</a></li>'
    return (f'<details class="book-contents" open><summary>{html.esc(ui["book_contents"])}</summary>'
            f'<ul>{home}{"".join(items)}</ul></details>')


def write_index(out, intro, book, entries, lang, unreadable=()):
    """``out/index.html``: the introduction, then the numbered table of contents."""
    ui = strings(lang)
    prose = ""
    if intro is not None:
        placed = images.copy_images(images.chapter_images(intro), intro.path, intro.source.root, out, page_dir=out)
        env = render_env(intro, placed)
        prose = "".join(markdown.render(intro.tokens[c.index], env) for c in intro.cells if c.kind == "markdown")
        prose += html.bibliography(intro.references, ui)
    items = "".join(f'<li><a href="{html.esc(names.page_href(name))}"><span class="section-number">{number}.</span> '
                    f'{html.esc(title)}</a></li>' for name, title, number in entries)
    items += "".join(f'<li class="unreadable">{html.esc(Path(p).name)}</li>' for p in unreadable)
    listing = f'<section class="book-toc"><h2 id="contents">{html.esc(ui["contents"])}</h2><ol>{items}</ol></section>'
    title = _title(intro, book)
    body = (f'<div class="layout"><nav class="toc" aria-label="{html.esc(ui["book_contents"])}">'
            f'{contents(entries, None, lang, at_root=True, home=title)}</nav>'
            f'<main><article class="chapter book-index">{prose}{listing}</article></main></div>')
    static = copy_assets(out)
    path = Path(out) / PAGE_NAME
    write_atomic(path, html.document(title, body, [], ui, lang=lang, static=Path(static).name, brand=title))
    return path
