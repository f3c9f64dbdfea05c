"""Where d2l's cross references point, for the page (HTML) and the notebooks (markdown) alike.

A chapter's targets are read from its parsed markdown (:mod:`d2lmomentum.book.markdown`): a
labelled heading is a section, a labelled display formula an equation, a labelled image a
figure, a labelled table a table. In a book, chapter ``p`` (its place in the table of
contents) numbers its sections ``p``, ``p.1``, ``p.1.1``, its equations ``(p.1)``, its figures
``p.1`` and tables ``p.1``, as d2l.ai does; a chapter alone numbers equations ``(1)``, figures
and tables ``1``, and names sections by their titles.

``:numref:``/``:ref:``/``:eqref:`` resolve inside the chapter first, then in the book's other
chapters (a local link), then to d2l's sections on d2l.ai (a link marked as online,
:mod:`d2lmomentum.book.sections`). ``:cite:`` and ``:citet:`` read as "Polyak (1964)",
``:citep:`` as "(Polyak, 1964)", each a link into the bibliography. An unknown label, citation
key or role is a :class:`~d2lmomentum.book.diagnostics.MarkupWarning` naming it, and shows as
plain text.
"""
import dataclasses

from markupsafe import Markup

from d2lmomentum.book import markdown
from d2lmomentum.book.bibliography import Bibliography, anchor
from d2lmomentum.book.diagnostics import warn
from d2lmomentum.book.names import page_href, up
from d2lmomentum.book.sections import d2l_section
from d2lmomentum.book.ui import strings

_SILENT_ROLES = ("width", "height")
CITE_ROLES = ("cite", "citet", "citep")
REF_ROLES = ("numref", "ref", "eqref")


@dataclasses.dataclass(frozen=True)
class Target:
    """Something a label names: ``kind`` ``section``, ``equation``, ``figure``, ``table`` or
    ``anchor``; its ``title`` (a section's heading, a figure's caption), ``number`` (``"3.2"``
    or None) and the ``chapter`` (page folder) it is in."""
    kind: str
    label: str
    title: str
    number: str = None
    chapter: str = None
    line: int = None  # where its label is, in the chapter's file (if known)


@dataclasses.dataclass(frozen=True)
class Link:
    text: str
    href: str = None  # None: unresolved, shown as plain text
    online: bool = False
    title: str = None  # a tooltip (an unknown label's name)


class ChapterTargets:
    """The targets one chapter defines, numbered with ``prefix`` (its place in the book, or None)."""

    def __init__(self, token_lists, chapter=None, prefix=None):
        """``token_lists``: each markdown cell's parsed tokens, in order, or ``(tokens, first line
        in the file)`` pairs; a heading's token gets its number as ``meta["number"]`` (the page
        shows it)."""
        self.chapter, self.prefix = chapter, prefix
        self.targets, self.cited = {}, []
        self._count = {"equation": 0, "figure": 0, "table": 0}
        self._sections = []  # the current section number's parts below the chapter
        self._line = None
        for item in token_lists:
            tokens, self._line = item if isinstance(item, tuple) else (item, None)
            self._scan(tokens)

    def _number(self, kind):
        self._count[kind] += 1
        n = str(self._count[kind])
        return f"{self.prefix}.{n}" if self.prefix else n

    def _section_number(self, level):
        if not self.prefix:
            return None
        if level <= 1:
            self._sections = []
            return str(self.prefix)
        depth = level - 1
        self._sections = self._sections[:depth] + [0] * max(0, depth - len(self._sections))
        self._sections[depth - 1] += 1
        return ".".join([str(self.prefix), *map(str, self._sections)])

    def _add(self, kind, label, title, number=None, token=None):
        line = self._line + token.map[0] if self._line is not None and token is not None and token.map else None
        if label in self.targets and self.targets[label].kind != "anchor":
            where = f" (line {line})" if line else ""
            warn(f"label {label!r} is defined twice in {self.chapter or 'the chapter'}{where}; the first one is used")
            return
        self.targets[label] = Target(kind, label, title, number, self.chapter, line)

    def _scan(self, tokens):
        for token in tokens:
            meta = token.meta or {}
            if token.type == "heading_open":
                number = self._section_number(int(token.tag[1]))
                token.meta = dict(meta, number=number)
                if meta.get("label"):
                    self._add("section", meta["label"], meta.get("title") or meta["label"], number, token)
            elif token.type in markdown.MATH_BLOCKS and markdown.math_label(token):
                self._add("equation", markdown.math_label(token), "", self._number("equation"), token)
            elif token.type == "paragraph_open" and meta.get("figure") and meta.get("label"):
                self._add("figure", meta["label"], meta.get("caption", ""), self._number("figure"), token)
            elif meta.get("table_label"):
                self._add("table", meta["table_label"], "", self._number("table"), token)
            elif token.type == "d2l_role" and meta["role"] in markdown.LABELS:
                self.targets.setdefault(meta["target"], Target("anchor", meta["target"], meta["target"],
                                                               None, self.chapter))
            elif token.type == "d2l_role" and meta["role"] in CITE_ROLES:
                self.cited.extend(k for k in _keys(meta["target"]) if k not in self.cited)
            self._scan(token.children or [])


