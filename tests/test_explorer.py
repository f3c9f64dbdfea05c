"""The momentum explorer: the page's numbers against d2lmomentum.theory in headless Chromium,
its URL contract and bad input, the files write_explorer writes, the CLI, and explore()'s
ipywidgets. The expected values are computed here, from theory, not from the explorer."""
import json
import re
import statistics
import subprocess
import sys

import numpy as np
import pytest

from d2lmomentum import theory
from d2lmomentum.explorer import DEFAULTS, RANGES, write_explorer

LAMBDAS = np.array([0.2, 4.0])
TRAINERS = {"gd": lambda eta, beta: lambda *a: theory.gd_2d(*a, eta=eta),
            "momentum": lambda eta, beta: lambda *a: theory.momentum_2d(*a, eta=eta, beta=beta),
            "nesterov": lambda eta, beta: lambda *a: theory.nesterov_2d(*a, eta=eta, beta=beta)}


def setting(method="momentum", eta=0.6, beta=0.5, steps=20, x1=-5.0, x2=-2.0):
    return {"method": method, "eta": eta, "beta": beta, "steps": steps, "x1": x1, "x2": x2}


def js_number(x):
    """``String(x)`` in JavaScript, for the numbers used here: no ``.0`` on whole numbers."""
    return str(int(x)) if isinstance(x, float) and x.is_integer() else repr(x) if isinstance(x, float) else str(x)


def query(s):
    return "?" + "&".join(f"{k}={js_number(v)}" for k, v in s.items())


def expected(s):
    """End point, both directions' radii and rho of the setting ``s``, from theory."""
    end = theory.train_2d(TRAINERS[s["method"]](s["eta"], s["beta"]), s["steps"], x1=s["x1"], x2=s["x2"])[-1]
    if s["method"] == "gd":
        radii = theory.gd_rate(s["eta"], LAMBDAS)
    else:
        radii = theory.spectral_radius(s["beta"], s["eta"], LAMBDAS, nesterov=s["method"] == "nesterov")
    return end, radii, float(radii.max())


def _table():
    chapter = [setting("gd", 0.4), setting("gd", 0.6), setting("momentum", 0.6, 0.5),
               setting("momentum", 0.6, 0.25)]
    nesterov = [setting("nesterov", 0.6, 0.5), setting("nesterov", 0.3, 0.9), setting("nesterov", 0.4, 0.9, 60),
                setting("nesterov", 0.05, 0.0, 100)]
    rng = np.random.default_rng(20240612)
    random = [setting(str(rng.choice(["gd", "momentum", "nesterov"])), float(rng.uniform(0.01, 1.5)),
                      float(rng.uniform(0, 0.99)), int(rng.integers(1, 101)),
                      *(float(v) for v in (np.round(rng.uniform(-10, 10, 2), 3) if k % 3 == 0 else (-5.0, -2.0))))
              for k in range(16)]
    corners = [setting(m, eta, beta, 100) for m in ("gd", "momentum", "nesterov")
               for eta in (0.01, 1.5) for beta in (0.0, 0.99)]
    edges = [setting("gd", 0.5),                      # rho == 1 exactly: x2 flips sign forever
             setting("momentum", 0.75, 0.5),          # eta*lambda = 2 + 2 beta: an eigenvalue -1, rho == 1
             setting("gd", 0.6, x2=0.0),              # the unstable direction, started at its minimum
             setting("gd", 0.5, steps=2, x1=0.0, x2=0.0078125),   # an exact tie at the 7th decimal
             setting("momentum", 0.25, 0.0, 1)]       # x2 lands exactly on 0
    return ([("chapter", s) for s in chapter] + [("nesterov", s) for s in nesterov] +
            [("random", s) for s in random] + [("corner", s) for s in corners] + [("edge", s) for s in edges])


TABLE = _table()
STATS = {"settings": 0, "worst_rel": 0.0}


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory):
    return write_explorer(tmp_path_factory.mktemp("explorer")).parent


