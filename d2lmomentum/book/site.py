"""A folder of d2l chapters as one offline book.

``out/index.html`` is the folder's ``index.md`` (the introduction and the table of contents,
through the template ``book_index.html`` of :mod:`d2lmomentum.book.page.templates`);
``out/<chapter>/`` holds what :func:`~d2lmomentum.book.pipeline.run_chapter` writes for that
chapter alone (its page ``index.html``, ``<framework>/`` with the executed notebook, figures
and ``report.json``). Chapters are numbered in the order of the index's ``toc`` block
(:mod:`d2lmomentum.book.toc`); every page shows the book's contents, its own sections and
previous/next links; static files and images sit once in ``out/_static`` and ``out/_images``.
A chapter that cannot be read (not UTF-8, a cell never closed) is a warning naming the file and
line, and the rest of the book is still built.
"""
from pathlib import Path

from markupsafe import Markup

from d2lmomentum.atomic import write_atomic
from d2lmomentum.book import images, markdown, names, toc
from d2lmomentum.book.chapter import link, load_chapter
from d2lmomentum.book.diagnostics import warn
from d2lmomentum.book.options import BuildOptions
from d2lmomentum.book.page import PAGE_NAME, ContentsEntry, Navigation, render_env
from d2lmomentum.book.page.assets import copy_assets
from d2lmomentum.book.page.templates import render
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

    place = {id(c): i for i, c in enumerate(chapters)}

    def nav(chapter):
        i, up = place[id(chapter)], names.up(chapter.name)

        def page(c):
            return up + names.page_href(c.name), f"{c.targets.prefix}. {c.title()}"
        return Navigation(site=out, contents=contents(entries, chapter.name, at_root=False),
                          previous=page(chapters[i - 1]) if i > 0 else (up + PAGE_NAME, _title(intro, book)),
                          following=page(chapters[i + 1]) if i + 1 < len(chapters) else None,
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


def contents(entries, current, *, at_root):
    """The book's table of contents: a :class:`~d2lmomentum.book.page.ContentsEntry` per
    ``entries`` ``(name, title, number)``, linked from a page at the book's root (``at_root``)
    or in ``current``'s folder; ``current`` marked."""
    up = "" if at_root else names.up(current)
    return tuple(ContentsEntry(up + names.page_href(name), number, title, name == current)
                 for name, title, number in entries)


def write_index(out, intro, book, entries, lang, unreadable=()):
    """``out/index.html``: the introduction, then the numbered table of contents."""
    ui = strings(lang)
    prose, bibliography = Markup(), []
    if intro is not None:
        placed = images.copy_images(images.chapter_images(intro), intro.path, intro.source.root, out, page_dir=out)
        env = render_env(intro, placed)
        prose = Markup().join(markdown.render(intro.tokens[c.index], env) for c in intro.cells if c.kind == "markdown")
        bibliography = intro.references.bibliography_entries("html")
    title = _title(intro, book)
    static = copy_assets(out)
    path = Path(out) / PAGE_NAME
    write_atomic(path, render("book_index.html", title=title, brand=title, home="#", lang=lang,
                              static=Path(static).name, frameworks=[], ui=ui, prose=prose, entries=bibliography,
                              rows=contents(entries, None, at_root=True), contents_home=PAGE_NAME,
                              unreadable=[Path(p).name for p in unreadable]))
    return path
