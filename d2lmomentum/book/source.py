"""One d2l chapter file and what its book tree puts beside it: ``config.ini``, ``.bib``, ``img/``.

A d2l book is a folder tree (d2l-en: ``config.ini``, ``d2l.bib``, ``img/`` at the top, the
chapters in ``chapter_*/``). :func:`read_chapter` reads one chapter and finds, by d2lbook's
rules, looking no higher than the book's **top** (a book ``SRC``: ``SRC`` and the folder above
it; a chapter alone: its folder and the one above it), never through a link that leads out of
the top (such a file is left out with a warning):

* the tree's **root**: the nearest folder at or above the chapter's, up to the top, that holds
  ``config.ini``, else the chapter's own folder;
* its **settings** (:class:`BookConfig`, from ``config.ini``: ``[build] tabs`` and
  ``[project] lang``, where d2lbook reads them);
* its **bibliography**: the chapter's own ``NAME.bib`` first, then the nearest ``d2l.bib`` from
  the chapter's folder up to the top (both when both exist: a chapter cites the book's keys
  as well as its own, and a key in both keeps the chapter's entry);
* its **image folders**: every ``img/`` from the chapter's folder up to the root, nearest first.

Bad input raises :class:`~d2lmomentum.errors.InvalidArgumentError` in one line that names the
file (and for text that is not UTF-8 the line and column of the first bad byte). Things left
out on purpose (a tab this project lacks, a language without page chrome) are
:class:`BookWarning` warnings (``warnings.warn``): the caller collects and prints them.
"""
import configparser
import dataclasses
from pathlib import Path

from d2lmomentum.backends import FRAMEWORKS
from d2lmomentum.book import diagnostics
from d2lmomentum.book.cells import TABS
from d2lmomentum.book.ui import LANGUAGES
from d2lmomentum.book.diagnostics import BookWarning
from d2lmomentum.errors import InvalidArgumentError

CONFIG_NAME = "config.ini"
#: The book-wide bibliography d2l keeps at the top of its tree.
BOOK_BIB_NAME = "d2l.bib"
IMG_DIR_NAME = "img"
#: The tabs and default tab of a tree without ``config.ini`` (d2l-ko's; d2lbook's old default tab).
DEFAULT_TABS = TABS
#: The languages the page chrome is written in; a tree without ``config.ini`` is Korean, one
#: whose ``config.ini`` names no language English (d2l-en's).
LANGS = LANGUAGES
NO_CONFIG_LANG, CONFIG_LANG = "ko", "en"
#: The sections d2lbook's ``config.ini`` has; a ``config.ini`` with none of them is not a book's.
_BOOK_SECTIONS = ("project", "build", "html", "pdf", "library")


def warn(message):
    """Issue ``message`` as a :class:`BookWarning` from the caller's caller."""
    diagnostics.warn(message, stacklevel=4, category=BookWarning)


@dataclasses.dataclass(frozen=True)
class BookConfig:
    """A book's d2lbook settings.

    ``tabs``: the frameworks this project runs, in ``config.ini``'s order; ``dropped_tabs``: the
    tabs it lists that this project lacks (d2l-en: ``('jax',)``); ``default_tab``: the tab of an
    untagged code cell, d2lbook's first listed tab, which may be a dropped one (then those cells
    are left out); ``lang``: ``'ko'`` or ``'en'``; ``path``: the ``config.ini`` read, or None.
    """
    tabs: tuple
    dropped_tabs: tuple
    default_tab: str
    lang: str
    path: Path = None


@dataclasses.dataclass(frozen=True)
class ChapterSource:
    """A chapter's text (UTF-8, ``\\n`` line ends) and its tree: ``root``, ``config``,
    ``bib_files`` (own ``.bib`` first, then ``d2l.bib``) and ``img_dirs`` (nearest first)."""
    path: Path
    text: str
    root: Path
    config: BookConfig
    bib_files: tuple
    img_dirs: tuple


