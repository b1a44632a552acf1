"""What a page costs a first-time reader: requests and bytes, raw and gzip, in real Chromium.

Each page is opened in a fresh browser context (empty cache), served from a built site on
127.0.0.1, and every response it loads until the `load` event is counted: its body as served
and as gzip would send it (GitHub Pages compresses text), and by kind (script, style, font,
image, document, other). Usage:

    python -m booktools.page_weight _build/html [book/index.html book/posts/x.html ...]

Without pages it measures the landing page, the first post page and the search page.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booktools.local_site import CHROMIUM_ARGS, find_browser, serve

KINDS = {"script": "script", "stylesheet": "style", "font": "font", "image": "image", "document": "document"}


@dataclass
class Weight:
    """One page's cost: request count and bytes by kind."""

    page: str
    requests: int = 0
    raw: Counter[str] = field(default_factory=Counter)
    gzipped: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, body: bytes) -> None:
        self.requests += 1
        self.raw[kind] += len(body)
        self.gzipped[kind] += len(gzip.compress(body, compresslevel=6))


def measure(browser: Any, base: str, page_path: str) -> Weight:
    """Open `page_path` in a fresh context and count everything it loads."""
    weight = Weight(page_path)
    context = browser.new_context()
    responses: list[Any] = []
    try:
        tab = context.new_page()
        tab.on("response", lambda response: responses.append(response))  # noqa: PLW0108 - Playwright tags its handler
        tab.goto(base + page_path, wait_until="load")
        tab.wait_for_timeout(300)  # the sidebar file and lazy images that follow `load`
        for response in responses:
            if response.status >= 300:
                continue
            try:
                body = response.body()
            except Exception:
                continue
            weight.add(KINDS.get(response.request.resource_type, "other"), body)
    finally:
        context.close()
    return weight


def _kb(value: int) -> str:
    return f"{value / 1024:.0f} KB"


def report(weights: list[Weight]) -> str:
    kinds = ["document", "script", "style", "font", "image", "other"]
    lines = [f"{'page':45s} {'requests':>8s} {'raw':>9s} {'gzip':>9s}   gzip by kind"]
    for w in weights:
        by_kind = ", ".join(f"{kind} {_kb(w.gzipped[kind])}" for kind in kinds if w.gzipped[kind])
        raw, gzipped = _kb(sum(w.raw.values())), _kb(sum(w.gzipped.values()))
        lines.append(f"{w.page:45s} {w.requests:8d} {raw:>9s} {gzipped:>9s}   {by_kind}")
    return "\n".join(lines)


def default_pages(html: Path) -> list[str]:
    posts = sorted((html / "book" / "posts").glob("*.html"))
    return ["book/index.html", *(["book/posts/" + posts[0].name] if posts else []), "search.html"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="a built site (_build/html)")
    parser.add_argument("pages", nargs="*", help="pages to measure, relative to the site")
    args = parser.parse_args(argv)
    executable = find_browser()
    if executable is None:
        parser.error("no Chromium found; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with serve(args.html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            weights = [measure(browser, base, page) for page in args.pages or default_pages(args.html)]
        finally:
            browser.close()
    print(report(weights))
    return 0


if __name__ == "__main__":
    sys.exit(main())
