"""A chapter read and parsed once: the object that the notebooks, the kernels and the page take.

:func:`load_chapter` reads a d2l-format file with what sits in its tree (``config.ini``, its own
``.bib`` or the nearest ``d2l.bib``, ``img/``; see :mod:`d2lmomentum.book.source`), splits it
into cells (:mod:`d2lmomentum.book.cells`), parses each markdown cell once
(:mod:`d2lmomentum.book.markdown`) and numbers its sections, equations, figures and tables.
Its :class:`~d2lmomentum.book.references.References` are made by :func:`link` once every
chapter of the book is loaded, so that references between chapters resolve.
"""
import dataclasses
from importlib.resources import files
from pathlib import Path

from d2lmomentum.book import cells as cell_format
from d2lmomentum.book import markdown, source
from d2lmomentum.book.bibliography import Bibliography, packaged_bib_files
from d2lmomentum.book.diagnostics import warn
from d2lmomentum.book.references import ChapterTargets, References
from d2lmomentum.errors import InvalidArgumentError

#: The packaged chapter's file name in ``d2lmomentum.chapter``.
PACKAGED = "momentum.md"


def packaged_path():
    """The packaged Korean momentum chapter."""
    return Path(str(files("d2lmomentum.chapter").joinpath(PACKAGED)))


@dataclasses.dataclass
class Chapter:
    """One chapter: ``name`` (its page folder and notebook names), ``source`` (a
    :class:`~d2lmomentum.book.source.ChapterSource`: path, text, tree, config, ``.bib`` files),
    ``cells``, ``tokens`` (markdown cell index -> markdown-it tokens, parsed once), ``targets``
    (what its labels name) and, once linked, ``references``."""
    name: str
    source: object
    cells: list
    tokens: dict
    targets: ChapterTargets
    references: References = None

    @property
    def config(self):
        return self.source.config

    @property
    def lang(self):
        return self.source.config.lang

    @property
    def path(self):
        return self.source.path

    def frameworks(self, wanted):
        """The frameworks of ``wanted`` (in that order) that this chapter has code cells for."""
        present = {tab for c in self.cells if c.kind == "code" for tab in c.tabs}
        return tuple(fw for fw in wanted if fw in present)

    def title(self):
        """The text of the chapter's first level-1 heading (else its name)."""
        for tokens in self.tokens.values():
            for i, token in enumerate(tokens):
                if token.type == "heading_open" and token.tag == "h1":
                    return markdown.plain_text(tokens[i + 1])
        return self.name


def load_chapter(path=None, *, number=None, name=None, text=None, top=None):
    """Read and parse the chapter at ``path`` (default: the packaged momentum chapter); its
    sections, equations, figures and tables numbered under ``number`` (its place in a book, or
    None for a chapter alone). ``name``: its page folder (default: the file's stem); ``text``:
    the chapter's text if not the file's (its tree is still the file's); ``top``: the highest
    folder its tree is read from (:func:`d2lmomentum.book.source.read_chapter`)."""
    path = packaged_path() if path is None else path
    if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 1):
        raise InvalidArgumentError(f"number must be a positive integer (the chapter's place in the book), "
                                   f"got {number!r}")
    src = source.read_chapter(path, top)
    if text is not None:
        src = dataclasses.replace(src, text=text)
    name = name or Path(src.path).stem
    cells = cell_format.parse(src.text, default_tab=src.config.default_tab, where=str(src.path))
    tokens = {c.index: markdown.parse(c.source) for c in cells if c.kind == "markdown"}
    lines = {c.index: c.line for c in cells}
    targets = ChapterTargets([(t, lines[i]) for i, t in tokens.items()], chapter=name, prefix=number)
    return Chapter(name, src, cells, tokens, targets)


def book_targets(chapters):
    """label -> :class:`~d2lmomentum.book.references.Target` over ``chapters``; a label two
    chapters define is a warning naming both files (the first chapter keeps it)."""
    found, where = {}, {}
    for chapter in chapters:
        for label, target in chapter.targets.targets.items():
            if target.kind == "anchor" and label in found:
                continue
            here = f"{chapter.path}:{target.line}" if target.line else str(chapter.path)
            if label in found and found[label].kind != "anchor":
                warn(f"label {label!r} is defined in {where[label]} and again in {here}; "
                     f"references go to {where[label]}")
                continue
            found[label], where[label] = target, here
    return found


def link(chapters, *, bibliographies=None):
    """Give each chapter its :class:`References` into the whole book; returns ``chapters``.
    ``bibliographies``: a cache of parsed ``.bib`` file sets, shared across the book. A chapter
    cites from its own ``.bib`` files, then the packaged ones (always read, as in
    :mod:`d2lmomentum.book.bibliography`)."""
    book = book_targets(chapters) if len(chapters) > 1 else None
    cache = {} if bibliographies is None else bibliographies
    for chapter in chapters:
        bib_files = tuple(dict.fromkeys([*chapter.source.bib_files, *packaged_bib_files()]))
        if bib_files not in cache:
            cache[bib_files] = Bibliography(list(bib_files))
        chapter.references = References(chapter.targets, cache[bib_files], book=book, lang=chapter.lang)
    return chapters
