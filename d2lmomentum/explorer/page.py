"""The explorer's web page: the files under ``assets/`` copied into a folder."""
from pathlib import Path

from d2lmomentum.errors import InvalidArgumentError

ASSETS = Path(__file__).resolve().parent / "assets"
PAGE = "explorer.html"


def write_explorer(out_dir):
    """Write ``explorer.html`` and its assets (``explorer_files/``) into ``out_dir`` (created if
    missing), each file through a temporary name; the page itself last, so that it never
    stands without its scripts. Returns the page's path. The page loads nothing from the
    network and works from ``file://``, also inside an ``<iframe>``."""
    from d2lmomentum.atomic import write_atomic
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidArgumentError(f"{out} is a file; give a folder for {PAGE} and its assets")
    files = [p for p in sorted(ASSETS.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    for src in sorted(files, key=lambda p: p.name == PAGE):
        dst = out / src.relative_to(ASSETS)
        dst.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(dst, src.read_text(encoding="utf-8"))
    return out / PAGE
