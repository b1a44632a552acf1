"""What a page costs a first-time reader: requests and bytes, raw and gzip, in real Chromium.

Each page is opened in a fresh browser context (empty cache), served from a built site on
127.0.0.1, and every response it loads until the `load` event is counted: its body as served
and as gzip would send it (GitHub Pages compresses text), and by kind (script, style, font,
image, document, other). A request answered with a status of 400 or more is a broken page:
it is listed and the run exits with status 1. Usage:

    python -m booktools.page_weight _build/html [book/index.html book/posts/x.html ...]
    python -m booktools.page_weight _build/html --stock     # and the stock theme's figures

Without pages it measures the landing page, the first post page and the search page.
`--prefix /container-notes/` serves the site below the path of `html.baseurl`, as GitHub Pages
does (the 404 page links its files there).

`--stock` builds a scratch copy of the project (the folder holding `_build/`, or `--project`)
with the book's weight-trimming extension (`blogbook.ext.page_assets`) left out of `_config.yml`,
so the theme and its extensions load their files as they ship them, and prints that site's
figures for the same pages next to the book's.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from booktools.local_site import CHROMIUM_ARGS, find_browser, serve
from booktools.scratch_copy import COPY_IGNORE

KINDS = {"script": "script", "stylesheet": "style", "font": "font", "image": "image", "document": "document"}
TRIMMING_EXTENSIONS = ("blogbook.ext.page_assets",)
"""What `--stock` leaves out: the extensions that exist only to make pages lighter."""


@dataclass
class Weight:
    """One page's cost: request count and bytes by kind, and the requests that failed."""

    page: str
    requests: int = 0
    raw: Counter[str] = field(default_factory=Counter)
    gzipped: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)

    def add(self, kind: str, body: bytes) -> None:
        self.requests += 1
        self.raw[kind] += len(body)
        self.gzipped[kind] += len(gzip.compress(body, compresslevel=6))

    @property
    def total_raw(self) -> int:
        return sum(self.raw.values())

    @property
    def total_gzip(self) -> int:
        return sum(self.gzipped.values())


def measure(browser: Any, base: str, page_path: str) -> Weight:
    """Open `page_path` in a fresh context and count everything it loads."""
    weight = Weight(page_path)
    context = browser.new_context()
    responses: list[Any] = []
    try:
        tab = context.new_page()
        tab.on("response", lambda response: responses.append(response))  # noqa: PLW0108 - Playwright tags its handler
        tab.on("requestfailed", lambda req: weight.failed.append(f"{req.failure} {req.url.removeprefix(base)}"))
        tab.goto(base + page_path, wait_until="load")
        tab.wait_for_timeout(300)  # the sidebar file and lazy images that follow `load`
        for response in responses:
            if response.status >= 400:
                weight.failed.append(f"{response.status} {response.url.removeprefix(base)}")
                continue
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


def measure_site(html: Path, pages: list[str], prefix: str = "/") -> list[Weight]:
    """Every page of `pages` in `html` served below `prefix`, each cold, in one Chromium."""
    executable = find_browser()
    if executable is None:
        raise SystemExit("no Chromium found; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with serve(html, prefix=prefix) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            return [measure(browser, base, page) for page in pages]
        finally:
            browser.close()


def _kb(value: int) -> str:
    return f"{value / 1024:.0f} KB"


def report(weights: list[Weight], stock: list[Weight] | None = None) -> str:
    """A table: one row per page (and, with `stock`, the stock theme's row under it)."""
    kinds = ["document", "script", "style", "font", "image", "other"]
    lines = [f"{'page':45s} {'requests':>8s} {'raw':>9s} {'gzip':>9s}   gzip by kind"]

    def row(label: str, w: Weight) -> str:
        by_kind = ", ".join(f"{kind} {_kb(w.gzipped[kind])}" for kind in kinds if w.gzipped[kind])
        return f"{label:45s} {w.requests:8d} {_kb(w.total_raw):>9s} {_kb(w.total_gzip):>9s}   {by_kind}"

    for index, w in enumerate(weights):
        lines.append(row(w.page, w))
        if stock is not None:
            lines.append(row("  (stock theme)", stock[index]))
    return "\n".join(lines)


def default_pages(html: Path) -> list[str]:
    posts = sorted((html / "book" / "posts").glob("*.html"))
    return ["book/index.html", *(["book/posts/" + posts[0].name] if posts else []), "search.html"]


def without_trimming(config: str) -> str:
    """`_config.yml`'s text with the weight-trimming extensions taken out of `extra_extensions`."""
    data = yaml.safe_load(config)
    extensions = data.get("sphinx", {}).get("extra_extensions", [])
    data["sphinx"]["extra_extensions"] = [name for name in extensions if name not in TRIMMING_EXTENSIONS]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@contextmanager
def stock_build(project: Path) -> Iterator[Path]:
    """A scratch copy of `project` built without the trimming extensions; yields its `_build/html`."""
    with tempfile.TemporaryDirectory(prefix="page-weight-stock-") as scratch:
        root = Path(scratch) / "book"
        shutil.copytree(project, root, ignore=COPY_IGNORE)
        config = root / "_config.yml"
        config.write_text(without_trimming(config.read_text(encoding="utf-8")), encoding="utf-8")
        jupyter_book = Path(sys.executable).parent / "jupyter-book"
        result = subprocess.run(
            [str(jupyter_book), "build", "."], cwd=root, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"the stock build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        yield root / "_build" / "html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="a built site (_build/html)")
    parser.add_argument("pages", nargs="*", help="pages to measure, relative to the site")
    parser.add_argument("--stock", action="store_true", help="also measure the same pages with the stock theme")
    parser.add_argument("--prefix", default="/", help="serve the site below this path, as html.baseurl has it")
    parser.add_argument("--project", type=Path, help="the project built for --stock (default: two folders above html)")
    args = parser.parse_args(argv)
    if find_browser() is None:
        parser.error("no Chromium found; install Debian's chromium package")
    pages = args.pages or default_pages(args.html)
    weights = measure_site(args.html, pages, args.prefix)
    stock = None
    if args.stock:
        with stock_build(args.project or args.html.resolve().parent.parent) as stock_html:
            stock = measure_site(stock_html, pages, args.prefix)
    print(report(weights, stock))
    broken = [f"{w.page}: {failure}" for w in weights for failure in w.failed]
    for line in broken:
        print(f"broken request: {line}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
