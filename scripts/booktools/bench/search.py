"""What a search costs a reader on a built book, for two designs, measured in Chromium.

- `own`: the book's index (`blogbook.ext.instant_search`): meta + the query word's shard +
  the stemmer before the first result, then one fragment per shown result for its snippet;
- `sphinx`: Sphinx's `searchindex.js` behind the same box (searchtools.js, language_data.js and
  the whole index before the first result, snippets not counted: Sphinx fetches each result
  page for them).

Bytes are gzip sizes of what the browser requested (as a server would send them); keystroke
time is the engine's time for each prefix of a word as it is typed, once the files it needs are
in memory (the median and the worst over the words). Printed figures only: nothing here
asserts a time.

Usage: python -m booktools.bench.search _build/html [--words 도커,docker,...]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from booktools.local_site import CHROMIUM_ARGS, find_browser, serve

WORDS = ("도커", "쿠버네티스", "컨테이너", "이미지", "네트워크", "docker", "kubectl", "파드")
SHOWN = 8
SPHINX_PAGE = "_bench_sphinx_search.html"
SPHINX_HTML = """<!doctype html><html data-content_root="./"><head><meta charset="utf-8">
<script src="_static/documentation_options.js"></script>
<script>var SPHINX_HIGHLIGHT_ENABLED = false;</script>
<script src="_static/searchtools.js"></script>
<script src="_static/language_data.js"></script>
</head><body><div id="search-results"></div><script src="searchindex.js"></script></body></html>
"""


@dataclass(frozen=True)
class DesignCost:
    """One design's cost for one-word queries (medians over the words, and the worst)."""

    name: str
    bytes_first_result: int
    bytes_first_result_max: int
    bytes_with_snippets: int
    requests_first_result: int
    keystroke_ms_median: float
    keystroke_ms_max: float


@dataclass(frozen=True)
class SearchCost:
    """Both designs on one built book, and the size of each index on disk."""

    pages: int
    own: DesignCost
    sphinx: DesignCost
    own_index_files: int
    own_index_bytes: int
    sphinx_index_bytes: int


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def _local_path(html: Path, url: str, base: str) -> Path:
    return html / url.removeprefix(base).split("?")[0].split("#")[0]


class _Recorder:
    """Gzip bytes of every file requested since the last `take()`."""

    def __init__(self, html: Path, base: str) -> None:
        self.html, self.base = html, base
        self.urls: list[str] = []

    def on_request(self, request: Any) -> None:
        self.urls.append(request.url)

    def take(self) -> tuple[int, int]:
        files = [_local_path(self.html, u, self.base) for u in self.urls]
        self.urls = []
        present = [f for f in files if f.is_file()]
        return sum(_gzip_size(f) for f in present), len(present)


_OWN_FIRST = "(q) => BlogSearch.search(q).then((r) => r.pages.length)"
_OWN_SNIPPETS = (
    "(q) => BlogSearch.search(q).then((r) => Promise.all("
    f"r.pages.slice(0, {SHOWN}).map((p) => BlogSearch.snippet(p, r.marks)))).then((s) => s.length)"
)
_OWN_TYPE = """async (word) => {
  const times = [];
  for (let i = 1; i <= word.length; i++) {
    await BlogSearch.search(word.slice(0, i));           // loads what this prefix needs
    const t0 = performance.now();
    await BlogSearch.search(word.slice(0, i));
    times.push(performance.now() - t0);
  }
  return times;
}"""
_SPHINX_TYPE = """(word) => {
  const times = [];
  for (let i = 1; i <= word.length; i++) {
    const t0 = performance.now();
    const q = Search._parseQuery(word.slice(0, i));
    Search._performSearch(...q);
    times.push(performance.now() - t0);
  }
  return times;
}"""


