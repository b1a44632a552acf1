"""Headless-Chromium support for the browser tests: serve a folder, launch Chromium, watch a page.

Plain functions and context managers only (no fixtures), so any test module can build its own
fixtures on top::

    from browser import DESKTOP, chromium, open_page, serve

    with serve(built_book.html, prefix="/container-notes/") as base, chromium() as browser:
        context = new_context(browser, base, **DESKTOP)
        page, watch = open_page(context, base + "search.html")
        ...
        assert not watch.problems, watch.report()

The site has to work with no network at all: `new_context` aborts every request that leaves the
local server, and `PageWatch` records it as a problem.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response, sync_playwright

from booktools.local_site import CHROMIUM_ARGS, find_browser, serve  # noqa: F401 - serve is re-exported for tests

#: Context options for a laptop screen and for a phone (iPhone X/11 Pro sized).
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
MOBILE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

WaitUntil = Literal["commit", "domcontentloaded", "load", "networkidle"]

MISSING_CHROMIUM = "Chromium not installed: apt-get install chromium fonts-noto-cjk"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def chromium_or_skip() -> str:
    """Path of the system Chromium; skip the test without one, but fail in CI (CI=true)."""
    path = find_browser()
    if path:
        return path
    if running_in_ci():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    pytest.skip(MISSING_CHROMIUM)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Start Playwright and the system Chromium (or skip, see `chromium_or_skip`); close both after."""
    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str, base_url: str) -> bool:
    """True for the served site and for URLs that never touch a network (data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parts.scheme in ("http", "https") and parts.netloc == urlsplit(base_url).netloc


def new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    """A fresh context (empty storage) in which every off-machine request is aborted."""
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)  # a missing element fails in seconds, not in half a minute
    # A pattern, not a Python predicate: Playwright matches it in its own process, where a predicate
    # cost a round trip to Python for every request of every page (a second per page load).
    context.route(off_machine(base_url), lambda route: route.abort("blockedbyclient"))
    return context


@contextmanager
def fresh_context(browser: Browser, base_url: str, **options: Any) -> Iterator[BrowserContext]:
    """`new_context`, closed after the `with` block (empty storage for each test that wants it)."""
    context = new_context(browser, base_url, **options)
    try:
        yield context
    finally:
        context.close()


def off_machine(base_url: str) -> re.Pattern[str]:
    """Every http(s) URL that is not on the served site (what `is_local` says is not local)."""
    origin = re.escape(f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}")
    return re.compile(rf"^(?!{origin}(?:[/?#]|$))https?://")


@dataclass
class PageWatch:
    """Everything that went wrong on one page.

    `script_errors`: console errors and uncaught exceptions; `request_errors`: requests that
    failed, got an HTTP status >= 400, or tried to leave the machine.
    """

    base_url: str
    script_errors: list[str] = field(default_factory=list)
    request_errors: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.script_errors + self.request_errors

    def attach(self, page: Page) -> PageWatch:
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        return self

    def clear(self) -> None:
        self.script_errors.clear()
        self.request_errors.clear()

    def report(self) -> str:
        return "\n".join(["problems on the page:", *(f"  - {p}" for p in self.problems)])

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        # Chromium probes /favicon.ico on its own; the page never asked for it.
        if urlsplit(source).path == "/favicon.ico":
            return
        self.script_errors.append(f"console error: {message.text} (at {source or '?'})")

    def _page_error(self, error: Exception) -> None:
        self.script_errors.append(f"uncaught exception: {error}")

    def _request(self, request: Request) -> None:
        if not is_local(request.url, self.base_url):
            self.request_errors.append(f"off-machine request ({request.resource_type}): {request.url}")

    def _request_failed(self, request: Request) -> None:
        if is_local(request.url, self.base_url):  # off-machine ones are reported by _request
            self.request_errors.append(f"request failed ({request.resource_type}): {request.url}: {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.request_errors.append(f"HTTP {response.status} ({response.request.resource_type}): {response.url}")


def watch(page: Page, base_url: str) -> PageWatch:
    return PageWatch(base_url).attach(page)


def open_page(context: BrowserContext, url: str, *, wait_until: WaitUntil = "load") -> tuple[Page, PageWatch]:
    """Open `url` in a new tab of `context`, watched from the first request; wait for `wait_until`."""
    page = context.new_page()
    page_watch = watch(page, url)
    page.goto(url, wait_until=wait_until)
    return page, page_watch
