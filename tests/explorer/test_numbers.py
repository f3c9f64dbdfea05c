"""The explorer's numbers in headless Chromium against d2lmomentum.theory: 43 URL settings, the
chapter's printed end points, the page's arithmetic, and how a number is written (six
decimals as Python's ``:f``, six significant digits from ``FIXED_LIMIT`` on, words where it is
not finite). Expected values come from theory and Python's formatting, not from the explorer."""
import math

import numpy as np
import pytest

from d2lmomentum import theory
from d2lmomentum.explorer import params


def setting(method="momentum", eta=0.6, beta=0.5, steps=20, x1=-5.0, x2=-2.0):
    return dict(method=method, eta=eta, beta=beta, steps=steps, x1=x1, x2=x2)


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
             setting("momentum", 0.25, 0.0, 1),       # x2 lands exactly on 0
             setting("gd", 1.5, steps=21),            # x2 = -2 (-5)^21 = 9.5e14: the last six-decimal size
             setting("gd", 1.5, steps=22)]            # x2 = -2 (-5)^22 = -4.8e15: six significant digits
    return ([("chapter", s) for s in chapter] + [("nesterov", s) for s in nesterov] +
            [("random", s) for s in random] + [("corner", s) for s in corners] + [("edge", s) for s in edges])


TABLE = _table()
STATS = {"settings": 0, "worst_rel": 0.0}


@pytest.fixture(scope="module", autouse=True)
def closing_note(report):
    """After the module, one line: how many settings were compared and the worst difference."""
    yield
    if STATS["settings"]:
        report(f"\nexplorer: {STATS['settings']} URL settings compared with d2lmomentum.theory, "
               f"worst relative difference {STATS['worst_rel']:.2e}")


@pytest.mark.parametrize("kind,s", TABLE, ids=[f"{k}-{s['method']}-eta{s['eta']:.3g}-beta{s['beta']:.3g}-"
                                               f"t{s['steps']}" for k, s in TABLE])
def test_url_setting_shows_theorys_numbers(ex, kind, s):
    probe = ex.load(ex.query(s))
    state = probe.page.evaluate("MomentumExplorer.app.state()")
    assert state == {k: s[k] for k in state}
    worst = ex.check(probe.page, s)
    STATS["settings"] += 1
    STATS["worst_rel"] = max(STATS["worst_rel"], worst)
    assert probe.page.evaluate("document.getElementById('note').hidden")
    ex.clean(probe)


# the chapter's cells, as written there (their eta and beta are the cells' globals)
def _gd_cell(eta):
    return lambda x1, x2, s1, s2: (x1 - eta * 0.2 * x1, x2 - eta * 4 * x2, 0, 0)


def _momentum_cell(eta, beta):
    def momentum_2d(x1, x2, v1, v2):
        v1 = beta * v1 + 0.2 * x1
        v2 = beta * v2 + 4 * x2
        return x1 - eta * v1, x2 - eta * v2, v1, v2
    return momentum_2d


PRINTED = [("gd", 0.4, 0.0, 20), ("gd", 0.6, 0.0, 20), ("momentum", 0.6, 0.5, 20), ("momentum", 0.6, 0.25, 20),
           ("nesterov", 0.3, 0.9, 20),   # not a chapter cell: theory's Nesterov step
           ("gd", 1.5, 0.0, 21)]         # the largest end point that still has six decimals


@pytest.mark.parametrize("method,eta,beta,steps", PRINTED, ids=[f"{m}-{e}-{b}-{t}" for m, e, b, t in PRINTED])
def test_the_page_shows_what_the_chapter_prints(ex, capsys, method, eta, beta, steps):
    """d2l's ``train_2d`` (the drop-in's, which prints with ``:f``) on the chapter's cell, against
    the page at that URL: the same two numbers, also where the setting diverges (gd, eta = 0.6)."""
    from d2lmomentum import dropin
    cell = {"gd": lambda: _gd_cell(eta), "momentum": lambda: _momentum_cell(eta, beta),
            "nesterov": lambda: lambda *a: theory.nesterov_2d(*a, eta=eta, beta=beta)}[method]()
    dropin.train_2d(cell, steps)
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    probe = ex.load(f"?eta={eta}&beta={beta}&steps={steps}&method={method}")
    q = ex.shown(probe.page)
    assert printed == f"epoch {steps}, x1: {q['x1']['text']}, x2: {q['x2']['text']}"
    ex.clean(probe)


def test_a_diverging_coordinate_shows_its_number_and_the_word(ex):
    probe = ex.load("?eta=0.6&beta=0&steps=20&method=gd")
    x2 = theory.train_2d(lambda *a: theory.gd_2d(*a, eta=0.6), 20)[-1][1]
    q = ex.shown(probe.page)
    assert q["x2"]["text"] == f"{x2:f}" and q["x2"]["runaway"] is True
    assert q["x1"]["runaway"] is False
    assert probe.page.locator('[data-runaway="x2"]').is_visible()
    assert probe.page.locator('[data-runaway="x1"]').is_hidden()
    ex.clean(probe)