def _own(browser: Any, base: str, html: Path, page_url: str, words: tuple[str, ...]) -> DesignCost:
    first, snippets, requests, keystrokes = [], [], [], []
    for word in words:
        context = browser.new_context()
        recorder = _Recorder(html, base)
        page = context.new_page()
        page.goto(base + page_url)
        page.wait_for_function("() => window.BlogSearch && BlogSearch.search")
        page.wait_for_timeout(200)
        recorder.urls = []
        context.on("request", recorder.on_request)
        page.evaluate(_OWN_FIRST, word)
        size, count = recorder.take()
        first.append(size)
        requests.append(count)
        page.evaluate(_OWN_SNIPPETS, word)
        snippets.append(size + recorder.take()[0])
        keystrokes += page.evaluate(_OWN_TYPE, word)
        context.close()
    return DesignCost(
        "own index, sharded",
        int(statistics.median(first)),
        max(first),
        int(statistics.median(snippets)),
        int(statistics.median(requests)),
        statistics.median(keystrokes),
        max(keystrokes),
    )


def _sphinx(browser: Any, base: str, html: Path, words: tuple[str, ...]) -> DesignCost:
    (html / SPHINX_PAGE).write_text(SPHINX_HTML, encoding="utf-8")
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + SPHINX_PAGE)
        page.wait_for_function('() => typeof Search !== "undefined" && Search._index')
        keystrokes = []
        for word in words:
            keystrokes += page.evaluate(_SPHINX_TYPE, word)
        context.close()
    finally:
        (html / SPHINX_PAGE).unlink()
    needed = [html / "searchindex.js", html / "_static" / "searchtools.js", html / "_static" / "language_data.js"]
    size = sum(_gzip_size(p) for p in needed)
    return DesignCost(
        "Sphinx searchindex.js", size, size, size, len(needed), statistics.median(keystrokes), max(keystrokes)
    )


def measure_search(html: Path, words: tuple[str, ...] = WORDS) -> SearchCost:
    """Both designs on the built book in `html` (needs the system Chromium)."""
    from playwright.sync_api import sync_playwright

    chromium = find_browser()
    if not chromium:
        raise RuntimeError("chromium not found; install Debian's chromium package")
    posts = sorted((html / "book" / "posts").glob("*.html"))
    page_url = posts[len(posts) // 2].relative_to(html).as_posix() if posts else "search.html"
    index = list((html / "_search").rglob("*.js"))
    with serve(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
        try:
            own = _own(browser, base, html, page_url, words)
            sphinx = _sphinx(browser, base, html, words)
        finally:
            browser.close()
    return SearchCost(
        pages=len(posts),
        own=own,
        sphinx=sphinx,
        own_index_files=len(index),
        own_index_bytes=sum(p.stat().st_size for p in index),
        sphinx_index_bytes=(html / "searchindex.js").stat().st_size,
    )


def lines(cost: SearchCost) -> list[str]:
    """The report's search section."""
    out = [
        f"search, one-word queries ({cost.pages} posts; median over words, gzip)",
        "  design                      before 1st result (max)   + snippets   requests   keystroke ms median/max",
    ]
    for d in (cost.own, cost.sphinx):
        out.append(
            f"  {d.name:<26}  {d.bytes_first_result / 1024:8.1f} KB ({d.bytes_first_result_max / 1024:6.1f})"
            f"   {d.bytes_with_snippets / 1024:8.1f} KB   {d.requests_first_result:5d}"
            f"      {d.keystroke_ms_median:6.2f} / {d.keystroke_ms_max:6.2f}"
        )
    out.append(
        f"  on disk: own index {cost.own_index_bytes / 1e6:.1f} MB in {cost.own_index_files} files, "
        f"searchindex.js {cost.sphinx_index_bytes / 1e6:.1f} MB"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="built HTML folder")
    parser.add_argument("--words", default=",".join(WORDS), help="comma-separated one-word queries")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    cost = measure_search(args.html, tuple(w for w in args.words.split(",") if w))
    print("\n".join(lines(cost)))
    print(f"  (measured in {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
