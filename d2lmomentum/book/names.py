"""A chapter's name in a book: its path in the book's folder without ``.md`` (``gd``,
``part_a/index``), checked once, so that every folder the builder writes is computed from names
that stay inside the output folder.

A name is one or more path components joined by ``/``; each component is **safe**: not empty,
not starting with ``.`` (so never ``.``, ``..``, ``...`` or a hidden folder), without a
backslash or a control character, and not a name the output folder already uses beside a page
(``_static``, ``_images``, a framework's folder, the explorer's, ``index.html``). The book's own
index page is :data:`INDEX_CHAPTER` and no chapter may take that name at the top. Links between
pages are URL-quoted (``#``, ``?``, ``%`` and spaces in a name keep the link whole).
"""
import re
import urllib.parse
from pathlib import Path, PurePosixPath

from d2lmomentum.book.cells import TABS
from d2lmomentum.book.images import IMAGES_DIR
from d2lmomentum.errors import InvalidArgumentError

#: The chapter name of a book's own index page (at the book's root, the chapters one folder down).
INDEX_CHAPTER = "index"
PAGE_NAME = "index.html"
#: What sits beside a chapter's page or at the book's root, so no chapter folder may be named so.
#: The explorer's folder beside a chapter's page.
EXPLORER_DIR = "explorer"
#: The book's static files (the page's CSS, scripts, KaTeX), at its root.
STATIC = "_static"
RESERVED = frozenset({STATIC, IMAGES_DIR, EXPLORER_DIR, PAGE_NAME, *TABS})
_UNSAFE = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")


def component_problem(part):
    """Why ``part`` is not a safe single path component for a chapter's folder, or None."""
    if not part:
        return "an empty name"
    if part.startswith("."):
        return "a name that starts with '.'"
    if _UNSAFE.search(part):
        return "a backslash or a control character in the name"
    if part in RESERVED:
        return f"the name of the builder's own {part!r}"
    return None


def chapter_name(path, book_dir):
    """The name of the chapter file ``path`` in the book folder ``book_dir`` (its relative path
    without ``.md``, ``/``-separated). Raises :class:`InvalidArgumentError` naming the file
    when a component is not safe (see the module)."""
    relative = PurePosixPath(Path(path).resolve().relative_to(Path(book_dir).resolve()).as_posix())
    parts = [*relative.parts[:-1], relative.name[:-len(relative.suffix)] if relative.suffix else relative.name]
    name = "/".join(parts)
    problem = next(filter(None, map(component_problem, parts)), None)
    if problem is None and name == INDEX_CHAPTER:
        problem = "the name of the book's own index page"
    if problem:
        raise InvalidArgumentError(f"chapter {path}: {problem} ({name!r}) cannot be a page's folder; "
                                   "rename the file")
    return name


def up(name):
    """The relative path from chapter ``name``'s page folder to the book's root (``""`` for the index)."""
    return "" if name == INDEX_CHAPTER else "../" * (name.count("/") + 1)


def page_href(name, page=PAGE_NAME):
    """The URL of chapter ``name``'s page relative to the book's root (the index: ``index.html``)."""
    if name == INDEX_CHAPTER:
        return page
    return f"{urllib.parse.quote(name)}/{page}"


def file_stem(name):
    """The last component of ``name``: the stem of the files named after the chapter (notebooks)."""
    return name.rsplit("/", 1)[-1]