@pytest.fixture(scope="module", autouse=True)
def closing_note(request):
    """After the module, one line: how many settings were compared and the worst difference."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture and STATS["settings"]:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nexplorer: {STATS['settings']} URL settings compared with d2lmomentum.theory, "
                                f"worst relative difference {STATS['worst_rel']:.2e}")
            for line in STATS.get("timings", []):
                reporter.write_line(line)


def load(open_page, page_dir, search="", width=1280, height=900):
    probe = open_page((page_dir / "explorer.html").as_uri() + search, width, height)
    probe.page.wait_for_selector("body[data-ready=true]", timeout=10_000)
    return probe


@pytest.fixture(scope="module")
def one_page(chromium):
    """One page for the table of settings, each loaded into it in turn (a new page costs ~0.5 s);
    its probe records requests and errors across all of them."""
    from _browser import PageProbe
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield PageProbe(context.new_page())
    context.close()


def shown(page):
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-quantity]')].map(
        e => [e.dataset.quantity, {text: e.textContent, value: e.dataset.value}]))""")


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300) if a != b else 0.0


def check_numbers(page, s):
    """The page shows theory's end point and rho for ``s``: text as Python's ``.6f`` (or words
    where the direction diverges), the full double within 1e-6 relative; returns the worst."""
    end, radii, rho = expected(s)
    q = shown(page)
    worst = 0.0
    for i, name in enumerate(("x1", "x2")):
        runaway = radii[i] > 1 and (s["x1"], s["x2"])[i] != 0
        if runaway:
            assert q[name]["text"] == "발산", (name, s, q[name])
        else:
            assert q[name]["text"] == f"{end[i]:.6f}", (name, s, q[name])
        got = float(q[name]["value"])
        assert rel(got, end[i]) <= 1e-6, (name, s, got, end[i])
        worst = max(worst, rel(got, end[i]))
    for name, want in (("rho", rho), ("rho1", radii[0]), ("rho2", radii[1])):
        assert q[name]["text"] == f"{want:.6f}", (name, s, q[name])
        got = float(q[name]["value"])
        assert rel(got, want) <= 1e-6, (name, s, got, want)
        worst = max(worst, rel(got, want))
    assert page.evaluate("document.body.dataset.diverged") == ("true" if rho > 1 else "false")
    text = page.evaluate("document.body.innerText")
    assert "NaN" not in text and "Infinity" not in text
    return worst


def assert_clean(probe):
    assert probe.offsite_requests == []
    assert probe.console_errors == []
    assert probe.page_errors == []


# -- the page against theory -----------------------------------------------------------------
@pytest.mark.parametrize("kind,s", TABLE, ids=[f"{k}-{s['method']}-eta{s['eta']:.3g}-beta{s['beta']:.3g}-"
                                               f"t{s['steps']}" for k, s in TABLE])
def test_url_setting_shows_theorys_numbers(one_page, page_dir, kind, s):
    probe = one_page
    probe.page.goto((page_dir / "explorer.html").as_uri() + query(s))
    probe.page.wait_for_selector("body[data-ready=true]", timeout=10_000)
    state = probe.page.evaluate("MomentumExplorer.app.state()")
    assert state == {k: s[k] for k in state}
    worst = check_numbers(probe.page, s)
    STATS["settings"] += 1
    STATS["worst_rel"] = max(STATS["worst_rel"], worst)
    assert probe.page.evaluate("document.getElementById('note').hidden")
    assert_clean(probe)


def test_the_chapters_momentum_cell_prints_what_the_page_shows(open_page, page_dir, capsys):
    from d2lmomentum import dropin
    eta, beta = 0.6, 0.5

    def momentum_2d(x1, x2, v1, v2):  # the chapter's cell, as written there
        v1 = beta * v1 + 0.2 * x1
        v2 = beta * v2 + 4 * x2
        return x1 - eta * v1, x2 - eta * v2, v1, v2

    dropin.train_2d(momentum_2d)
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    probe = load(open_page, page_dir, "?eta=0.6&beta=0.5&steps=20&method=momentum")
    q = shown(probe.page)
    assert printed == f"epoch 20, x1: {q['x1']['text']}, x2: {q['x2']['text']}"
    assert_clean(probe)


