"""d2l's markdown parsed by markdown-it-py, and rendered as HTML for the page.

The parser is CommonMark with tables, ``$…$``/``$$…$$`` math (mdit-py-plugins' dollarmath),
heading ids, and d2l's roles (``:label:`x```, ``:numref:`x```, ``:cite:`x```, ``:eqref:`x```,
``:eqlabel:`x```) as ``d2l_role`` tokens. A paragraph holding only labels labels what comes
right before it: a heading (the heading gets the label as its id and ``meta["label"]``) or a
display formula (``meta["label"]``); anywhere else a label is an anchor where it stands.

Rendering (:func:`render`: HTML as ``markupsafe.Markup``, every text of the chapter escaped by
markupsafe's ``escape``) asks ``env["references"]`` (a :class:`References`) for each role,
marks each formula ``<span class="math" data-tex="…">`` (inline) or ``<div class="math
display" …>`` for the page's KaTeX, and shows raw HTML written in the chapter as text; HTML
comments stay invisible, except the explorer marker ``<!-- explorer -->``, which becomes
``env["explorer"]``.
"""
import functools
import re

from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

ROLE = re.compile(r":([a-z]+):`([^`\n]+)`")
EXPLORER_MARKER = "<!-- explorer -->"
LABELS = ("label", "eqlabel")
SIZES = ("width", "height")
MATH_BLOCKS = ("math_block", "math_block_label")


def _role(state, silent):
    match = ROLE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("d2l_role", "", 0)
        token.content = match.group(0)
        token.meta = {"role": match.group(1), "target": match.group(2)}
    state.pos = match.end()
    return True


def _only_labels(inline):
    """The label roles of an inline token that holds nothing else (else None)."""
    roles = []
    for child in inline.children or []:
        if child.type == "d2l_role" and child.meta["role"] in LABELS:
            roles.append(child)
        elif not (child.type == "softbreak" or child.type == "text" and not child.content.strip()):
            return None
    return roles or None


def _figure(inline):
    """``{"label", "width", "caption"}`` if an inline token is one image followed only by d2l's
    ``:label:``/``:width:``/``:height:`` roles (d2l's figure), else None."""
    children = [c for c in inline.children or []
                if not (c.type == "softbreak" or c.type == "text" and not c.content.strip())]
    if not children or children[0].type != "image":
        return None
    found = {"caption": plain_text(children[0]) or children[0].content}
    for child in children[1:]:
        if child.type != "d2l_role" or child.meta["role"] not in LABELS + SIZES:
            return None
        found.setdefault("label" if child.meta["role"] in LABELS else child.meta["role"], child.meta["target"])
    children[0].meta = dict(children[0].meta or {}, **{k: found[k] for k in SIZES if k in found})
    return found


def _attach_labels(state):
    """Give a label paragraph's labels to the heading, display formula or table right before it;
    mark a paragraph holding one image and its labels as a figure."""
    tokens = state.tokens
    for i in range(1, len(tokens) - 1):
        if tokens[i].type != "inline" or tokens[i - 1].type != "paragraph_open":
            continue
        figure = _figure(tokens[i])
        if figure is not None:
            tokens[i - 1].meta = tokens[i + 1].meta = dict(figure, figure=True)
            tokens[i].children = [c for c in tokens[i].children if c.type == "image"]  # its id is the figure's
            continue
        labels = _only_labels(tokens[i])
        before = tokens[i - 2] if i >= 2 else None
        if labels is None or before is None:
            continue
        target = labels[0].meta["target"]
        if before.type == "heading_close":
            heading, title = tokens[i - 4], tokens[i - 3]
            heading.attrSet("id", target)
            heading.meta = {"label": target, "title": plain_text(title)}
        elif before.type in MATH_BLOCKS:
            before.meta = {"label": target}
        elif before.type == "table_close":
            opening = next(t for t in reversed(tokens[:i - 2]) if t.type == "table_open")
            opening.meta = {"table_label": target}
        else:
            continue
        tokens[i - 1].hidden = tokens[i + 1].hidden = True
        tokens[i].children = []


def plain_text(inline):
    """The text of an inline token (or an image's alt text), markup dropped (formulas keep their TeX)."""
    kinds = ("text", "code_inline", "math_inline")
    return "".join(child.content for child in inline.children or [] if child.type in kinds).strip()


@functools.cache
def parser():
    """The markdown-it parser for d2l's markdown, with the page's render rules."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    dollarmath_plugin(md, double_inline=True, allow_labels=True)
    anchors_plugin(md, min_level=1, max_level=4, slug_func=_slug)
    md.inline.ruler.after("text", "d2l_role", _role)
    md.core.ruler.after("inline", "d2l_labels", _attach_labels)
    for name, rule in _RULES.items():
        md.add_render_rule(name, _plain(rule))
    return md


def _plain(rule):
    """``rule`` returning ``str``: markdown-it joins the pieces, and a ``Markup`` piece would
    escape whatever a renderer adds to it with ``+``; :func:`render` makes the whole ``Markup`` once."""
    @functools.wraps(rule)
    def plain(*args):
        return str(rule(*args))
    return plain


def _slug(title):
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-") or "section"


def parse(text):
    """markdown-it's block tokens for ``text``."""
    return parser().parse(text, {})


