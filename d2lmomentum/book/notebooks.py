"""A chapter as Jupyter notebooks, one per framework, built with nbformat.

A notebook starts with a setup cell (inline figures in the chosen format; and, for a tab whose
cells use ``d2l`` but none imports it, the import its own first cell would make, so that the
chapter's ``#@tab all`` cells run there too: d2l-en lists ``jax`` with no JAX cell; a tab that
never names ``d2l`` does not pay for importing its framework), then holds the
chapter's markdown as its page shows it (:mod:`d2lmomentum.book.notebook_markdown`: links,
anchors, images; the math left as ``$…$`` for Jupyter), a bibliography cell, and the
framework's code cells, ``from d2l import X as d2l`` pointed at the drop-in. Each cell's
``metadata["d2lmomentum"]["index"]`` is its index in the chapter. A notebook lives in
``<chapter folder>/<framework>/``, one level below the chapter's page.
"""
from d2lmomentum.book.bibliography import anchor
from d2lmomentum.backends import REGISTRY
from d2lmomentum.book.cells import for_tab, imports_d2l, runnable_source, uses_d2l
from d2lmomentum.book.names import file_stem
from d2lmomentum.book import notebook_markdown
from d2lmomentum.book.notebook_markdown import anchor_tag, md_escape
from d2lmomentum.book.ui import strings
from d2lmomentum.errors import InvalidArgumentError

SETUP_SOURCE = "%matplotlib inline\n%config InlineBackend.figure_formats = [{fmt!r}]"
#: The drop-in of each framework, as a tab's own import cell names it (``from d2l import torch as d2l``).
DROPIN_MODULES = {row.name: row.module for row in REGISTRY}
#: Figure formats a chapter's cells may draw in.
FORMATS = ("png", "svg")
#: Where a notebook is, relative to its chapter's page folder.
NOTEBOOK_BASE = "../"


def notebook_name(chapter_name, tab):
    """``momentum-pytorch.ipynb``: the last part of the chapter's name, then the framework."""
    return f"{file_stem(chapter_name)}-{tab}.ipynb"


def check_format(fmt):
    if fmt not in FORMATS:
        raise InvalidArgumentError(f"fmt (the figure format) must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return fmt


def explorer_note(lang, href=None):
    """The markdown a notebook shows where the page embeds the interactive explorer."""
    ui = strings(lang)
    return ui["explorer_note_link"].format(href=href) if href else ui["explorer_note_command"]


def build_notebook(chapter, tab, *, fmt="png", explorer_href=None, images=None):
    """An nbformat v4 notebook of ``tab``'s cells of the linked
    :class:`~d2lmomentum.book.chapter.Chapter` ``chapter``. ``explorer_href``: where the
    explorer marker links (else it names the command that writes the explorer); ``images``:
    ``{ref: (src, warning)}`` of the chapter's images as copied for its page
    (:func:`d2lmomentum.book.images.copy_images`, ``src`` relative to the page's folder), their
    references pointed at the copies from the notebook's folder, :data:`NOTEBOOK_BASE` below
    (None: each image's reference as the chapter writes it)."""
    import nbformat
    check_format(fmt)
    refs = chapter.references
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["d2lmomentum"] = {"framework": tab, "chapter": chapter.name}
    cells = for_tab(chapter.cells, tab)
    setup = SETUP_SOURCE.format(fmt=fmt)
    code = [cell.source for cell in cells if cell.kind == "code"]
    if any(map(uses_d2l, code)) and not any(map(imports_d2l, code)):
        setup += "\n" + runnable_source(f"from d2l import {DROPIN_MODULES[tab]} as d2l")
    nb.cells = [v4.new_code_cell(setup, metadata={"d2lmomentum": {"setup": True}})]
    explorer = explorer_note(chapter.lang, explorer_href)
    for cell in cells:
        meta = {"d2lmomentum": {"index": cell.index}}
        if cell.kind == "markdown":
            text = notebook_markdown.render(chapter.tokens[cell.index], refs, base=NOTEBOOK_BASE, images=images,
                                            explorer=explorer)
            nb.cells.append(v4.new_markdown_cell(text, metadata=meta))
        else:
            nb.cells.append(v4.new_code_cell(runnable_source(cell.source), metadata=meta))
    entries = refs.bibliography_entries("markdown")
    if entries:
        items = "\n".join(f"* {anchor_tag(anchor(key))}**{md_escape(who)}** {text}"
                          for key, who, text in entries)
        nb.cells.append(v4.new_markdown_cell(f"## {strings(chapter.lang)['bibliography']}\n\n{items}"))
    return nb