def test_js_arithmetic_equals_theory(open_page, page_dir):
    """The page's own functions on 300 random settings: every trace point and every eigenvalue."""
    probe = load(open_page, page_dir)
    rng = np.random.default_rng(7)
    n = 300
    methods = rng.choice(["gd", "momentum", "nesterov"], n).tolist()
    eta, beta, lam = rng.uniform(0.01, 1.5, n), rng.uniform(0, 0.99, n), rng.uniform(0.05, 6, n)
    starts = rng.uniform(-10, 10, (n, 2))
    got = probe.page.evaluate("""([methods, eta, beta, lam, starts]) => methods.map((m, k) => ({
        trace: MomentumExplorer.theory.train2d(m, eta[k], beta[k], 40, starts[k][0], starts[k][1]),
        eig: MomentumExplorer.theory.eigenvalues(m, eta[k], beta[k], lam[k]),
        rho: MomentumExplorer.theory.spectralRadius(m, eta[k], beta[k], lam[k])}))""",
                              [methods, eta.tolist(), beta.tolist(), lam.tolist(), starts.tolist()])
    worst = 0.0
    for k, m in enumerate(methods):
        s = setting(m, eta[k], beta[k], 40, *starts[k])
        want = np.array(theory.train_2d(TRAINERS[m](eta[k], beta[k]), 40, x1=starts[k][0], x2=starts[k][1]))
        assert np.array_equal(np.array(got[k]["trace"], dtype=float), want), s  # the same operations: bit for bit
        if m == "gd":
            eig, rho = np.array([1 - eta[k] * lam[k]]), theory.gd_rate(eta[k], lam[k])
        else:
            eig = theory.eigenvalues(beta[k], eta[k], lam[k], nesterov=m == "nesterov")
            rho = theory.spectral_radius(beta[k], eta[k], lam[k], nesterov=m == "nesterov")
        js = np.array([complex(e["re"], e["im"]) for e in got[k]["eig"]])
        assert np.array_equal(js, eig), s
        worst = max(worst, rel(got[k]["rho"], float(rho)))
    assert worst <= 4 * np.finfo(float).eps  # |complex| by Math.hypot against C's hypot: an ulp or two


def test_six_decimals_are_pythons(open_page, page_dir):
    probe = load(open_page, page_dir)
    rng = np.random.default_rng(3)
    xs = (rng.normal(size=200) * 10.0 ** rng.integers(-9, 25, 200)).tolist()
    xs += [0.0, -0.0, 1e-7, -1e-9, 0.0078125, -0.0078125, 0.0234375, 2.5, 0.5e-6, 1e21, -1.5e22, 1e101,
           123456.0000005, 0.9999995]
    got = probe.page.evaluate("xs => xs.map(MomentumExplorer.theory.fixed6)", xs)
    assert got == [f"{x:.6f}" for x in xs]


