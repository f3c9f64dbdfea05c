"""The page's Jinja2 templates (``templates/*.html``, package data): one environment, made once,
that escapes every value (autoescaping) and refuses a missing one (``StrictUndefined``).

HTML made elsewhere and already safe (markdown-it's, Pygments', pybtex's through its escaping
backend, a rendered template) reaches a template as :class:`markupsafe.Markup`; everything else
is text and is escaped. :func:`render` gives a template's HTML as ``Markup``.

The templates: ``page.html`` the document (head, header with the code toolbar, footer), which
``chapter.html`` (a chapter's page) and ``book_index.html`` (the book's index) extend;
``contents.html`` the book's contents and ``toc.html`` a chapter's side navigation;
``code_group.html`` a run of code cells as a tab and a panel per framework, with each cell's
outputs; ``solution.html`` an exercise's folded solution; ``summary.html`` the run summary;
``bibliography.html``; ``pager.html`` the previous and next pages; ``explorer.html`` the
explorer's embed.
"""
import functools

import jinja2
from markupsafe import Markup

from d2lmomentum.backends import DISPLAY_NAMES, FRAMEWORKS
from d2lmomentum.book.bibliography import anchor

#: In the tabs view, the panels and code groups of every framework but the selected one are hidden.
TAB_RULES = Markup(",\n".join(
    rule for fw in FRAMEWORKS for rule in (f'.view-tabs[data-framework="{fw}"] .panel:not([data-framework="{fw}"])',
                                           f'.view-tabs[data-framework="{fw}"] .code-group:not([data-frameworks~="{fw}"])')
) + " { display: none; }")


def framework_name(fw):
    """A framework's name as the page shows it (``PyTorch``)."""
    return DISPLAY_NAMES.get(fw, fw)


@functools.cache
def highlight(code):
    """``code`` as Pygments' HTML (``<div class="highlight"><pre>…``)."""
    from pygments import highlight as pygmentize
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    return Markup(pygmentize(code, PythonLexer(), HtmlFormatter(cssclass="highlight")))


@functools.cache
def environment():
    """The templates' environment (autoescaping, strict, block tags' own lines left out)."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("d2lmomentum.book.page", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(framework_name=framework_name, highlight=highlight, bib_anchor=anchor)
    env.globals["tab_rules"] = TAB_RULES
    return env


def render(name, **values):
    """The template ``templates/<name>`` filled with ``values``, as ``Markup``."""
    return Markup(environment().get_template(name).render(**values))
