"""A chapter's images: found in its markdown, checked, and copied into the site it is built into.

An image is markdown's ``![alt](ref)``. Raw HTML in a chapter is text, on the page and in the
notebook alike (:mod:`d2lmomentum.book.markdown`), so an ``<img>`` written there is no image.

Only image files inside the book's tree are copied. A reference is **allowed** when, relative
to the chapter's folder and after resolving ``..`` and symbolic links, it names a regular file
inside the tree's root, with an image suffix (:data:`IMAGE_SUFFIXES`) whose first bytes are
that kind of image (PNG, JPEG, GIF, WebP magic; SVG: XML whose first element is ``<svg``). An
absolute path, a ``..`` or a link that leaves the tree, a folder, a non-image (a key file, a
text file named ``.png``), an SVG with a script, an event handler or embedded HTML is **refused**; a file that is not there is **missing**; an
``http(s):``, protocol-relative or ``data:`` URL is **external**: the offline page requests
nothing outside ``file://``. Every case but allowed is shown on the page as a placeholder, with
a :class:`~d2lmomentum.book.source.BookWarning` naming the chapter, the line and why.

Site layout: every allowed image of the book is copied once to
``SITE/_images/<its path relative to the root>`` (d2l-en's ``img/pacman.svg`` to
``SITE/_images/img/pacman.svg``), and each page refers to it relatively from its own folder.
"""
import dataclasses
import html.parser
import os
import re
import typing
import urllib.parse
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.book import markdown
from d2lmomentum.book.source import warn

#: The folder of the site that holds the book's images.
IMAGES_DIR = "_images"
#: Image suffixes and the kind of image each must hold.
IMAGE_SUFFIXES = {".svg": "svg", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif",
                  ".webp": "webp"}
_MAGIC = {"png": (b"\x89PNG\r\n\x1a\n",), "jpeg": (b"\xff\xd8\xff",), "gif": (b"GIF87a", b"GIF89a")}
# The bytes read to tell a file's kind: an SVG's <svg element may start after an XML declaration,
# comments and a DOCTYPE.
_HEAD_BYTES = 64 * 1024
_EXTERNAL_SCHEMES = ("http", "https", "data")
#: What makes an SVG active: a script, an on… event handler, a javascript: URL, embedded HTML.
_SVG_ACTIVE = re.compile(rb"<\s*(?:[\w-]+:)?(?:script|foreignobject|iframe|embed|object)\b|\son[a-z]+\s*=|javascript\s*:",
                         re.I)
ALLOWED, EXTERNAL, MISSING, REFUSED = "allowed", "external", "missing", "refused"


@dataclasses.dataclass(frozen=True)
class ImageRef:
    """What an image reference ``ref`` is: ``status`` (allowed, external, missing or refused),
    ``path`` (the resolved file inside the root, when allowed) and ``reason`` (otherwise)."""
    ref: str
    status: str
    path: Path = None
    reason: str = None


class ImageUse(typing.NamedTuple):
    """An image reference in a chapter and its line there (1-based)."""
    ref: str
    line: int


def _kind_of(head):
    """The kind of image whose first bytes are ``head`` ('png', 'jpeg', 'gif', 'webp', 'svg'), or None."""
    for kind, magics in _MAGIC.items():
        if head.startswith(magics):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return "svg" if _first_element(head) == "svg" else None


class _FirstElement(html.parser.HTMLParser):
    """``name``: the first element's name; '' when text comes before any element."""

    def __init__(self):
        super().__init__()
        self.name = None

    def handle_starttag(self, tag, attrs):
        self.name = tag if self.name is None else self.name

    def handle_data(self, data):
        if self.name is None and data.strip():
            self.name = ""


def _first_element(head):
    """The first element's name in XML text ``head`` (after its declaration, comments, DOCTYPE)."""
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as e:  # a multibyte character cut at the end of head
        text = head[:e.start].decode("utf-8-sig", "replace")
    parser = _FirstElement()
    parser.feed(text)
    return parser.name


