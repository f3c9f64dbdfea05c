"""The page that ``write_explorer`` writes: its files, nothing fetched, Python's settings in it
as the only copy (the page follows them when they change), the CLI and the import."""
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from d2lmomentum import theory
from d2lmomentum.explorer import DEFAULTS, RANGES, params, write_explorer


def config_in(page):
    text = page.read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/json" id="explorer-config">(.*?)</script>', text, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_write_explorer_writes_a_page_that_loads_only_its_own_files(tmp_path):
    page = write_explorer(tmp_path / "new" / "folder")
    assert page == tmp_path / "new" / "folder" / "explorer.html"
    files = sorted(p.relative_to(page.parent).as_posix() for p in page.parent.rglob("*") if p.is_file())
    assert files == ["explorer.html", "explorer_files/app.js", "explorer_files/config.js",
                     "explorer_files/explorer.css", "explorer_files/plot.js", "explorer_files/state.js", "explorer_files/theory.js",
                     "explorer_files/views.js"]
    html = page.read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)="([^"#?]+)', html)
    assert refs and all((page.parent / r).is_file() for r in refs)
    for p in page.parent.rglob("*"):
        if p.is_file():
            text = p.read_text(encoding="utf-8")
            assert not re.search(r"https?://|(?:src|href)\s*=\s*[\"']//|@import|url\(", text), p
    assert write_explorer(page.parent) == page  # again, over the old files
    assert sorted(p.name for p in page.parent.rglob("*") if p.is_file()) == sorted(f.split("/")[-1] for f in files)


def test_the_page_holds_pythons_settings_and_the_scripts_no_copy(tmp_path):
    page = write_explorer(tmp_path)
    c = config_in(page)
    assert c["defaults"] == DEFAULTS and {k: tuple(v) for k, v in c["ranges"].items()} == RANGES
    assert tuple(c["methods"]) == theory.METHODS and c["names"] == params.NAMES
    assert tuple(map(tuple, c["traceGrid"])) == theory.TRACE_GRID
    assert (c["defaults"]["x1"], c["defaults"]["x2"]) == theory.START_2D
    # the curvatures are f_2d's: f(x) = lambda1/2 x1^2 + lambda2/2 x2^2
    x = np.array([1.0, 3.0])
    assert [2 * theory.f_2d(x[0], 0) / x[0] ** 2, 2 * theory.f_2d(0, x[1]) / x[1] ** 2] == c["lambdas"]
    scripts = "\n".join(p.read_text(encoding="utf-8") for p in (page.parent / "explorer_files").glob("*.js"))
    for copy in ("경사 하강", "모멘텀", "네스테로프", "#2ca02c", "-5.5", "0.99", "[0.01", "0.2, 4", "1e15"):
        assert copy not in scripts, copy


def test_a_setting_with_markup_cannot_end_the_config_script(tmp_path, monkeypatch):
    monkeypatch.setitem(params.NAMES, "gd", "</script><script>alert(1)</script> & <!--")
    page = write_explorer(tmp_path)
    assert config_in(page)["names"]["gd"] == params.NAMES["gd"]


