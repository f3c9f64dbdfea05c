"""A markdown cell of a chapter as a notebook's markdown, rendered from the tokens its page is
rendered from (:mod:`d2lmomentum.book.markdown`, parsed once).

d2l's own tokens are first turned into plain markdown tokens (links, text, anchors), then
mdformat's renderer writes the whole cell as CommonMark (tables by mdformat-gfm), escaping text
so that it shows as itself. mdformat, not a rewrite of the source by token positions:
markdown-it gives inline tokens no positions in the source, so such a rewrite would have to
find roles, images and code spans in the text again, as the regex this replaced did; and every
markdown cell of the packaged chapter and of d2l-en's optimization chapters, rendered by
mdformat and parsed again, has the same blocks, formulas and code (the explorer marker aside).

What a notebook shows, beside the page:

* a role is the same links the page shows (:meth:`References.resolve`, ``base`` the path from
  the notebook to the page's folder), a ``:citep:`` in parentheses, an unresolved reference with
  a tooltip a ``<span title>``; a label is an ``<a id>`` anchor where it stands, and a labelled
  heading, figure, table or display formula starts with its anchor;
* a formula is Jupyter's ``$…$`` or ``$$…$$``, its TeX as written; a ``$`` or ``~`` of the text is
  escaped (Jupyter would read it as math or strikethrough);
* an image points at the page's copy (``images``: :func:`d2lmomentum.book.images.copy_images`'s
  ``{ref: (src, warning)}``); one not copied is its placeholder's text, as on the page;
* raw HTML written in the chapter is text, as on the page: an HTML comment is dropped, the
  explorer marker is ``explorer`` (markdown).
"""
import dataclasses
import re
from types import SimpleNamespace

import mdformat.plugins
from markupsafe import Markup
from markdown_it.token import Token
from mdformat.renderer import MDRenderer

from d2lmomentum.book import markdown
from d2lmomentum.book.ui import strings

_ESCAPED_IN_TEXT = re.compile(r"([$~])")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~!&])")
_OPTIONS = {"mdformat": {"wrap": "keep", "number": False}}


def md_escape(text):
    """``text`` with markdown's special characters backslash-escaped (shown as themselves)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclasses.dataclass(frozen=True)
class _Cell:
    references: object
    base: str
    images: dict  # or None
    explorer: str


def render(tokens, references, *, base="", images=None, explorer=""):
    """The notebook's markdown of one markdown cell's parsed ``tokens`` (left as they are: the
    page renders them too). ``references``: the chapter's
    :class:`~d2lmomentum.book.references.References`; ``base``: the path from the notebook to
    the chapter's page folder; ``images``: ``{ref: (src, warning)}`` (``src`` relative to the
    page's folder), None to keep each image's reference; ``explorer``: the markdown shown for
    the explorer marker."""
    cell = _Cell(references, base, images, explorer)
    options = dict(_OPTIONS, parser_extension=[_TABLES, _PLUGIN])
    return MDRenderer().render(_blocks(tokens, cell), options, {}).rstrip("\n")


def _blocks(tokens, cell):
    """``tokens`` as plain markdown tokens (new tokens where they differ)."""
    out = []
    for token in tokens:
        if token.type == "html_block":
            out.extend(_raw_html(token, cell, block=True))
        elif token.type == "inline":
            out.append(token.copy(children=[new for child in token.children or []
                                            for new in _inline(child, cell)]))
        else:
            out.append(token)
    return out


def _raw_html(token, cell, block):
    """Raw HTML of the chapter as the page shows it: the explorer, nothing (a comment) or text."""
    content, shown = token.content, markdown.raw_html(token.content)
    if shown == "explorer":
        return [Token("d2l_verbatim", "", 0, content=cell.explorer)]
    if shown == "hidden":
        return []
    if not block:
        return [Token("text", "", 0, content=content)]
    text = Token("text", "", 0, content=content.strip("\n"))
    return [Token("paragraph_open", "p", 1, map=token.map), Token("inline", "", 0, children=[text]),
            Token("paragraph_close", "p", -1)]


def _inline(token, cell):
    if token.type == "html_inline":
        return _raw_html(token, cell, block=False)
    if token.type == "d2l_role":
        return _role(token.meta["role"], token.meta["target"], cell)
    if token.type == "image":
        return [_image(token, cell)]
    if token.type == "link_open" and token.attrGet("title"):
        # mdformat escapes a link title's quotes itself, not its backslashes
        return [token.copy(attrs=dict(token.attrs, title=token.attrGet("title").replace("\\", "\\\\")))]
    return [token]


def anchor_tag(label):
    """An HTML anchor ``<a id="label"></a>`` where a link to ``#label`` lands."""
    return str(Markup('<a id="{}"></a>').format(label))