def resolve_image(ref, chapter_path, root):
    """Decide what the image reference ``ref`` of the chapter ``chapter_path`` is (an :class:`ImageRef`).

    A local ``ref`` is a URL path relative to the chapter's folder (``%xx`` decoded, ``?``/``#``
    parts ignored); it is allowed only inside ``root`` (see the module's rules).
    """
    text = ref.strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() in _EXTERNAL_SCHEMES or (not parts.scheme and parts.netloc):
        return ImageRef(ref, EXTERNAL, reason="not a file of the book: the offline page loads nothing "
                                              "from outside; put the image in the book's img/ folder")
    if parts.scheme:
        return ImageRef(ref, REFUSED, reason=f"{parts.scheme}: is not an image address; "
                                             "use a path relative to the chapter")
    local = urllib.parse.unquote(parts.path)
    if not local:
        return ImageRef(ref, REFUSED, reason="empty path")
    if Path(local).is_absolute() or local.startswith("~"):
        return ImageRef(ref, REFUSED, reason="an absolute or home-folder path; use a path relative to the chapter, "
                                             "inside the book's folder")
    root = Path(root).resolve()
    candidate = Path(chapter_path).resolve().parent / local
    target = candidate.resolve()
    if not target.is_relative_to(root):
        how = "a link pointing" if Path(os.path.normpath(candidate)).is_relative_to(root) else "a path leading"
        return ImageRef(ref, REFUSED, reason=f"{how} out of the book's folder")
    if not target.exists():
        return ImageRef(ref, MISSING, reason=f"no file {target.relative_to(root).as_posix()} in the book's folder")
    if not target.is_file():
        return ImageRef(ref, REFUSED, reason="not a regular file")
    kind = IMAGE_SUFFIXES.get(target.suffix.lower())
    if kind is None:
        return ImageRef(ref, REFUSED, reason=f"not an image file (allowed: {', '.join(IMAGE_SUFFIXES)})")
    with open(target, "rb") as f:
        found = _kind_of(f.read(_HEAD_BYTES))
    if found != kind:
        return ImageRef(ref, REFUSED, reason=f"named {target.suffix} but its content is "
                                             f"{'not an image' if found is None else found}")
    if kind == "svg" and _SVG_ACTIVE.search(target.read_bytes()):
        return ImageRef(ref, REFUSED, reason="an SVG with a script, an event handler or embedded HTML "
                                             "(it would run when the file is opened); save it without them")
    return ImageRef(ref, ALLOWED, path=target)


@dataclasses.dataclass
class _Scan:
    found: list
    line: int = 0


def _inline_images(children, scan):
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            scan.line += 1
        elif child.type == "image":
            scan.found.append(ImageUse(child.attrs["src"], scan.line))
        _inline_images(child.children or [], scan)


def images_in(markdown_text):
    """The image references of a chapter's markdown, in order: ``![alt](ref)`` images as the
    page's parser reads them (:mod:`d2lmomentum.book.markdown`); a list of :class:`ImageUse`
    ``(ref, line)``. Code blocks hold none, and neither does raw HTML: an ``<img>`` written in
    the chapter is text on the page and in the notebook, and its file is not copied."""
    return images_in_tokens(markdown.parse(markdown_text))


def chapter_images(chapter):
    """The :class:`ImageUse` of every markdown cell of a parsed
    :class:`~d2lmomentum.book.chapter.Chapter`, lines counted in its file."""
    return [use for cell in chapter.cells if cell.kind == "markdown"
            for use in images_in_tokens(chapter.tokens[cell.index], cell.line)]


def images_in_tokens(tokens, first_line=1):
    """:func:`images_in` of markdown already parsed into markdown-it block ``tokens``, its first
    line being line ``first_line`` of the file."""
    found = []
    for token in tokens:
        start = token.map[0] + first_line if token.map else first_line
        if token.type == "inline":
            _inline_images(token.children or [], _Scan(found, start))
    return found


def _site_path(path, root):
    """Where the book file ``path`` (inside ``root``) goes in the site, relative to the site."""
    return Path(IMAGES_DIR, path.relative_to(Path(root).resolve()))


def _in_book(path, root):
    """``path`` as the page shows it: relative to the book's folder (no local path is published)."""
    path, root = Path(path).resolve(), Path(root).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def copy_images(uses, chapter_path, root, out_dir, page_dir=None):
    """Copy the allowed images of ``uses`` (refs, or :class:`ImageUse` from :func:`images_in`)
    of the chapter ``chapter_path`` in the tree ``root`` into the site ``out_dir``.

    Each allowed file goes to ``out_dir/_images/<path relative to root>`` (written whole or not
    at all; left alone when already there with the same bytes). Returns ``{ref: (src, None)}``
    for a copied image, ``src`` the URL-quoted path relative to ``page_dir`` (the page's folder,
    default ``out_dir``), and ``{ref: (None, message)}`` for every other reference, the
    placeholder's text (the chapter named relative to ``root``: no local path reaches the page);
    each such message is also warned (:class:`BookWarning`, the chapter's full path) once, here.
    """
    out_dir = Path(out_dir)
    page_dir = out_dir if page_dir is None else Path(page_dir)
    result = {}
    for use in uses:
        ref, line = (use, None) if isinstance(use, str) else use
        if ref in result:
            continue
        image = resolve_image(ref, chapter_path, root)
        where = f"{chapter_path}:{line}" if line else str(chapter_path)
        if image.status == ALLOWED:
            dest = out_dir / _site_path(image.path, root)
            try:
                data = image.path.read_bytes()
                if not (dest.is_file() and dest.read_bytes() == data):
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(dest, data)
            except OSError as e:
                image = ImageRef(ref, REFUSED, reason=f"cannot be copied ({e.strerror or e})")
            else:
                src = Path(os.path.relpath(dest, page_dir)).as_posix()
                result[ref] = (urllib.parse.quote(src), None)
                continue
        message = f"image {ref!r} {image.status}: {image.reason}; shown as a placeholder"
        warn(f"{where}: {message}")
        result[ref] = (None, f"{_in_book(chapter_path, root)}{f':{line}' if line else ''}: {message}")
    return result
