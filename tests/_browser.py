"""Headless Chromium for the page and explorer tests: Debian's ``chromium`` driven by Playwright.

No browser is downloaded: Playwright launches the system browser (``$D2LMOMENTUM_CHROMIUM``,
else ``chromium`` on PATH). Where it is missing the browser tests skip and say how to
install it; under CI (``CI=true``) they fail instead, so CI always runs them.

``open_page(url)`` returns a :class:`PageProbe`: the Playwright page plus every request that
left ``file://``, every console error and every uncaught page error, recorded from the start.
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


@pytest.fixture
def open_page(chromium):
    """``open_page(url, width=1280, height=900)`` -> :class:`PageProbe`, loaded; closed after the test."""
    contexts = []

    def _open(url, width=1280, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        probe = PageProbe(context.new_page())
        probe.page.goto(str(url))
        return probe

    yield _open
    for context in contexts:
        context.close()
