"""Warnings about a chapter's markup: a label, citation key, image or role that names something
the book lacks. They are :class:`MarkupWarning` warnings, collected by the caller (the command
line prints each once as ``d2lmomentum: warning: …``)."""
import contextlib
import warnings


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
