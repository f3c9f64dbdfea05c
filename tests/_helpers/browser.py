"""Headless Chromium for the page and explorer tests: Debian's ``chromium`` driven by Playwright.

No browser is downloaded: Playwright launches the system browser (``$D2LMOMENTUM_CHROMIUM``,
else ``chromium`` on PATH). Where it is missing the browser tests skip and say how to
install it; under CI (``CI=true``) they fail instead, so CI always runs them.

``open_page(url)`` returns a :class:`PageProbe`: the Playwright page plus every request that
left ``file://``, every console error and every uncaught page error, recorded from the start;
:func:`open_typeset` waits for the book page's script to typeset its formulas.
"""
import os
import shutil

import pytest

from _helpers import unavailable

INSTALL_HINT = ("headless Chromium is needed for the browser tests: as root, "
                "`apt-get install -y chromium fonts-nanum` (Debian), or set D2LMOMENTUM_CHROMIUM to a "
                "Chromium binary; `pip install playwright` (the test extra) drives it")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path():
    return os.environ.get("D2LMOMENTUM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(reason):
    unavailable(reason, INSTALL_HINT)


class PageProbe:
    """A Playwright page that records what a test needs to assert on."""

    def __init__(self, page):
        self.page = page
        self.offsite_requests, self.console_errors, self.page_errors = [], [], []
        page.on("request", self._on_request)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    @property
    def problems(self):
        """``(requests that left file://, console errors, page errors)``, recorded so far: a clean
        page's is ``([], [], [])``."""
        return self.offsite_requests, self.console_errors, self.page_errors

    def _on_request(self, request):
        if not request.url.startswith(("file://", "data:", "about:", "blob:")):
            self.offsite_requests.append(request.url)

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session (skips or fails as described above)."""
    path = chromium_path()
    if not path:
        _unavailable("no Chromium found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def new_probe(chromium, width=1280, height=900):
    """A :class:`PageProbe` on a blank page in a fresh browser context (its own storage);
    close it with ``probe.context.close()``."""
    context = chromium.new_context(viewport={"width": width, "height": height})
    return PageProbe(context.new_page())


@pytest.fixture
def open_page(chromium):
    """``open_page(url, width=1280, height=900)`` -> :class:`PageProbe`, loaded; closed after the test."""
    probes = []

    def _open(url, width=1280, height=900):
        probes.append(new_probe(chromium, width, height))
        probes[-1].page.goto(str(url))
        return probes[-1]

    yield _open
    for probe in probes:
        probe.context.close()


#: True once a book page's script has typeset every formula (``page.js`` sets it).
TYPESET = "document.body.dataset.math === 'typeset'"


def open_typeset(open_page, path, **kw):
    """``open_page`` on the file ``path`` (a book page), once its formulas are typeset."""
    probe = open_page(path.as_uri(), **kw)
    probe.wait_for_function(TYPESET)
    return probe


def goto_typeset(probe, path):
    """Go to the book page ``path`` in the same tab (its storage kept), once its formulas are typeset."""
    probe.goto(path.as_uri())
    probe.wait_for_function(TYPESET)
    return probe


def visible_text(probe):
    """The text the reader sees (``innerText``: hidden elements left out)."""
    return probe.evaluate("document.body.innerText")
