"""Warnings about a chapter's markup: a label, citation key, image or role that names something
the book lacks. They are :class:`MarkupWarning` warnings, collected by the caller (the command
line prints each once as ``d2lmomentum: warning: …``)."""
import contextlib
import re
import warnings

#: Characters a terminal acts on instead of showing: C0 and C1 controls (escape sequences, carriage
#: return, line breaks), Unicode's line separators and its bidirectional overrides.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text):
    """``text`` (a message holding a chapter's text or a file name) on one line, every control
    character shown as its Python escape (``\\n``, ``\\x1b``, ``\\u202e``), so that a message can
    neither drive the terminal nor span lines."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


class BookWarning(UserWarning):
    """Part of a book left out or replaced (a tab, an image, a toc entry, a chapter), with the reason."""


class MarkupWarning(BookWarning):
    """d2l markup that names something the chapter, the book, d2l's sections or the bibliography lack."""


def warn(message, stacklevel=3, category=MarkupWarning):
    """Issue ``message`` as a ``category`` warning from the caller's caller."""
    warnings.warn(category(message), stacklevel=stacklevel)


@contextlib.contextmanager
def collect_markup_warnings():
    """Collect the :class:`BookWarning` messages raised inside, each once, in a list it yields."""
    messages = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BookWarning)
        try:
            yield messages
        finally:
            found = [str(w.message) for w in caught if issubclass(w.category, BookWarning)]
            messages.extend(dict.fromkeys(found))
            for w in caught:  # others go on as usual
                if not issubclass(w.category, BookWarning):
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
