"""The page's static files, copied into ``<out>/_static/``: KaTeX (vendored from npm with its
licence, see ``assets/katex/README.md``), the page's CSS and script, and Pygments' colours.
Nothing is fetched from the network."""
from importlib.resources import files
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.book.names import STATIC

PYGMENTS_STYLE = "friendly"


def asset_root():
    return Path(str(files("d2lmomentum.book.page").joinpath("assets")))


def pygments_css():
    from pygments.formatters import HtmlFormatter
    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight")


def copy_assets(out_dir):
    """Copy the static files into ``out_dir/_static`` (each through a temporary name); returns that folder."""
    target = Path(out_dir) / STATIC
    root = asset_root()
    for src in sorted(root.rglob("*")):
        if src.is_file() and "__pycache__" not in src.parts:
            dest = target / src.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists() or dest.stat().st_size != src.stat().st_size or dest.stat().st_mtime < src.stat().st_mtime:
                write_atomic(dest, src.read_bytes())
    write_atomic(target / "pygments.css", pygments_css())
    return target