def read_utf8(path, what="chapter"):
    """The text of ``path`` decoded as UTF-8 (a leading BOM dropped, line ends made ``\\n``).

    Raises :class:`InvalidArgumentError` naming ``what`` and the file when it is missing, a
    folder, not a regular file (a device, a FIFO) or unreadable, and the line and column (1-based, in characters) of the first byte
    that is not UTF-8.
    """
    path = Path(path)
    if path.is_dir():
        raise InvalidArgumentError(f"{what} {path}: is a folder, not a file; give a d2l-format markdown file")
    if path.exists() and not path.is_file():  # a device (/dev/zero) or a FIFO: endless, or waits forever
        raise InvalidArgumentError(f"{what} {path}: not a regular file (a device or a pipe); "
                                   "give a d2l-format markdown file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidArgumentError(f"{what} {path}: no such file; give a d2l-format markdown file") from None
    except OSError as e:
        raise InvalidArgumentError(f"{what} {path}: cannot be read ({e.strerror or e}); "
                                   "check its permissions") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line_start = data.rfind(b"\n", 0, e.start) + 1
        line = data.count(b"\n", 0, e.start) + 1
        column = len(data[line_start:e.start].decode("utf-8-sig")) + 1
        raise InvalidArgumentError(
            f"{what} {path}:{line}:{column}: not UTF-8 (byte 0x{data[e.start]:02x}, {e.reason}); "
            "save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def default_top(folder):
    """The highest folder a chapter in ``folder`` reads its tree from, when alone: the folder above."""
    return Path(folder).resolve().parent


def inside(path, top):
    """Whether ``path``, every link followed, is inside the folder ``top``."""
    return Path(path).resolve().is_relative_to(Path(top).resolve())


def find_root(folder, top=None):
    """The nearest folder at or above ``folder``, up to ``top`` (default :func:`default_top`),
    holding a d2lbook ``config.ini`` (one with a ``[project]``, ``[build]``, … section; any other
    ``config.ini`` is not a book's) inside ``top``, else ``folder``."""
    folder = Path(folder).resolve()
    top = default_top(folder) if top is None else Path(top).resolve()
    for parent in folders_up(folder, top):
        config = parent / CONFIG_NAME
        if _is_book_config(config) and inside(config, top):
            return parent
    return folder


def _is_book_config(path):
    try:
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return False
    return any(f"[{section}]" in text for section in _BOOK_SECTIONS)


def folders_up(folder, root):
    """``folder`` and its parents up to ``root`` inclusive, nearest first (``folder`` inside ``root``;
    else ``folder`` alone)."""
    folder, root = Path(folder).resolve(), Path(root).resolve()
    if not folder.is_relative_to(root):
        return [folder]
    chain = [folder]
    while chain[-1] != root:
        chain.append(chain[-1].parent)
    return chain


def _config_error(path, e):
    """configparser's error as one line (its own messages span several)."""
    lineno, why = getattr(e, "lineno", None), str(e).splitlines()[0]
    if isinstance(e, configparser.MissingSectionHeaderError):
        why = "a line before any [section] header"
    elif isinstance(e, configparser.DuplicateSectionError):
        why = f"section [{e.section}] given twice"
    elif isinstance(e, configparser.DuplicateOptionError):
        why = f"key {e.option!r} given twice in [{e.section}]"
    elif getattr(e, "errors", None):  # ParsingError: the first line it could not read
        lineno, line = e.errors[0]
        why = "cannot read " + line.replace(r"\n", "")  # repr() of the line
    where = f"{path}:{lineno}" if lineno else str(path)
    return InvalidArgumentError(f"book settings {where}: not a valid config.ini ({why}); "
                                "write it in d2lbook's INI format ([section] lines, then key = value)")


def read_config(root, top=None):
    """The :class:`BookConfig` of the tree whose top folder is ``root``.

    From ``root/config.ini`` (d2lbook's keys ``[build] tabs``, ``[project] lang``): tabs this
    project lacks are dropped with a :class:`BookWarning`; no ``tabs`` means
    :data:`DEFAULT_TABS`; no ``lang`` means English, a language without page chrome English with
    a warning. Without ``config.ini`` (or with one that links out of ``top``, warned):
    :data:`DEFAULT_TABS`, default ``mxnet``, Korean.
    """
    path = Path(root) / CONFIG_NAME
    if not (_in_tree(path, top) if top is not None else path.is_file()):
        return BookConfig(DEFAULT_TABS, (), DEFAULT_TABS[0], NO_CONFIG_LANG)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(read_utf8(path, "book settings"), source=str(path))
    except configparser.Error as e:
        raise _config_error(path, e) from None
    listed = [t.strip().lower() for t in parser.get("build", "tabs", fallback="").split(",") if t.strip()]
    listed = list(dict.fromkeys(listed)) or list(DEFAULT_TABS)
    tabs = tuple(t for t in listed if t in FRAMEWORKS)
    dropped = tuple(t for t in listed if t not in FRAMEWORKS)
    if dropped:
        warn(f"{path}: tab{'s' if len(dropped) > 1 else ''} {', '.join(dropped)} left out "
             f"(d2lmomentum runs {', '.join(FRAMEWORKS)})")
    if listed[0] in dropped:
        warn(f"{path}: the default tab {listed[0]} (of untagged code cells) is left out, "
             "and so are those cells")
    if not tabs:
        raise InvalidArgumentError(f"book settings {path}: tabs = {', '.join(listed)} names no framework "
                                   f"d2lmomentum runs; list at least one of {', '.join(FRAMEWORKS)}")
    lang = parser.get("project", "lang", fallback="").strip().lower() or CONFIG_LANG
    if lang not in LANGS:
        warn(f"{path}: lang = {lang} has no page chrome; English used (known: {', '.join(LANGS)})")
        lang = CONFIG_LANG
    return BookConfig(tabs, dropped, listed[0], lang, path)


def _in_tree(path, top):
    if not path.is_file():
        return False
    if inside(path, top):
        return True
    warn(f"{path}: a link out of the book's folder {top}; not read")
    return False


def _bib_files(chapter, chain, top):
    own = chapter.with_suffix(".bib")
    found = [own] if _in_tree(own, top) else []
    book = next((f / BOOK_BIB_NAME for f in chain if _in_tree(f / BOOK_BIB_NAME, top)), None)
    if book is not None and book != own:
        found.append(book)
    return tuple(found)


def read_chapter(path, top=None):
    """The :class:`ChapterSource` of the d2l chapter file ``path`` (see the module's rules);
    ``top``: the highest folder of its book (default: the folder above the chapter's)."""
    if not isinstance(path, (str, Path)):
        raise InvalidArgumentError(f"chapter must be a file path, got {type(path).__name__} {path!r}")
    text = read_utf8(path)
    chapter = Path(path).resolve()
    top = default_top(chapter.parent) if top is None else Path(top).resolve()
    root = find_root(chapter.parent, top)
    chain = folders_up(chapter.parent, root)
    img_dirs = tuple(f / IMG_DIR_NAME for f in chain if (f / IMG_DIR_NAME).is_dir())
    bibs = _bib_files(chapter, folders_up(chapter.parent, top), top)
    return ChapterSource(chapter, text, root, read_config(root, top), bibs, img_dirs)
