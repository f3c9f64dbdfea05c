"""The chapter's bibliography: BibTeX files read by pybtex, cited as author–year, listed in its
``plain`` style (sorted by author, then year) as HTML for the page or markdown for notebooks.

The packaged ``.bib`` files (``d2lmomentum/chapter/*.bib``) are always read; a chapter may add
its own. A key found in several files keeps its first entry. A file pybtex cannot read is an
:class:`InvalidArgumentError` naming it; an entry the style cannot format (a missing field) is a
warning naming it, listed as author–year and title; a ``url`` that is not http(s) is left out.
"""
import re
from importlib.resources import files
from pathlib import Path

from d2lmomentum.book.diagnostics import warn
from d2lmomentum.errors import InvalidArgumentError

_WEB_URL = re.compile(r"https?://", re.I)


def packaged_bib_files():
    """The ``.bib`` files shipped beside the packaged chapter."""
    folder = files("d2lmomentum.chapter")
    return sorted((Path(str(p)) for p in folder.iterdir() if p.name.endswith(".bib")), key=lambda p: p.name)


def anchor(key):
    """The id of ``key``'s entry in the bibliography list."""
    return f"bib-{key}"


class Bibliography:
    """The entries of some BibTeX files, by key."""

    def __init__(self, paths=None):
        from pybtex.database import parse_file
        from pybtex.exceptions import PybtexError
        self.entries = {}
        for path in packaged_bib_files() if paths is None else paths:
            try:
                entries = parse_file(str(path), bib_format="bibtex").entries
            except (PybtexError, UnicodeDecodeError) as e:
                raise InvalidArgumentError(f"{path}: not a BibTeX file pybtex can read ({e}); "
                                           "fix the entry it names, or remove the file") from None
            for key, entry in entries.items():
                url = entry.fields.get("url")
                if url is not None and not _WEB_URL.match(url.strip()):
                    _warn(f"bibliography entry {key!r} in {path}: url {url!r} is not http(s); left out")
                    del entry.fields["url"]
                self.entries.setdefault(key, entry)

    def __contains__(self, key):
        return key in self.entries

    def author_and_year(self, key):
        """``("Polyak", "1964")``, ``("Flammarion and Bach", …)``, ``("Sutskever et al.", …)``;
        the year is None where the entry has none."""
        entry = self.entries[key]
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(str(part) for part in p.rich_last_names) for p in people]
        if len(names) > 2:
            who = f"{names[0]} et al."
        else:
            who = " and ".join(names) or key
        return who, entry.fields.get("year")

    def author_year(self, key):
        """``Polyak (1964)``: the textual citation."""
        who, year = self.author_and_year(key)
        return f"{who} ({year})" if year else who

    def formatted(self, keys, fmt):
        """``[(key, text)]`` for the cited ``keys`` in the style's order, ``fmt`` ``html`` or
        ``markdown`` (pybtex escapes the text for that format)."""
        from pybtex.exceptions import PybtexError
        from pybtex.plugin import find_plugin
        from pybtex.richtext import Text
        style = find_plugin("pybtex.style.formatting", "plain")()
        backend = find_plugin("pybtex.backends", fmt)()
        entries = style.sort([self.entries[k] for k in keys if k in self.entries])
        found = []
        for label, entry in zip(style.format_labels(entries), entries):
            try:
                text = style.format_entry(label, entry).text
            except PybtexError as e:
                _warn(f"bibliography entry {entry.key!r}: {e}; listed by author, year and title only")
                text = Text(". ".join(filter(None, [self.author_year(entry.key), entry.fields.get("title")])))
            found.append((entry.key, text.render(backend).replace("\n", " ")))
        return found


def _warn(message):
    warn(message, stacklevel=4)
