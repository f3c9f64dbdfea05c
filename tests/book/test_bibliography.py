"""A hostile ``.bib`` (d2lmomentum.book.bibliography): every field is text in the page's HTML and
in the notebook's markdown; a link field becomes a link only when it is a well-formed http(s)
URL, DOI, arXiv or PubMed id, and anything else is left out with a warning naming the entry."""
import pytest
from markdown_it import MarkdownIt

from d2lmomentum.book.bibliography import Bibliography, web_url
from d2lmomentum.book.diagnostics import collect_markup_warnings

from _helpers.dom import parse

SCRIPT = "<script>alert(1)</script>"
HOSTILE = (
    '@article{Evil.2020,\n  title = {Title "><img src=x onerror=alert(1)> ' + SCRIPT + '},\n'
    '  author = {Mallory, "><b>Eve</b>},\n  journal = {J <iframe src=javascript:alert(1)>},\n  year = {2020},\n'
    '  url = {https://e.org/"><script>alert(2)</script><a x="},\n'
    '  doi = {10.1000/x"><script>alert(3)</script>},\n  eprint = {1234.5678"onmouseover="alert(4)},\n'
    '  pubmed = {1"><script>alert(5)</script>}\n}\n'
    "@article{Js.2021,\n  title = {Js},\n  author = {Doe, Jane},\n  journal = {J},\n  year = {2021},\n"
    "  url = {javascript:alert(6)}\n}\n"
    "@article{Good.2019,\n  title = {Good},\n  author = {Roe, Rick},\n  journal = {J},\n  year = {2019},\n"
    "  url = {https://example.org/a_b?x=1&y=(2)},\n  doi = {10.1145/3065386},\n  eprint = {1412.6980v9},\n"
    "  pubmed = {12345}\n}\n")
KEYS = ["Evil.2020", "Js.2021", "Good.2019"]


def _elements(fragment):
    """Every element of ``fragment`` as ``(tag, attributes)``, as a browser's parser sees them."""
    return [(e.tag, e.attrs) for e in parse(fragment).iter()]


@pytest.fixture(scope="module")
def bib(tmp_path_factory):
    path = tmp_path_factory.mktemp("bib") / "hostile.bib"
    path.write_text(HOSTILE, encoding="utf-8")
    with collect_markup_warnings() as warned:
        bibliography = Bibliography([path])
    return bibliography, warned


def _check_safe(elements):
    for tag, attrs in elements:
        assert tag in ("a", "em", "strong", "span", "i", "b", "p"), tag  # pybtex's own markup only
        assert not [name for name in attrs if name.startswith("on") or name in ("src", "x")], attrs
        if tag == "a":
            assert web_url(attrs["href"]) == attrs["href"] and "<" not in attrs["href"], attrs


def test_every_field_is_text_in_the_page(bib):
    bibliography, _ = bib
    html = "".join(text for _, text in bibliography.formatted(KEYS, "html"))
    _check_safe(_elements(html))
    shown = parse(html).text
    assert SCRIPT in shown and '"><b>Eve</b> Mallory' in shown
    assert "<iframe src=javascript:alert(1)>" in shown  # the journal, as text
    hrefs = [attrs["href"] for tag, attrs in _elements(html) if tag == "a"]
    assert hrefs == ["https://example.org/a_b?x=1&y=(2)", "https://arxiv.org/abs/1412.6980v9",
                     "https://www.ncbi.nlm.nih.gov/pubmed/12345", "https://doi.org/10.1145/3065386"]


def test_every_field_is_text_in_the_notebook(bib):
    """Jupyter renders a markdown cell with raw HTML allowed: the rendered bibliography has no
    element the .bib wrote, and only the good entry's links."""
    bibliography, _ = bib
    md = "\n".join(f"* {text}" for _, text in bibliography.formatted(KEYS, "markdown"))
    rendered = MarkdownIt("commonmark").render(md)
    for tag, attrs in _elements(rendered):
        assert tag in ("ul", "li", "a", "em", "strong"), tag
        if tag == "a":
            assert web_url(attrs["href"]) == attrs["href"], attrs
    assert SCRIPT in parse(rendered).text
    hrefs = [attrs["href"] for tag, attrs in _elements(rendered) if tag == "a"]
    assert hrefs == ["https://example.org/a_b?x=1&y=%282%29", "https://arxiv.org/abs/1412.6980v9",
                     "https://www.ncbi.nlm.nih.gov/pubmed/12345", "https://doi.org/10.1145/3065386"]


def test_bad_link_fields_are_left_out_with_a_warning(bib):
    bibliography, warned = bib
    left_out = sorted((m.split("'")[1], m.split(": ")[1].split(" ")[0]) for m in warned if "left out" in m)
    assert left_out == [("Evil.2020", "doi"), ("Evil.2020", "eprint"), ("Evil.2020", "pubmed"),
                        ("Evil.2020", "url"), ("Js.2021", "url")]
    assert all("hostile.bib" in m for m in warned)
    assert set(bibliography.entries["Good.2019"].fields) >= {"url", "doi", "eprint", "pubmed"}


@pytest.mark.parametrize("url, ok", [
    ("https://d2l.ai/x.html", True), ("HTTP://EXAMPLE.ORG", True), ("https://e.org/a b", False),
    ("javascript:alert(1)", False), ("https:///nohost", False), ('https://e.org/"x', False),
    ("ftp://e.org/f", False), ("https://e.org/\x1b[2J", False), ("data:text/html,<b>", False),
])
def test_web_url(url, ok):
    assert (web_url(url) is not None) is ok
