"""The chapter's bibliography: BibTeX files read by pybtex, cited as author–year, listed in its
``plain`` style (sorted by author, then year) as HTML for the page or markdown for notebooks.

The packaged ``.bib`` files (``d2lmomentum/chapter/*.bib``) are always read; a chapter may add
its own. A key found in several files keeps its first entry.
"""
from importlib.resources import files
from pathlib import Path


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
        self.entries = {}
        for path in packaged_bib_files() if paths is None else paths:
            for key, entry in parse_file(str(path), bib_format="bibtex").entries.items():
                self.entries.setdefault(key, entry)

    def __contains__(self, key):
        return key in self.entries

    def author_year(self, key):
        """``Polyak (1964)``, ``Flammarion and Bach (2015)``, ``Sutskever et al. (2013)``."""
        entry = self.entries[key]
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(str(part) for part in p.rich_last_names) for p in people]
        if len(names) > 2:
            who = f"{names[0]} et al."
        else:
            who = " and ".join(names) or key
        year = entry.fields.get("year")
        return f"{who} ({year})" if year else who

    def formatted(self, keys, fmt):
        """``[(key, text)]`` for the cited ``keys`` in the style's order, ``fmt`` ``html`` or
        ``markdown`` (pybtex escapes the text for that format)."""
        from pybtex.plugin import find_plugin
        style = find_plugin("pybtex.style.formatting", "plain")()
        backend = find_plugin("pybtex.backends", fmt)()
        entries = style.format_entries(style.sort([self.entries[k] for k in keys if k in self.entries]))
        return [(e.key, e.text.render(backend).replace("\n", " ")) for e in entries]