def render(tokens, env):
    """HTML of parsed ``tokens``, as ``Markup`` (``env``: ``references``, ``ui``, ``images`` and ``explorer``)."""
    md = parser()
    return Markup(md.renderer.render(tokens, md.options, env))


def _math(tex, display, label_number=None, element_id=None, block=False):
    tag = "div" if block else "span"
    attrs = f' id="{escape(element_id)}"' if element_id else ""
    if label_number is not None:
        attrs += f' data-tag="{escape(label_number)}"'
    kind = "math display" if display else "math"
    tex = tex.strip()
    return f'<{tag} class="{kind}" data-tex="{escape(tex)}"{attrs}>{escape(tex)}</{tag}>'


def _math_inline(self, tokens, idx, options, env):
    return _math(tokens[idx].content, display=False)


def _math_display(self, tokens, idx, options, env):
    token = tokens[idx]
    label = math_label(token)
    number = env["references"].equation_number(label) if label else None
    block = token.type in MATH_BLOCKS
    return _math(token.content, True, number, label, block) + ("\n" if block else "")


def _d2l_role(self, tokens, idx, options, env):
    return env["references"].html(tokens[idx].meta["role"], tokens[idx].meta["target"])


def raw_html(content):
    """How raw HTML written in a chapter is shown, on the page and in the notebook alike:
    ``"explorer"`` (the explorer marker), ``"hidden"`` (an HTML comment) or ``"text"`` (escaped)."""
    if content.strip() == EXPLORER_MARKER:
        return "explorer"
    return "hidden" if content.lstrip().startswith("<!--") else "text"


def math_label(token):
    """The label of a display formula's token (``:eqlabel:`` or dollarmath's ``(label)``), or None."""
    return (token.meta or {}).get("label") or token.info or None


def _html(content, env, block):
    shown = raw_html(content)
    if shown == "explorer":
        return env.get("explorer") or ""
    if shown == "hidden":
        return ""
    return f"<p>{escape(content)}</p>\n" if block else escape(content)


def _html_block(self, tokens, idx, options, env):
    return _html(tokens[idx].content, env, block=True)


def _html_inline(self, tokens, idx, options, env):
    return _html(tokens[idx].content, env, block=False)


def _heading_open(self, tokens, idx, options, env):
    token = tokens[idx]
    number = (token.meta or {}).get("number")
    opening = self.renderToken(tokens, idx, options, env)
    return opening + (f'<span class="section-number">{escape(number)}.</span> ' if number else "")


def _size(value):
    """A d2l ``:width:`` such as ``400px`` or ``50%`` as CSS (anything else is dropped)."""
    value = value.strip()
    return value if re.fullmatch(r"\d+(\.\d+)?(px|%|em|rem)?", value) else None


def _image(self, tokens, idx, options, env):
    token = tokens[idx]
    alt = plain_text(token) or token.content
    src, missing = env["images"](token.attrGet("src")) if env.get("images") else (token.attrGet("src"), None)
    if src is None:
        return f'<span class="missing-image" role="img" aria-label="{escape(alt)}">{escape(missing)}</span>'
    style = "; ".join(f"{k}: {_size(v)}" + ("px" if _size(v).isdigit() else "")
                      for k, v in (token.meta or {}).items() if k in SIZES and _size(v))
    style_attr = f' style="{escape(style)}"' if style else ""
    return f'<img src="{escape(src)}" alt="{escape(alt)}"{style_attr}>'


def _paragraph_open(self, tokens, idx, options, env):
    meta = tokens[idx].meta or {}
    if not meta.get("figure"):
        return self.renderToken(tokens, idx, options, env)
    label = meta.get("label")
    id_attr = f' id="{escape(label)}"' if label else ""
    return f'<figure class="figure"{id_attr}>'


def _paragraph_close(self, tokens, idx, options, env):
    meta = tokens[idx].meta or {}
    if not meta.get("figure"):
        return self.renderToken(tokens, idx, options, env)
    number = env["references"].figure_number(meta.get("label")) if meta.get("label") else None
    prefix = (f'<span class="caption-number">{escape(env["ui"]["figure_caption"].format(number=number))}'
              "</span> ") if number else ""
    return f'<figcaption>{prefix}{escape(meta["caption"])}</figcaption></figure>\n'


def _table_open(self, tokens, idx, options, env):
    label = (tokens[idx].meta or {}).get("table_label")
    if not label:
        return self.renderToken(tokens, idx, options, env)
    number = env["references"].own.targets[label].number
    caption = escape(env["ui"]["table_caption"].format(number=number))
    return f'<table id="{escape(label)}"><caption>{caption}</caption>\n'


def _heading_close(self, tokens, idx, options, env):
    slug = tokens[idx - 2].attrGet("id")
    link = f'<a class="header-anchor" href="#{escape(slug)}" aria-hidden="true">¶</a>' if slug else ""
    return f"{link}</{tokens[idx].tag}>\n"


_RULES = {"math_inline": _math_inline, "math_inline_double": _math_display, "math_block": _math_display,
          "math_block_label": _math_display, "d2l_role": _d2l_role, "html_block": _html_block,
          "html_inline": _html_inline, "heading_open": _heading_open, "heading_close": _heading_close,
          "image": _image, "paragraph_open": _paragraph_open, "paragraph_close": _paragraph_close,
          "table_open": _table_open}
