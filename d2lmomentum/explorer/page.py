"""The explorer's web page: the files under ``assets/`` copied into a folder, with the settings
of :mod:`d2lmomentum.explorer.params` written into the page as JSON."""
import json
from pathlib import Path

from d2lmomentum.atomic import write_atomic
from d2lmomentum.errors import InvalidArgumentError
from d2lmomentum.explorer import params

ASSETS = Path(__file__).resolve().parent / "assets"
PAGE = "explorer.html"
#: The line of ``assets/explorer.html`` that becomes ``<script type="application/json" id="explorer-config">``.
CONFIG_MARKER = "<!-- explorer-config -->"
# in a <script> element only "</script" and "<!--" end or change the text; escaping every "<", ">"
# and "&" as JSON's \u escapes rules both out and leaves the JSON the same
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def config_script():
    """The ``<script type="application/json" id="explorer-config">`` element holding
    :func:`params.config`, which the page's scripts read instead of keeping their own copy."""
    text = json.dumps(params.config(), ensure_ascii=False, allow_nan=False).translate(_ESCAPES)
    return f'<script type="application/json" id="explorer-config">{text}</script>'


def write_explorer(out_dir):
    """Write ``explorer.html`` and its assets (``explorer_files/``) into ``out_dir`` (created if
    missing), each file through a temporary name; the page itself last, so that it never
    stands without its scripts. Returns the page's path. The page loads nothing from the
    network and works from ``file://``, also inside an ``<iframe>``."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidArgumentError(f"{out} is a file; give a folder for {PAGE} and its assets")
    files = [p for p in sorted(ASSETS.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    for src in sorted(files, key=lambda p: p.name == PAGE):
        dst = out / src.relative_to(ASSETS)
        dst.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8")
        write_atomic(dst, text.replace(CONFIG_MARKER, config_script()) if src.name == PAGE else text)
    return out / PAGE
