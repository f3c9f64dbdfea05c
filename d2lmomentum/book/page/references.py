"""Where d2l's cross references point, for the page (HTML) and the notebooks (markdown) alike.

A chapter's labels are read from its markdown (see :mod:`d2lmomentum.book.page.markdown`): a
section label reads as its heading, an equation label as its number ``(n)``. ``:numref:``
resolves inside the chapter first, then to d2l's other sections on d2l.ai
(:mod:`d2lmomentum.book.page.sections`); ``:cite:`` to an author–year link into the bibliography.
An unknown label, citation key or role is a :class:`MarkupWarning` naming it, and shows as
plain text.
"""
import contextlib
import dataclasses
import re
import warnings

from markdown_it.common.utils import escapeHtml

from d2lmomentum.book.page import markdown
from d2lmomentum.book.page.bibliography import Bibliography, anchor
from d2lmomentum.book.page.sections import D2L_SECTIONS

_CODE_OR_ROLE = re.compile(r"(?P<code>(`+)[\s\S]*?(?<!`)\2(?!`))|" + markdown.ROLE.pattern)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_SILENT_ROLES = ("width", "height")


class MarkupWarning(UserWarning):
    """d2l markup that names something the chapter, d2l's sections or the bibliography lack."""


@contextlib.contextmanager
def collect_markup_warnings():
    """Collect the :class:`MarkupWarning` messages raised inside, each once, in a list it yields."""
    messages = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MarkupWarning)
        try:
            yield messages
        finally:
            found = [str(w.message) for w in caught if issubclass(w.category, MarkupWarning)]
            messages.extend(dict.fromkeys(found))
            for w in caught:  # others go on as usual
                if not issubclass(w.category, MarkupWarning):
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


@dataclasses.dataclass(frozen=True)
class Link:
    text: str
    href: str = None  # None: unresolved, shown as plain text


class References:
    """The labels, equations and citations of one chapter (its markdown cells' texts)."""

    @classmethod
    def of_chapter(cls, source_text, bib_files=()):
        """The references of a d2l-format chapter, its bibliography the packaged ``.bib`` files
        and ``bib_files``."""
        from d2lmomentum.book.cells import parse
        from d2lmomentum.book.page.bibliography import packaged_bib_files
        return cls([c.source for c in parse(source_text) if c.kind == "markdown"],
                   Bibliography([*packaged_bib_files(), *bib_files]))

    def __init__(self, markdown_texts, bibliography=None):
        self.bibliography = Bibliography() if bibliography is None else bibliography
        self.targets, self.equations, self.cited = {}, {}, []
        self._warned = set()
        for text in markdown_texts:
            self._scan(markdown.parse(text))

    def _scan(self, tokens):
        for token in tokens:
            label = (token.meta or {}).get("label") if token.type != "d2l_role" else None
            if token.type == "heading_open" and label:
                self.targets[label] = Link(token.meta["title"] or label, f"#{label}")
            elif token.type in markdown.MATH_BLOCKS and (label or token.info):
                label = label or token.info
                self.equations[label] = len(self.equations) + 1
                self.targets[label] = Link(f"({self.equations[label]})", f"#{label}")
            elif token.type == "d2l_role" and token.meta["role"] in markdown.LABELS:
                self.targets.setdefault(token.meta["target"], Link(token.meta["target"], f"#{token.meta['target']}"))
            elif token.type == "d2l_role" and token.meta["role"] == "cite":
                self.cited.extend(k for k in _keys(token.meta["target"]) if k not in self.cited)
            self._scan(token.children or [])

    def _warn(self, what, name):
        if (what, name) not in self._warned:
            self._warned.add((what, name))
            warnings.warn(MarkupWarning(f"{what} {name!r}: shown as plain text"), stacklevel=3)

    def equation_number(self, label):
        return self.equations.get(label)

    def resolve(self, role, target):
        """The links a role stands for (an empty list for a label: it is an anchor, not text)."""
        if role in markdown.LABELS or role in _SILENT_ROLES:
            return []
        if role in ("numref", "ref", "eqref"):
            found = self.targets.get(target)
            if found is None and role != "eqref" and target in D2L_SECTIONS:
                found = Link(*D2L_SECTIONS[target])
            if found is None:
                self._warn("unknown label in :" + role + ":", target)
                return [Link(target)]
            return [found]
        if role == "cite":
            links = []
            for key in _keys(target):
                if key in self.bibliography:
                    links.append(Link(self.bibliography.author_year(key), f"#{anchor(key)}"))
                else:
                    self._warn("unknown citation key", key)
                    links.append(Link(key))
            return links
        self._warn("unknown d2l markup", f":{role}:")
        return [Link(target)]

    def html(self, role, target):
        """The role as HTML: links (an anchor for a label)."""
        if role in markdown.LABELS:
            return f'<span class="label-anchor" id="{escapeHtml(target)}"></span>'
        return "; ".join(f'<a class="{role}" href="{escapeHtml(link.href)}">{escapeHtml(link.text)}</a>'
                         if link.href else f'<span class="unresolved">{escapeHtml(link.text)}</span>'
                         for link in self.resolve(role, target))

    def markdown(self, role, target):
        """The role as markdown: links (an HTML anchor for a label)."""
        if role in markdown.LABELS:
            return f'<a id="{escapeHtml(target)}"></a>'
        return "; ".join(f"[{_md_escape(link.text)}]({link.href})" if link.href else _md_escape(link.text)
                         for link in self.resolve(role, target))

    def resolve_markdown(self, text):
        """``text`` with every role replaced by :meth:`markdown`; code spans and fences kept."""
        def replace(match):
            if match.group("code") is not None:
                return match.group(0)
            return self.markdown(match.group(3), match.group(4))
        return _CODE_OR_ROLE.sub(replace, text)

    def bibliography_entries(self, fmt):
        """``[(key, author_year, formatted)]`` of the cited entries, ``fmt`` ``html`` or ``markdown``."""
        return [(key, self.bibliography.author_year(key), text)
                for key, text in self.bibliography.formatted(self.cited, fmt)]


def _keys(target):
    return [k.strip() for k in target.split(",") if k.strip()]


def _md_escape(text):
    return _MD_SPECIAL.sub(r"\\\1", text)