def test_js_arithmetic_equals_theory(ex):
    """The page's own functions on 300 random settings: every trace point and every eigenvalue."""
    probe = ex.load()
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
        want = np.array(theory.train_2d(ex.TRAINERS[m](eta[k], beta[k]), 40, x1=starts[k][0], x2=starts[k][1]))
        assert np.array_equal(np.array(got[k]["trace"], dtype=float), want), (m, k)  # the same operations
        if m == "gd":
            eig, rho = np.array([1 - eta[k] * lam[k]]), theory.gd_rate(eta[k], lam[k])
        else:
            eig = theory.eigenvalues(beta[k], eta[k], lam[k], nesterov=m == "nesterov")
            rho = theory.spectral_radius(beta[k], eta[k], lam[k], nesterov=m == "nesterov")
        js = np.array([complex(e["re"], e["im"]) for e in got[k]["eig"]])
        assert np.array_equal(js, eig), (m, k)
        worst = max(worst, ex.rel(got[k]["rho"], float(rho)))
    assert worst <= 4 * np.finfo(float).eps  # |complex| by Math.hypot against C's hypot: an ulp or two


def _numbers():
    rng = np.random.default_rng(3)
    xs = (rng.normal(size=300) * 10.0 ** rng.integers(-9, 300, 300)).tolist()
    limit = params.FIXED_LIMIT
    xs += [0.0, -0.0, 1e-7, -1e-9, 0.0078125, -0.0078125, 0.0234375, 2.5, 0.5e-6, 123456.0000005, 0.9999995,
           -1673.365109375, 999999.9999995, math.nextafter(limit, 0), limit, -math.nextafter(limit, 0), -limit,
           1000005000000000.0, 1000015000000000.0, -2000025000000000.0, 9999995000000000.0,   # ties at the 6th digit
           1e21, -1.5e22, 1e101, 1.7976931348623157e308, 9.5e14, -4.76837158203125e15]
    return xs


def test_numbers_read_as_pythons_format(ex):
    """Both sides of the rule: Python's ``.6f`` below ``FIXED_LIMIT`` and ``.5e`` from it on,
    ties rounded to even as Python does (JavaScript's toFixed and toExponential round them away
    from zero); ``∞``, ``-∞``, ``NaN`` where the number is not finite. The page and
    ``params.number`` agree on every value."""
    probe = ex.load()
    xs = _numbers()
    got = probe.page.evaluate("xs => xs.map(MomentumExplorer.theory.number)", xs)
    assert got == [ex.text(x) for x in xs]
    assert [params.number(x) for x in xs] == got
    below, at = got[xs.index(math.nextafter(params.FIXED_LIMIT, 0))], got[xs.index(params.FIXED_LIMIT)]
    assert below == "999999999999999.875000" and at == "1.00000e+15"
    assert got[xs.index(1000005000000000.0)] == "1.00000e+15" and got[xs.index(1000015000000000.0)] == "1.00002e+15"
    fixed = probe.page.evaluate("xs => xs.map(MomentumExplorer.theory.fixed6)", xs)
    assert fixed == [f"{x:.6f}" for x in xs]
    # overflow: JSON has no inf or NaN, so the page computes them
    words = probe.page.evaluate("[Infinity, -Infinity, NaN, 1e308 * 10, 0 / 0].map(MomentumExplorer.theory.number)")
    inf = float("inf")
    assert words == [params.number(x) for x in (inf, -inf, inf - inf, inf, inf - inf)]
    assert words == ["∞", "-∞", "NaN", "∞", "NaN"]
    ex.clean(probe)


def test_an_overflowing_trace_reads_infinity_and_nan_and_diverges():
    """Past the page's ranges (hundreds of steps of gradient descent at eta = 1.5), x2 overflows
    to an infinity, and one step later inf - inf is NaN; the readout (the widgets') says so with
    발산 beside it."""
    from d2lmomentum.explorer import model
    x2 = theory.train_2d(lambda *a: theory.gd_2d(*a, eta=1.5), 600)
    first = next(t for t, (_, b) in enumerate(x2) if math.isinf(b))
    for steps, want in ((first, "∞" if x2[first][1] > 0 else "-∞"), (first + 1, "NaN"), (600, "NaN")):
        v = model.readout(setting("gd", 1.5, steps=steps))
        assert (v["x2"], v["runaway"]) == (want, (False, True)), steps
        assert v["x1"] == f"{x2[steps][0]:.6f}"
