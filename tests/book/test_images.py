"""Images: found in markdown (not in raw HTML), allowed only as image files inside the book's tree, copied once."""
import os
import urllib.parse

import pytest

from _helpers import SHARED, unavailable
from d2lmomentum.book.images import (ALLOWED, EXTERNAL, IMAGES_DIR, MISSING, REFUSED, copy_images,
                                     images_in, resolve_image)
from d2lmomentum.book.source import BookWarning

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
JPEG = b"\xff\xd8\xff\xe0" + bytes(30)
GIF = b"GIF89a" + bytes(20)
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(20)
SVG = b'<?xml version="1.0"?>\n<!-- a figure -->\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n'


@pytest.fixture
def book(tmp_path):
    """``book/`` (with config.ini, img/, ch/page.md) and, beside it, ``outside/`` with a real PNG."""
    root = tmp_path / "book"
    for name, data in {"config.ini": b"[build]\ntabs = pytorch\n", "ch/page.md": b"# Page\n",
                       "img/a.png": PNG, "img/b.jpg": JPEG, "img/c.gif": GIF, "img/d.webp": WEBP,
                       "img/e.svg": SVG, "img/f.JPEG": JPEG, "img/id_rsa": b"-----BEGIN OPENSSH PRIVATE KEY-----\n",
                       "img/fake.png": b"just some text\n", "img/page.svg": b"<html><body>x</body></html>",
                       "img/text.svg": b"text first, then <svg/>\n",
                       "img/png-as.svg": PNG, "img/sub/x.png": PNG}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.png").write_bytes(PNG)
    os.symlink(tmp_path / "outside" / "secret.png", root / "img" / "link.png")
    os.symlink(root / "img" / "a.png", root / "img" / "inner-link.png")
    return root.resolve()


@pytest.mark.parametrize("ref", ["../img/a.png", "../img/b.jpg", "../img/c.gif", "../img/d.webp",
                                 "../img/e.svg", "../img/f.JPEG", "../img/sub/x.png", "./../img/sub/../a.png",
                                 "../img/inner-link.png"])
def test_image_files_inside_the_tree_are_allowed(book, ref):
    image = resolve_image(ref, book / "ch" / "page.md", book)
    assert image.status == ALLOWED and image.reason is None
    assert str(image.path) == os.path.realpath(book / "ch" / ref)


@pytest.mark.parametrize("ref, reason", [
    ("{outside}/secret.png", "absolute"),
    ("~/.ssh/id_rsa", "absolute or home-folder"),
    ("../../outside/secret.png", "a path leading out of the book's folder"),
    ("../img/link.png", "a link pointing out of the book's folder"),
    ("../img/id_rsa", "not an image file"),
    ("../img/fake.png", "named .png but its content is not an image"),
    ("../img/page.svg", "named .svg but its content is not an image"),
    ("../img/text.svg", "named .svg but its content is not an image"),
    ("../img/png-as.svg", "named .svg but its content is png"),
    ("../img", "not a regular file"),
    ("file:///etc/passwd", "file: is not an image address"),
    ("", "empty path"),
])
def test_everything_else_is_refused_with_the_reason(book, ref, reason):
    image = resolve_image(ref.format(outside=book.parent / "outside"), book / "ch" / "page.md", book)
    assert image.status == REFUSED and image.path is None
    assert reason in image.reason


@pytest.mark.parametrize("ref", ["https://d2l.ai/_images/x.svg", "http://x.org/a.png", "//cdn.org/a.png",
                                 "data:image/png;base64,iVBORw0KGgo="])
def test_urls_are_external(book, ref):
    image = resolve_image(ref, book / "ch" / "page.md", book)
    assert image.status == EXTERNAL and image.path is None and "loads nothing from outside" in image.reason


def test_missing_file_is_named(book):
    image = resolve_image("../img/gone.svg", book / "ch" / "page.md", book)
    assert image.status == MISSING and image.reason == "no file img/gone.svg in the book's folder"


@pytest.mark.parametrize("svg", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT href="x.js"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe/></foreignObject></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="x"><s:script>1</s:script></svg>',
])
def test_an_svg_with_a_script_is_refused(book, svg):
    (book / "img" / "active.svg").write_bytes(svg)
    image = resolve_image("../img/active.svg", book / "ch" / "page.md", book)
    assert image.status == REFUSED and image.reason.startswith("an SVG with a script, an event handler")


