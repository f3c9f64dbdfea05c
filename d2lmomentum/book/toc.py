"""A book folder's chapters, in the order of its ``index.md``.

d2lbook orders a folder's chapters by the ```` ```toc ```` blocks of its ``index.md``: one
chapter per line, named without ``.md`` and relative to the folder (``gd``, or
``chapter_optimization/index`` for a part's own index); ``:maxdepth: 2``-style option lines and
blank lines are skipped, and Sphinx's ``Title <name>`` form names ``name``. Without an
``index.md`` or without a toc block in it, the chapters are every ``*.md`` of the folder but
``index.md``, by name. A part's ``index`` is listed as the file it is; reading its own folder's
order is the caller's choice (:func:`read_toc` on that folder).

A toc entry naming no file, leaving the folder (``..``, a link) or repeating an earlier one is a
:class:`~d2lmomentum.book.source.BookWarning` naming ``index.md``'s line, and is left out (so is
a ``*.md`` link leading out of the folder). A
folder without any chapter is an :class:`~d2lmomentum.errors.InvalidArgumentError`.
"""
import dataclasses
import re
from pathlib import Path

from markdown_it import MarkdownIt

from d2lmomentum.book.source import read_utf8, warn
from d2lmomentum.errors import InvalidArgumentError

INDEX_NAME = "index.md"
CHAPTER_SUFFIX = ".md"
_TITLED = re.compile(r"^.*<([^<>]+)>$")


@dataclasses.dataclass(frozen=True)
class BookToc:
    """A folder's chapters in reading order (absolute paths), its ``index.md`` (or None) and
    ``intro``: the index's text with its toc blocks taken out ('' without an index); ``folder``:
    the book's folder (absolute), which the chapters' names are relative to."""
    chapters: tuple
    index: Path = None
    intro: str = ""
    folder: Path = None


def _toc_entries(text):
    """``(name, line)`` of each entry of ``text``'s toc blocks, in order; and ``text`` without them."""
    entries, drop = [], set()
    for token in MarkdownIt("commonmark").parse(text):
        if token.type != "fence" or token.info.strip() != "toc":
            continue
        start, end = token.map
        drop.update(range(start, end))
        for offset, raw in enumerate(token.content.splitlines()):
            entry = raw.strip()
            if entry and not entry.startswith(":"):
                titled = _TITLED.match(entry)
                entries.append((titled.group(1).strip() if titled else entry, start + 2 + offset))
    intro = "".join(line for i, line in enumerate(text.splitlines(keepends=True)) if i not in drop)
    return entries, intro


def _toc_chapters(folder, index, entries):
    chapters = []
    for name, line in entries:
        file = folder / (name if name.endswith(CHAPTER_SUFFIX) else name + CHAPTER_SUFFIX)
        problem = None
        if not file.resolve().is_relative_to(folder):
            problem = f"leaves the folder {folder}"
        elif not file.is_file():
            problem = f"no file {file}"
        elif file.resolve() in chapters:
            problem = "listed before"
        if problem:
            where = f"{index}:{line}: toc entry {name!r}" if line else f"chapter {file}"
            warn(f"{where}: {problem}; left out")
        else:
            chapters.append(file.resolve())
    return chapters


def read_toc(book_dir):
    """The :class:`BookToc` of the folder ``book_dir`` (see the module's rules)."""
    folder = Path(book_dir)
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "no such folder"
        raise InvalidArgumentError(f"book {book_dir}: {what}; give the folder of a d2l book's chapters")
    folder = folder.resolve()
    index = folder / INDEX_NAME
    if index.is_file():
        entries, intro = _toc_entries(read_utf8(index, "book index"))
    else:
        index, entries, intro = None, [], ""
    if entries:
        chapters = _toc_chapters(folder, index, entries)
        why = f"none of the toc entries of {index} is a file"
    else:
        names = sorted(p.name for p in folder.glob("*" + CHAPTER_SUFFIX) if p.name != INDEX_NAME)
        chapters = _toc_chapters(folder, index, [(name, None) for name in names])
        why = f"no .md file but {INDEX_NAME}" if index else "no .md file"
    if not chapters:
        raise InvalidArgumentError(f"no chapter in {folder}: {why}; "
                                   "give a folder of d2l-format markdown chapters")
    return BookToc(tuple(chapters), index, intro, folder)


def chapter_order(book_dir):
    """The chapters of ``book_dir`` in reading order, a list of paths (:func:`read_toc`)."""
    return list(read_toc(book_dir).chapters)
