"""HTML parsed into a tree, as a reader's browser builds it, for tests that assert on what a page
shows rather than on its exact markup (Python's ``html.parser``: entities decoded, attribute
quoting and order irrelevant).

``parse(html)`` gives the document's root :class:`Element`; ``select(css)`` finds elements with a
small subset of CSS: ``tag``, ``.class``, ``#id``, ``[attr]``, ``[attr=value]``, ``[attr~=word]``,
combined (``a.numref[href="#x"]``), nested by descendant (space) or child (``>``), and listed
(``a.cite, a.citep``).
"""
import re
from html.parser import HTMLParser

#: Elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SIMPLE = re.compile(r"""(?P<tag>^[a-zA-Z][\w-]*|^\*)|\.(?P<cls>[\w-]+)|\#(?P<id>[\w.:-]+)
                         |\[(?P<attr>[\w-]+)(?:(?P<op>~?=)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\]]*)))?\]""",
                     re.X)


class Element:
    """An element: ``tag``, ``attrs`` (name -> value, ``""`` for a bare attribute), ``children``
    (elements and text strings, in order) and ``parent``."""

    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def elements(self):
        return [c for c in self.children if isinstance(c, Element)]

    @property
    def text(self):
        """The text inside, as ``textContent`` gives it."""
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def iter(self):
        """Every element below this one, in document order."""
        for child in self.elements:
            yield child
            yield from child.iter()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def select(self, css):
        """The elements below this one that ``css`` matches, in document order."""
        groups = [_parse_selector(part) for part in css.split(",")]
        return [e for e in self.iter() if any(_matches(e, steps, self) for steps in groups)]

    def select_one(self, css):
        """The one element ``css`` matches (an AssertionError for none or several)."""
        found = self.select(css)
        assert len(found) == 1, f"{css!r} matches {len(found)} elements"
        return found[0]

    def __repr__(self):
        attrs = "".join(f' {k}="{v}"' for k, v in self.attrs.items())
        return f"<{self.tag}{attrs}>"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.node)
        self.node.children.append(element)
        if tag not in VOID:
            self.node = element

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.node))

    def handle_endtag(self, tag):
        open_tags = [self.node, *self.node.ancestors()]
        if any(e.tag == tag for e in open_tags):  # close it, and whatever was left open inside it
            while self.node.tag != tag:
                self.node = self.node.parent
            self.node = self.node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def parse(html):
    """The root of ``html`` (a document or a fragment) parsed."""
    builder = _Builder()
    builder.feed(str(html))
    builder.close()
    return builder.root


def _parse_selector(css):
    """``[(combinator, [conditions])]`` for each compound of ``css``, the rightmost last."""
    steps, combinator = [], " "
    for token in re.findall(r'>|(?:[^\s>\["\']|\[[^\]]*\])+', css):
        if token == ">":
            combinator = ">"
            continue
        conditions, pos = [], 0
        for m in _SIMPLE.finditer(token):
            assert m.start() == pos, f"unsupported selector {css!r}"
            pos = m.end()
            value = next((m.group(g) for g in ("dq", "sq", "bare") if m.group(g) is not None), None)
            conditions.append((m.group("tag"), m.group("cls"), m.group("id"), m.group("attr"), m.group("op"), value))
        assert pos == len(token), f"unsupported selector {css!r}"
        steps.append((combinator, conditions))
        combinator = " "
    return steps


def _fits(element, conditions):
    for tag, cls, id_, attr, op, value in conditions:
        if tag and tag != "*" and element.tag != tag.lower():
            return False
        if cls and cls not in element.classes:
            return False
        if id_ and element.get("id") != id_:
            return False
        if attr:
            if attr not in element.attrs:
                return False
            if op == "=" and element.attrs[attr] != value or op == "~=" and value not in element.attrs[attr].split():
                return False
    return True


def _matches(element, steps, scope):
    """Whether ``element`` matches ``steps`` with its ancestors up to (not including) ``scope``."""
    (combinator, conditions), rest = steps[-1], steps[:-1]
    if not _fits(element, conditions):
        return False
    if not rest:
        return True
    for ancestor in element.ancestors():
        if ancestor is scope:
            return False
        if _matches(ancestor, rest, scope):
            return True
        if combinator == ">":
            return False
    return False