def test_ranges_and_defaults_are_pythons(open_page, page_dir):
    probe = load(open_page, page_dir)
    js = probe.page.evaluate("[MomentumExplorer.state.DEFAULTS, MomentumExplorer.state.RANGES]")
    assert js[0] == DEFAULTS
    assert {k: tuple(v) for k, v in js[1].items()} == RANGES
    sliders = probe.page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-param]')]
        .map(e => [e.dataset.param, [Number(e.min), Number(e.max)]]))""")
    assert sliders == {k: list(RANGES[k]) for k in ("eta", "beta", "steps")}


# -- interaction --------------------------------------------------------------------------
def drag_to(page, slider, value):
    page.evaluate("""([id, v]) => { const e = document.getElementById(id); e.value = v;
        e.dispatchEvent(new Event('input', {bubbles: true})); }""", [slider, str(value)])


def test_dragging_a_slider_updates_the_url_and_the_numbers(open_page, page_dir):
    probe = load(open_page, page_dir, "?eta=0.6&beta=0.5&steps=20&method=momentum")
    page = probe.page
    for slider, value, s in (("eta", 0.45, setting(eta=0.45)), ("beta", 0.83, setting(eta=0.45, beta=0.83)),
                             ("steps", 57, setting(eta=0.45, beta=0.83, steps=57))):
        drag_to(page, slider, value)
        check_numbers(page, s)  # redrawn at once
        page.wait_for_function("q => location.search === q", arg=query({k: s[k] for k in
                                                                         ("eta", "beta", "steps", "method")}))
    assert page.get_attribute("#share", "href") == "explorer.html" + page.evaluate("location.search")
    assert_clean(probe)


def test_a_mouse_drag_redraws_each_move_and_is_timed(open_page, page_dir):
    probe = load(open_page, page_dir, "?eta=0.05&beta=0.5&steps=100&method=momentum")
    page = probe.page
    box = page.locator("#eta").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    moves = 120
    for k in range(1, moves + 1):
        page.mouse.move(box["x"] + 2 + (box["width"] - 4) * k / moves, y)
    page.mouse.up()
    times = [t["ms"] for t in page.evaluate("MomentumExplorer.timings") if t["reason"] == "input:eta"]
    assert len(times) >= moves // 2  # every move that changes the slider's value redraws
    state = page.evaluate("MomentumExplorer.app.state()")
    assert state["eta"] == RANGES["eta"][1]
    check_numbers(page, setting(eta=state["eta"], steps=100))
    page.wait_for_function("() => location.search.startsWith('?eta=1.5&')")
    STATS.setdefault("timings", []).append(
        f"explorer: update per drag move (compute + redraw of every view, performance.now), {len(times)} moves: "
        f"median {statistics.median(times):.2f} ms, max {max(times):.2f} ms")
    assert max(times) < 1000  # a sanity bound only; the measured times are reported above
    assert_clean(probe)


def test_method_buttons_presets_and_polyak(open_page, page_dir):
    probe = load(open_page, page_dir)
    page = probe.page
    page.get_by_label("네스테로프").check()
    check_numbers(page, setting("nesterov"))
    page.wait_for_function("() => location.search.includes('method=nesterov')")
    page.get_by_role("button", name="GD η=0.4").click()
    check_numbers(page, setting("gd", 0.4))
    page.click("#polyak")
    best = theory.optimal_parameters(0.2, 4.0)
    state = page.evaluate("MomentumExplorer.app.state()")
    assert state["method"] == "momentum"
    assert rel(state["eta"], best["momentum"]["eta"]) < 1e-15 and rel(state["beta"], best["momentum"]["beta"]) < 1e-15
    check_numbers(page, setting("momentum", state["eta"], state["beta"]))
    q = shown(page)
    assert float(q["rho"]["value"]) == pytest.approx(best["momentum"]["rate"], rel=1e-6)  # Polyak's rate, reached
    assert q["polyak-rate"]["text"] == f"{best['momentum']['rate']:.6f}"
    assert q["gd-best-rate"]["text"] == f"{best['gd']['rate']:.6f}"
    page.click("#gd-best")
    check_numbers(page, setting("gd", best["gd"]["eta"], state["beta"]))
    assert float(shown(page)["rho"]["value"]) == pytest.approx(best["gd"]["rate"], rel=1e-12)
    assert_clean(probe)


def test_clicking_the_plots_moves_the_start_and_picks_eta_beta(open_page, page_dir):
    probe = load(open_page, page_dir)
    page = probe.page
    box = page.locator("#trace-view").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.3)
    state = page.evaluate("MomentumExplorer.app.state()")
    assert (state["x1"], state["x2"]) != (-5, -2)
    check_numbers(page, setting(x1=state["x1"], x2=state["x2"]))
    page.wait_for_function("() => location.search.includes('&x1=')")
    # on the region map the lambda = 4 point follows the pointer: right and up is larger eta and beta
    box = page.locator("#region-view").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.2)
    after = page.evaluate("MomentumExplorer.app.state()")
    assert after["eta"] > 0.6 and after["beta"] > 0.5
    check_numbers(page, setting(eta=after["eta"], beta=after["beta"], x1=state["x1"], x2=state["x2"]))
    assert_clean(probe)


# -- bad input -----------------------------------------------------------------------------
BAD = [("?eta=abc&beta=0.5&steps=20&method=momentum", setting(), ["eta=abc"]),
       ("?eta=0.6&beta=2&steps=20&method=momentum", setting(beta=0.99), ["beta=2"]),
       ("?eta=0.6&beta=0.5&steps=-3&method=momentum", setting(steps=1), ["steps=-3"]),
       ("?eta=0.6&beta=0.5&steps=20&method=adam", setting(), ["method=adam"]),
       ("?steps=2.5&method=gd", setting("gd", steps=3), ["steps=2.5"]),
       ("?eta=1e400&beta=-1&x1=zzz&x2=99", setting(beta=0.0, x2=10.0), ["eta=1e400", "beta=-1", "x1=zzz", "x2=99"]),
       ("?eta=&method=", setting(), ["eta=", "method="]),
       ("?eta=%3Cscript%3Ealert(1)%3C/script%3E", setting(), ["eta=<script>"])]


@pytest.mark.parametrize("search,s,notes", BAD, ids=[b[0] for b in BAD])
def test_bad_query_values_are_repaired_with_a_note(open_page, page_dir, search, s, notes):
    probe = load(open_page, page_dir, search)
    page = probe.page
    assert page.evaluate("MomentumExplorer.app.state()") == s
    note = page.locator("#note")
    assert note.is_visible()
    for n in notes:
        assert n in note.inner_text()
    assert page.locator("#note script").count() == 0
    check_numbers(page, s)
    assert page.evaluate("Number(document.getElementById('eta').value)") == pytest.approx(s["eta"], abs=0.005)
    # the URL now holds the repaired setting
    page.wait_for_function("q => location.search.startsWith(q)",
                           arg=query({k: s[k] for k in ("eta", "beta", "steps", "method")}))
    assert_clean(probe)


def test_a_typed_value_out_of_range_is_clamped_with_a_note(open_page, page_dir):
    probe = load(open_page, page_dir)
    page = probe.page
    box = page.locator('[data-param-text="eta"]')
    box.fill("7")
    box.press("Enter")
    box.blur()
    assert page.evaluate("MomentumExplorer.app.state().eta") == 1.5
    assert "eta=7" in page.locator("#note").inner_text()
    check_numbers(page, setting(eta=1.5))
    assert_clean(probe)


# -- embedding and phone width ---------------------------------------------------------------
def test_works_inside_an_iframe_and_reports_its_height(open_page, tmp_path):
    write_explorer(tmp_path / "explorer")
    parent = tmp_path / "chapter.html"
    parent.write_text("""<!DOCTYPE html><html><body><script>window.heights = [];
        addEventListener('message', e => e.data && e.data.type === 'd2lmomentum-explorer-height' &&
                                         heights.push(e.data.height));</script>
        <iframe id="ex" style="width:760px;height:900px"
                src="explorer/explorer.html?eta=0.6&beta=0.25&steps=20&method=momentum"></iframe>
        </body></html>""", encoding="utf-8")
    probe = open_page(parent.as_uri())
    frame = probe.page.frame_locator("#ex")
    frame.locator("body[data-ready=true]").wait_for(timeout=10_000)
    child = next(f for f in probe.page.frames if f.url.startswith((tmp_path / "explorer").as_uri()))
    check_numbers(child, setting(beta=0.25))
    drag_to(child, "eta", 0.5)
    check_numbers(child, setting(eta=0.5, beta=0.25))
    probe.page.wait_for_function("() => heights.length > 0")
    assert probe.page.evaluate("heights[heights.length - 1]") > 500
    assert_clean(probe)


def test_phone_width_has_no_sideways_scroll(open_page, page_dir):
    probe = load(open_page, page_dir, "?eta=0.6&beta=0.5&steps=20&method=momentum", 390, 844)
    page = probe.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    widths = page.evaluate("[...document.querySelectorAll('canvas')].map(c => c.getBoundingClientRect().right)")
    assert len(widths) == 5 and all(0 < w <= 390 for w in widths)
    check_numbers(page, setting())
    assert_clean(probe)


# -- files, CLI, import ----------------------------------------------------------------------
def test_write_explorer_writes_a_page_that_loads_only_its_own_files(tmp_path):
    page = write_explorer(tmp_path / "new" / "folder")
    assert page == tmp_path / "new" / "folder" / "explorer.html"
    files = sorted(p.relative_to(page.parent).as_posix() for p in page.parent.rglob("*") if p.is_file())
    assert files == ["explorer.html", "explorer_files/app.js", "explorer_files/explorer.css",
                     "explorer_files/plot.js", "explorer_files/state.js", "explorer_files/theory.js",
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
    assert (tmp_path / "e" / "explorer.html").is_file()
    (tmp_path / "file").write_text("")
    assert main(["explore", "--out", str(tmp_path / "file")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("d2lmomentum: error: --out") and err.count("\n") == 1
    assert main(["explore"]) == 2
    assert "--out" in capsys.readouterr().err


def test_importing_the_explorer_imports_no_plotting():
    code = ("import sys, d2lmomentum as dm, d2lmomentum.explorer as ex; "
            "assert dm.explore is ex.explore and callable(dm.explore); "
            "print(json.dumps([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


# -- explore(): ipywidgets ---------------------------------------------------------------------
def test_explore_builds_widgets_and_redraws_with_theorys_numbers():
    ipywidgets = pytest.importorskip("ipywidgets")
    import d2lmomentum as dm
    ex = dm.explore(eta=0.6, beta=0.5)
    c = ex.controls
    assert isinstance(c["eta"], ipywidgets.FloatSlider) and isinstance(c["beta"], ipywidgets.FloatSlider)
    assert isinstance(c["steps"], ipywidgets.IntSlider) and isinstance(c["method"], ipywidgets.ToggleButtons)
    assert isinstance(ex.widget, ipywidgets.VBox) and ex.image.value[:4] == b"\x89PNG"

    def check(s):
        end, radii, rho = expected(s)
        v = ex.values
        assert v["end"] == pytest.approx(tuple(end), rel=1e-12, abs=1e-300)
        assert v["rho"] == pytest.approx(rho, rel=1e-12) and v["diverged"] == (rho > 1)
        for i in range(2):
            assert v[f"x{i + 1}"] == ("발산" if radii[i] > 1 else f"{end[i]:.6f}")
        assert f"<code>{rho:.6f}</code>" in ex.readout.value
        line = next(ln for ln in ex.axes["trace"].get_lines() if ln.get_gid() == s["method"])
        want = np.array(theory.train_2d(TRAINERS[s["method"]](s["eta"], s["beta"]), s["steps"]))
        np.testing.assert_array_equal(np.column_stack(line.get_data()), want)

    check(setting())
    before = ex.image.value
    c["eta"].value = 0.4
    check(setting(eta=0.4))
    assert ex.image.value != before
    c["method"].value = "gd"
    c["eta"].value = 0.6
    check(setting("gd", 0.6))
    c["method"].value = "nesterov"
    check(setting("nesterov", 0.6))
    ex.polyak.click()
    best = theory.optimal_parameters(0.2, 4.0)["momentum"]
    assert ex.values["rho"] == pytest.approx(best["rate"], rel=1e-6)
    check(setting(eta=c["eta"].value, beta=c["beta"].value))


def test_explore_rejects_bad_settings():
    from d2lmomentum.errors import InvalidArgumentError, InvalidTypeError
    from d2lmomentum.explorer import explore
    with pytest.raises(InvalidArgumentError, match=r"eta must be in \[0.01, 1.5\]"):
        explore(eta=3)
    with pytest.raises(InvalidArgumentError, match="method must be one of gd, momentum, nesterov"):
        explore(method="adam")
    with pytest.raises(InvalidArgumentError, match="unknown setting 'lr'"):
        explore(lr=0.1)
    with pytest.raises(InvalidTypeError, match="steps must be an integer"):
        explore(steps=2.5)


def test_explore_without_ipywidgets_names_the_extra(monkeypatch):
    from d2lmomentum.explorer import explore
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'd2lmomentum[widgets]'")):
        explore()