def test_the_page_follows_python_when_its_settings_change(ex, tmp_path, monkeypatch):
    """Change the settings in Python only: the page shows the new defaults, ranges, names,
    presets and trace grid with no change to its scripts."""
    monkeypatch.setattr(params, "DEFAULTS", dict(eta=0.3, beta=0.7, steps=9, method="nesterov", x1=3.0, x2=1.5))
    monkeypatch.setattr(params, "RANGES", dict(params.RANGES, eta=(0.02, 1.2), steps=(2, 60)))
    monkeypatch.setattr(params, "NAMES", {"gd": "GD", "momentum": "HB", "nesterov": "NAG"})
    monkeypatch.setattr(params, "PRESETS", ({"method": "momentum", "eta": 0.5, "beta": 0.75},))
    monkeypatch.setattr(params, "TRACE_GRID", ((-8.0, 2.0, 0.1), (-4.0, 3.0, 0.1)))
    page_dir = write_explorer(tmp_path).parent
    probe = ex.load("?method=gd&eta=0.1", page_dir=page_dir)
    page = probe.page
    s = dict(params.DEFAULTS, method="gd", eta=0.1)
    assert page.evaluate("MomentumExplorer.app.state()") == s
    ex.check(page, s)
    sliders = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-param]')]
        .map(e => [e.dataset.param, [Number(e.min), Number(e.max)]]))""")
    assert sliders == {k: list(params.RANGES[k]) for k in ("eta", "beta", "steps")}
    labels = page.evaluate("[...document.querySelectorAll('#methods label')].map(l => l.innerText.trim())")
    assert labels == ["GD", "HB", "NAG"] and page.inner_text("#method-name") == "GD"
    presets = page.evaluate("[...document.querySelectorAll('#presets button')].map(b => b.innerText)")
    assert presets == ["η=0.5, β=0.75"]
    page.click("#presets button")
    ex.check(page, dict(params.DEFAULTS, method="momentum", eta=0.5, beta=0.75))
    page.get_by_label("GD").check()
    ex.check(page, dict(params.DEFAULTS, method="gd", eta=0.5, beta=0.75))
    ex.clean(probe)
    assert trace_box(ex, page_dir) == [-8, 2, -4, 3]


def trace_box(ex, page_dir=None):
    """The trace view's [x0, x1, y0, y1] for traces that stay near the minimum: d2l's grid."""
    probe = ex.load("?method=gd&eta=0.1&beta=0&x1=-1&x2=-1", page_dir=page_dir)
    return probe.page.evaluate("MomentumExplorer.views.traceView(MomentumExplorer.app.model())")


def test_the_written_page_shows_pythons_defaults(ex):
    probe = ex.load()
    page = probe.page
    assert page.evaluate("MomentumExplorer.app.state()") == DEFAULTS
    ex.check(page, DEFAULTS)
    labels = page.evaluate("[...document.querySelectorAll('#methods label')].map(l => l.innerText.trim())")
    assert labels == [params.NAMES[m] for m in theory.METHODS]
    assert page.evaluate("[...document.querySelectorAll('#presets button')].length") == 4
    ex.clean(probe)
    g = theory.TRACE_GRID
    assert trace_box(ex) == [g[0][0], g[0][1], g[1][0], g[1][1]]


def test_the_page_without_its_settings_says_how_to_write_it(open_page):
    from d2lmomentum.explorer.page import ASSETS
    probe = open_page((ASSETS / "explorer.html").as_uri())
    probe.page.wait_for_selector(".note code")
    assert "d2lmomentum explore --out" in probe.page.inner_text("body")
    assert any("explorer-config missing" in e for e in probe.page_errors)


def test_write_explorer_refuses_a_file(tmp_path):
    from d2lmomentum.errors import InvalidArgumentError
    f = tmp_path / "x"
    f.write_text("")
    with pytest.raises(InvalidArgumentError, match="is a file"):
        write_explorer(f)


def test_cli_explore(tmp_path, capsys):
    from d2lmomentum.cli import main
    assert main(["explore", "--out", str(tmp_path / "e")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "e" / "explorer.html")
    assert config_in(tmp_path / "e" / "explorer.html")["defaults"] == DEFAULTS
    (tmp_path / "file").write_text("")
    assert main(["explore", "--out", str(tmp_path / "file")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("d2lmomentum: error: ") and "is a file" in err and err.count("\n") == 1
    assert main(["explore"]) == 2
    assert "--out" in capsys.readouterr().err


def test_importing_the_explorer_imports_no_plotting():
    code = ("import sys, d2lmomentum as dm, d2lmomentum.explorer as ex; "
            "assert dm.explore is ex.explore and callable(dm.explore); "
            "print(json.dumps([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