def _html(content):
    return Token("html_inline", "", 0, content=content)


def _role(role, target, cell):
    """The tokens of a role: links, texts, spans with a tooltip (an anchor for a label)."""
    if role in markdown.LABELS:
        return [_html(anchor_tag(target))]
    parts = []
    for link in cell.references.resolve(role, target, cell.base):
        text = Token("text", "", 0, content=link.text)
        if link.href is not None:
            part = [Token("link_open", "a", 1, attrs={"href": link.href}), text, Token("link_close", "a", -1)]
        elif link.title:
            part = [_html(str(Markup('<span title="{}">').format(link.title))), text, _html("</span>")]
        else:
            part = [text]
        parts.extend(([Token("text", "", 0, content="; ")] if parts else []) + part)
    if role == "citep" and parts:
        parts = [Token("text", "", 0, content="("), *parts, Token("text", "", 0, content=")")]
    return parts


def _title(title):
    """An image's title as mdformat must be given it (it writes an image's title as it is, in quotes)."""
    return title.replace("\\", "\\\\").replace('"', '\\"')


def _image(token, cell):
    """The image pointed at the page's copy, or the page's placeholder text."""
    alt = [Token("text", "", 0, content=markdown.plain_text(token) or token.content)]  # the page's alt
    attrs = dict(token.attrs)
    if attrs.get("title"):
        attrs["title"] = _title(attrs["title"])
    if cell.images is not None:
        src, missing = cell.images.get(attrs["src"], (None, None))
        if src is None:
            ui = strings(cell.references.lang)
            return Token("text", "", 0, content=missing or ui["missing_image"].format(name=attrs["src"]))
        attrs["src"] = cell.base + src
    return token.copy(attrs=attrs, children=alt)


def _in_paragraph(tex):
    """Inline TeX on one line: mdformat escapes a paragraph's line that starts like a list or a
    heading, which would change a formula's own lines (TeX reads a line end as a space; a ``%``
    comment ends at one, so such a formula keeps its lines)."""
    return tex if "%" in tex else tex.replace("\n", " ")


def _math_inline(node, context):
    return f"${_in_paragraph(node.content)}$"


def _math_inline_double(node, context):
    return f"$${_in_paragraph(node.content)}$$"


def _math_block(node, context):
    return f"$${node.content}$$"


def _verbatim(node, context):
    return node.content


def _strikethrough(node, context):
    return "~~" + "".join(child.render(context) for child in node.children) + "~~"


def _escape_text(text, node, context):
    if node.parent is not None and node.parent.type == "image":  # an alt text, which mdformat writes as it is
        return md_escape(node.content)
    return _ESCAPED_IN_TEXT.sub(r"\\\1", text)


def _label_first(label, text):
    return f"{anchor_tag(label)}{text}" if label else text


def _heading_anchor(text, node, context):
    marks, _, title = text.partition(" ")
    label = (node.meta or {}).get("label")
    return f"{marks} {_label_first(label, title)}" if label else text


def _figure_anchor(text, node, context):
    meta = node.meta or {}
    return _label_first(meta.get("label"), text) if meta.get("figure") else text


def _table_anchor(text, node, context):
    label = (node.meta or {}).get("table_label")
    return f"{anchor_tag(label)}\n\n{text}" if label else text


def _math_anchor(text, node, context):
    label = markdown.math_label(node)
    return f"{anchor_tag(label)}\n\n{text}" if label else text


_PLUGIN = SimpleNamespace(
    RENDERERS={"math_inline": _math_inline, "math_inline_double": _math_inline_double, "math_block": _math_block,
               "math_block_label": _math_block, "s": _strikethrough, "d2l_verbatim": _verbatim},
    POSTPROCESSORS={"text": _escape_text, "heading": _heading_anchor, "paragraph": _figure_anchor,
                    "table": _table_anchor, "math_block": _math_anchor, "math_block_label": _math_anchor})
#: mdformat-gfm's tables.
_TABLES = mdformat.plugins.PARSER_EXTENSIONS["tables"]
