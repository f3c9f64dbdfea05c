"""Fixtures of the explorer's browser tests: the written page, and the checks that the page
shows what :mod:`d2lmomentum.theory` computes (expected values from theory, never from the
explorer's own Python)."""
import numpy as np
import pytest

from d2lmomentum import theory
from d2lmomentum.explorer import params, write_explorer

from _helpers.browser import new_probe

#: The width and height of the tab the tests load the page into.
TAB_SIZE = (1280, 900)
LAMBDAS = np.array([0.2, 4.0])  # f_2d = 0.1 x1^2 + 2 x2^2
TRAINERS = {"gd": lambda eta, beta: lambda *a: theory.gd_2d(*a, eta=eta),
            "momentum": lambda eta, beta: lambda *a: theory.momentum_2d(*a, eta=eta, beta=beta),
            "nesterov": lambda eta, beta: lambda *a: theory.nesterov_2d(*a, eta=eta, beta=beta)}


def expected(s):
    """End point, both directions' radii and rho of the setting ``s``, from theory."""
    end = theory.train_2d(TRAINERS[s["method"]](s["eta"], s["beta"]), s["steps"], x1=s["x1"], x2=s["x2"])[-1]
    if s["method"] == "gd":
        radii = theory.gd_rate(s["eta"], LAMBDAS)
    else:
        radii = theory.spectral_radius(s["beta"], s["eta"], LAMBDAS, nesterov=s["method"] == "nesterov")
    return end, radii, float(radii.max())


class Explorer:
    """Load the page and check what it shows. ``setting(...)`` and ``query(s)`` build a setting
    and its URL query; ``text(x)`` is how a number must read, ``rel(a, b)`` a relative difference;
    ``check(page, s)`` asserts the numbers for ``s`` and returns the worst
    relative difference of the full doubles."""

    TRAINERS = TRAINERS

    def __init__(self, page_dir, open_page, tab):
        self.page_dir, self._open, self._tab = page_dir, open_page, tab

    @staticmethod
    def text(x):
        """The README's rule for a shown number: Python's ``.6f`` below ``FIXED_LIMIT``, ``.5e`` from it on."""
        return f"{x:.6f}" if abs(x) < params.FIXED_LIMIT else f"{x:.5e}"

    @staticmethod
    def rel(a, b):
        return abs(a - b) / max(abs(b), 1e-300) if a != b else 0.0

    @staticmethod
    def setting(method="momentum", eta=0.6, beta=0.5, steps=20, x1=-5.0, x2=-2.0):
        return {"method": method, "eta": eta, "beta": beta, "steps": steps, "x1": x1, "x2": x2}

    @staticmethod
    def query(s):
        def js_number(x):  # String(x) in JavaScript for these numbers: no ".0" on whole ones
            if isinstance(x, float):
                return str(int(x)) if x.is_integer() else repr(x)
            return str(x)
        return "?" + "&".join(f"{k}={js_number(v)}" for k, v in s.items())

    expected = staticmethod(expected)

    def load(self, search="", width=TAB_SIZE[0], height=TAB_SIZE[1], page_dir=None):
        """The page at ``search``: loaded into the module's tab (:func:`tab`) at its size, into a
        tab of its own at another."""
        url = ((page_dir or self.page_dir) / "explorer.html").as_uri() + search
        if (width, height) == TAB_SIZE:
            probe = self._tab
            assert probe.problems == ([], [], []), f"left in the shared tab by an earlier test: {probe.problems}"
            probe.page.goto(url)
        else:
            probe = self._open(url, width, height)
        probe.page.wait_for_selector("body[data-ready=true]", timeout=10_000)
        return probe

    @staticmethod
    def shown(page):
        """``{quantity: {text, value, runaway}}`` of every ``data-quantity`` element; ``runaway``:
        whether the word 발산 beside it is shown (``None`` where there is none)."""
        return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-quantity]')].map(e => {
            const word = document.querySelector(`[data-runaway="${e.dataset.quantity}"]`);
            return [e.dataset.quantity, {text: e.textContent, value: e.dataset.value,
                    runaway: word ? !word.hidden && word.textContent === '발산' : null}]; }))""")

    def check(self, page, s):
        end, radii, rho = self.expected(s)
        q = self.shown(page)
        worst = 0.0
        for i, name in enumerate(("x1", "x2")):
            assert q[name]["text"] == self.text(end[i]), (name, s, q[name])
            assert q[name]["runaway"] == bool(radii[i] > 1 and (s["x1"], s["x2"])[i] != 0), (name, s, q[name])
            worst = max(worst, self.rel(float(q[name]["value"]), end[i]))
        for name, want in (("rho", rho), ("rho1", radii[0]), ("rho2", radii[1])):
            assert q[name]["text"] == f"{want:.6f}", (name, s, q[name])
            worst = max(worst, self.rel(float(q[name]["value"]), want))
        assert worst <= 1e-6, (s, worst)
        assert page.evaluate("document.body.dataset.diverged") == ("true" if rho > 1 else "false")
        text = page.evaluate("document.body.innerText")
        assert not any(word in text for word in ("NaN", "Infinity", "∞", "undefined")), s
        return worst

    @staticmethod
    def clean(probe):
        assert probe.problems == ([], [], [])


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory):
    return write_explorer(tmp_path_factory.mktemp("explorer")).parent


@pytest.fixture(scope="module")
def tab(chromium):
    """One tab (and browser context) for a module's page loads: each test loads the page into
    it afresh, which costs a third of a new context's CPU; it records requests and errors across
    all of them, so ``ex.clean`` also catches one left by an earlier test."""
    probe = new_probe(chromium, *TAB_SIZE)
    yield probe
    probe.context.close()


@pytest.fixture
def ex(page_dir, open_page, tab):
    return Explorer(page_dir, open_page, tab)


@pytest.fixture
def theory_numbers():
    """``theory_numbers(s)``: end point, radii and rho of the setting ``s`` from theory (no browser)."""
    return expected


@pytest.fixture
def trainers():
    """``trainers[method](eta, beta)``: theory's one-step function of ``method``."""
    return TRAINERS


@pytest.fixture(scope="session")
def report(request):
    """``report(line)``: write a measured number to the terminal, past pytest's output capture."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")

    def write(line):
        if reporter and capture:
            with capture.global_and_fixture_disabled():
                reporter.write_line(line)
    return write
