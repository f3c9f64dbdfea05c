"""The chapter's bibliography: BibTeX files read by pybtex, cited as author–year, listed in its
``plain`` style (sorted by author, then year) as HTML for the page or markdown for notebooks.

The packaged ``.bib`` files (``d2lmomentum/chapter/*.bib``) are always read; a chapter may add
its own. A key found in several files keeps its first entry. A file pybtex cannot read is an
:class:`InvalidArgumentError` naming it; an entry the style cannot format (a missing field) is a
warning naming it, listed as author–year and title.

Every field is text, escaped for the page (HTML) or the notebook (markdown). A link field
becomes a link only when it is well formed: ``url`` an ``http(s)`` URL with a host and no
space, quote or angle bracket; ``doi`` a DOI (``10.NNNN/…``), ``eprint`` an arXiv id, ``pubmed``
a PubMed id (each builds its ``https://`` link); any other value is left out with a warning
naming the entry and the file.
"""
import functools
import re
import urllib.parse
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup, escape

from d2lmomentum.book.diagnostics import warn
from d2lmomentum.errors import InvalidArgumentError

#: What a link field must look like to be kept (DOI: Crossref's pattern; arXiv: new and old ids).
LINK_FIELDS = {
    "doi": re.compile(r"10\.\d{4,9}/[-._;()/:a-z0-9]+", re.I),
    "eprint": re.compile(r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(v\d+)?", re.I),
    "pubmed": re.compile(r"\d{1,9}"),
}
#: Characters a kept URL may not hold (they end an attribute or a markdown link).
_URL_BREAKERS = re.compile(r'[\s"\'<>`\\\x00-\x1f\x7f]')


def web_url(url):
    """``url`` if it is a well-formed ``http(s)`` URL (a scheme, a host, nothing that breaks out
    of an attribute or a markdown link), else None."""
    url = str(url).strip()
    if _URL_BREAKERS.search(url):
        return None
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and host else None


def _link_field_ok(name, value):
    if name == "url":
        return web_url(value) is not None
    return LINK_FIELDS[name].fullmatch(value.strip()) is not None


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
                for name in ("url", *LINK_FIELDS):
                    value = entry.fields.get(name)
                    if value is not None and not _link_field_ok(name, value):
                        _warn(f"bibliography entry {key!r} in {path}: {name} {value!r} is not "
                              f"{'an http(s) URL' if name == 'url' else 'a valid ' + name + ' id'}; left out")
                        del entry.fields[name]
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
        """``[(key, text)]`` for the cited ``keys`` in the style's order, ``fmt`` ``html`` (the
        text as ``Markup``) or ``markdown`` (pybtex escapes the text for that format)."""
        from pybtex.exceptions import PybtexError
        from pybtex.richtext import Text
        style = _plain_style()
        backend = _safe_backends()[fmt]
        entries = style.sort([self.entries[k] for k in keys if k in self.entries])
        found = []
        for label, entry in zip(style.format_labels(entries), entries):
            try:
                text = style.format_entry(label, entry).text
            except PybtexError as e:
                _warn(f"bibliography entry {entry.key!r}: {e}; listed by author, year and title only")
                text = Text(". ".join(filter(None, [self.author_year(entry.key), entry.fields.get("title")])))
            rendered = text.render(backend).replace("\n", " ")
            found.append((entry.key, Markup(rendered) if fmt == "html" else rendered))
        return found


@functools.cache
def _plain_style():
    """pybtex's ``plain`` style, made once: making one looks its plugins (labels, names, sorting)
    up in every installed distribution's entry points. It keeps no state between uses."""
    from pybtex.plugin import find_plugin
    return find_plugin("pybtex.style.formatting", "plain")()


@functools.cache
def _safe_backends():
    """pybtex's HTML and markdown backends, with every string escaped (quotes too; for HTML by
    markupsafe's ``escape``) and a link only for a :func:`web_url` (quoted for an attribute,
    percent-encoded for a markdown link)."""
    from pybtex.backends import html as html_backend
    from pybtex.backends import markdown as md_backend

    class Html(html_backend.Backend):
        def format_str(self, text):
            return str(escape(text))

        @staticmethod
        def format_href(url, text, external=False):
            if not text or web_url(url) is None:
                return text
            return f'<a href="{escape(web_url(url))}" rel="noopener noreferrer">{text}</a>'

    class Markdown(md_backend.Backend):
        def format_str(self, text):
            return super().format_str(text).replace('"', "&quot;").replace("'", "&#x27;")

        def format_href(self, url, text, external=False):
            if not text or web_url(url) is None:
                return text
            return f"[{text}](<{urllib.parse.quote(web_url(url), safe=_URL_SAFE)}>)"

    return {"html": Html(), "markdown": Markdown()}


#: What a markdown link destination keeps as it is; everything else is percent-encoded.
_URL_SAFE = ":/?#@!$&*+,;=%~-._"


def _warn(message):
    warn(message, stacklevel=4)