class References:
    """The cross references and citations of one chapter, in a book of others (``book``: label ->
    :class:`Target` of every chapter, this one's included), in the book's language ``lang``."""

    def __init__(self, own, bibliography=None, *, book=None, lang="ko"):
        self.own = own
        self.bibliography = Bibliography() if bibliography is None else bibliography
        self.book = book if book is not None else {}
        self.lang, self.ui = lang, strings(lang)
        self._warned = set()

    @property
    def cited(self):
        return self.own.cited

    @property
    def targets(self):
        return self.own.targets

    def _warn(self, what, name, shown="plain text"):
        if (what, name) not in self._warned:
            self._warned.add((what, name))
            where = f" in {self.own.chapter}" if self.own.chapter else ""
            warn(f"{what} {name!r}{where}: shown as {shown}", stacklevel=4)

    def equation_number(self, label):
        target = self.own.targets.get(label)
        return target.number if target is not None and target.kind == "equation" else None

    def figure_number(self, label):
        target = self.own.targets.get(label)
        return target.number if target is not None and target.kind == "figure" else None

    def _target_text(self, role, target):
        if role == "eqref" or target.kind == "equation":
            return f"({target.number})" if target.number else target.label
        if role == "ref" or target.number is None:
            return target.title or target.label
        key = {"section": "section_ref", "figure": "figure_ref", "table": "table_ref"}.get(target.kind)
        return self.ui[key].format(number=target.number) if key else target.title

    def _href(self, target, base):
        if target.chapter is None or target.chapter == self.own.chapter:
            return f"#{target.label}"
        return f"{base}{up(self.own.chapter)}{page_href(target.chapter)}#{target.label}"

    def resolve(self, role, target, base=""):
        """The links a role stands for (an empty list for a label: it is an anchor, not text).
        ``base``: the path from the document to the chapter's page folder (``""`` for the page)."""
        if role in markdown.LABELS or role in _SILENT_ROLES:
            return []
        if role in REF_ROLES:
            found = self.own.targets.get(target) or self.book.get(target)
            if found is not None and found.kind == "anchor":
                self._warn(f"label in :{role}: names no section, figure, table or equation; its name", target)
            if found is not None:
                return [Link(self._target_text(role, found), self._href(found, base))]
            online = d2l_section(target, self.lang)
            if online is not None and role != "eqref":
                return [Link(online[0], online[1], online=True)]
            self._warn("unknown label in :" + role + ":", target, "a phrase, the label in its tooltip")
            return [Link(self.ui["unknown_ref"][_kind_of_label(target)], title=target)]
        if role in CITE_ROLES:
            return self._citations(role, target, base)
        self._warn("unknown d2l markup", f":{role}:")
        return [Link(target)]

    def _citations(self, role, target, base):
        links = []
        for key in _keys(target):
            if key in self.bibliography:
                who, year = self.bibliography.author_and_year(key)
                text = f"{who}, {year}" if role == "citep" and year else (f"{who} ({year})" if year else who)
                links.append(Link(text, f"#{anchor(key)}"))
            else:
                self._warn("unknown citation key", key)
                links.append(Link(key))
        return links

    def html(self, role, target):
        """The role as HTML (``Markup``): links (an anchor for a label)."""
        if role in markdown.LABELS:
            return Markup('<span class="label-anchor" id="{}"></span>').format(target)
        parts = []
        for link in self.resolve(role, target):
            if link.href is None:
                tip = Markup(' title="{0}" data-label="{0}"').format(link.title) if link.title else ""
                parts.append(Markup('<span class="unresolved"{}>{}</span>').format(tip, link.text))
            elif link.online:
                parts.append(Markup('<a class="{} online" href="{}" title="{}">{}</a><sup class="online-mark">{}</sup>')
                             .format(role, link.href, self.ui["online_title"], link.text, self.ui["online"]))
            else:
                parts.append(Markup('<a class="{}" href="{}">{}</a>').format(role, link.href, link.text))
        joined = Markup("; ").join(parts)
        return Markup("({})").format(joined) if role == "citep" and parts else joined

    def bibliography_entries(self, fmt):
        """``[(key, author_year, formatted)]`` of the cited entries, ``fmt`` ``html`` or ``markdown``."""
        return [(key, self.bibliography.author_year(key), text)
                for key, text in self.bibliography.formatted(self.cited, fmt)]


#: The kind of target a d2l label names, by its prefix (``sec_momentum``, ``fig_gd``).
_LABEL_KINDS = {"sec": "section", "subsec": "section", "chap": "section", "fig": "figure", "tab": "table",
                "eq": "equation"}


def _kind_of_label(label):
    return _LABEL_KINDS.get(label.partition("_")[0], "other")


def _keys(target):
    return [k.strip() for k in target.split(",") if k.strip()]