def test_images_in_reads_markdown_images_with_their_lines_and_no_raw_html():
    """A raw ``<img>`` is text on the page and in the notebook (raw HTML is text there): no image."""
    lines = ["# T", "text ![one](a.png) and", "more ![two", "alt](b.svg) <img src=\"c.gif\" alt=x>", "",
             "```python", "![not](code.png)", "```", "", "    ![indented](code2.png)", "",
             "<div>", "<img class=fig", "  src='d.png'/>", "</div>", "", "| x | y |", "|---|---|",
             "| ![cell](e.webp) | [![linked](f.jpg)](g.html) |", "", "![한글](../img/펭귄 그림.png)"]
    text = "\n".join(lines) + "\n"
    found = images_in(text.replace("펭귄 그림.png", "<펭귄 그림.png>").replace("(../img/<", "(<../img/"))
    refs = [ref for ref, _ in found]
    korean = "../img/" + urllib.parse.quote("펭귄 그림.png")  # markdown-it's normalised destination
    assert refs == ["a.png", "b.svg", "e.webp", "f.jpg", korean]
    expected_lines = [next(i + 1 for i, line in enumerate(lines) if marker in line)
                      for marker in ("a.png", "![two", "e.webp", "f.jpg", "펭귄")]
    assert [line for _, line in found] == expected_lines  # where each image starts


def test_copy_images_copies_allowed_ones_once_and_warns_the_rest(book, tmp_path):
    site = tmp_path / "site"
    (book / "ch" / "other.md").write_text("# Other\n")
    (book / "img" / "펭귄 그림.png").write_bytes(PNG)
    uses = images_in("![a](../img/a.png)\n\n![b](<../img/펭귄 그림.png>)\n\n![c](../img/gone.svg)\n\n"
                     "![d](../img/fake.png)\n\n![e](https://x.org/e.png)\n\n![a again](../img/a.png)\n")
    with pytest.warns(BookWarning) as caught:
        result = copy_images(uses, book / "ch" / "page.md", book, site, page_dir=site / "page")
    korean = "../img/" + urllib.parse.quote("펭귄 그림.png")
    assert result["../img/a.png"] == (f"../{IMAGES_DIR}/img/a.png", None)
    assert result[korean] == (f"../{IMAGES_DIR}/img/" + urllib.parse.quote("펭귄 그림.png"), None)
    assert (site / IMAGES_DIR / "img" / "a.png").read_bytes() == PNG
    assert (site / IMAGES_DIR / "img" / "펭귄 그림.png").read_bytes() == PNG
    for ref, line, status in [("../img/gone.svg", 5, "missing"), ("../img/fake.png", 7, "refused"),
                              ("https://x.org/e.png", 9, "external")]:
        src, message = result[ref]
        # the placeholder names the chapter in the book, the warning on this machine
        assert src is None and message.startswith(f"ch/page.md:{line}: image {ref!r} {status}: ")
        assert str(tmp_path) not in message
    assert sorted(str(w.message) for w in caught) == \
        sorted(f"{book}/{m}" for _, m in result.values() if m)
    # the whole site holds exactly the two copies: nothing refused, no temporary file left
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        f"{IMAGES_DIR}/img/a.png", f"{IMAGES_DIR}/img/펭귄 그림.png"]
    # a second page using the same image: same file, its own relative src
    before = (site / IMAGES_DIR / "img" / "a.png").stat().st_mtime_ns
    again = copy_images(["../img/a.png"], book / "ch" / "other.md", book, site)
    assert again == {"../img/a.png": (f"{IMAGES_DIR}/img/a.png", None)}
    assert (site / IMAGES_DIR / "img" / "a.png").stat().st_mtime_ns == before


def test_d2l_en_convexity_images_are_copied(tmp_path):
    tree = SHARED / "d2l-en"
    if not (tree / "img").is_dir():
        unavailable(f"the shared d2l-en tree {tree} is missing", "put ../shared beside the repository")
    chapter = tree / "chapter_optimization" / "convexity.md"
    uses = images_in(chapter.read_text(encoding="utf-8"))
    text_lines = chapter.read_text(encoding="utf-8").splitlines()
    assert [text_lines[line - 1].count(f"]({ref})") for ref, line in uses] == [1] * 4
    (tmp_path / "convexity").mkdir()
    result = copy_images(uses, chapter, tree, tmp_path, page_dir=tmp_path / "convexity")
    for ref, _ in uses:
        src, warning = result[ref]
        assert warning is None and src == f"../{IMAGES_DIR}/img/{ref.removeprefix('../img/')}"
        assert (tmp_path / "convexity" / src).read_bytes() == (chapter.parent / ref).read_bytes()
