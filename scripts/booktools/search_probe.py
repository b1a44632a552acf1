"""Ask a built book's real search engine, query by query.

Why: unit tests prove the stemmer and the BM25 math; this shows what a reader actually gets.
The probe serves the HTML directory on 127.0.0.1, opens the search page in headless Debian
Chromium and asks the engine the search box uses (``BlogSearch.search`` in
``instant-search.js``, fetching the index shards as a reader's browser does), then prints the
ranked pages.

Usage::

    .venv/bin/python scripts/search_probe.py _build/html tests/data/search_queries.yml

The YAML file is a list of items::

    - {query: 도커를, expect: docker-image-layers, kind: particle}
    - {query: 차트 쿠버네티스, expect: [helm-chart-memo]}
    - {query: 갈매기초고쪽지, expect: null}     # nothing may be found

``expect`` names pages by their last path part (``book/posts/helm-chart-memo``
matches ``helm-chart-memo``) or by full path; each must rank within ``--top``
(default 3).  ``null`` means the search must find nothing.  ``kind`` is only
echoed.  Exit status is 1 if any expectation fails.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from booktools.local_site import CHROMIUM_ARGS, find_browser, serve


@dataclass(frozen=True)
class Probe:
    """One query and the pages it should find (None: must find nothing)."""

    query: str
    expect: tuple[str, ...] | None
    kind: str = ""
    mark: str = ""
    """A word the first result's snippet must show marked (`<mark>`), if given."""


@dataclass(frozen=True)
class Hit:
    """One result as the engine ranks it, with the first result's snippet marks."""

    page: str
    anchor: str
    title: str


def load_probes(path: Path) -> list[Probe]:
    """Read the YAML list of ``{query, expect, kind, mark}`` items."""
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    probes: list[Probe] = []
    for item in items:
        raw = item.get("expect")
        expect: tuple[str, ...] | None
        if raw is None:
            expect = None
        elif isinstance(raw, str):
            expect = (raw,)
        else:
            expect = tuple(str(e) for e in raw)
        probes.append(Probe(str(item["query"]), expect, str(item.get("kind", "")), str(item.get("mark", ""))))
    return probes


def _to_hit(url: str, title: str) -> Hit:
    """A result's URL (relative to the site root) as a page path."""
    target, _, anchor = url.partition("#")
    page = target[: -len(".html")] if target.endswith(".html") else target
    return Hit(page.rstrip("/"), anchor, " ".join(title.split()))


# The engine itself (`instant-search.js`), as the search box and the search page call it, and the
# words marked in the first result's snippet.
_SEARCH_JS = """(q) => BlogSearch.search(q).then((r) => {
  const rows = r.pages.map((p) => [p[0], p[1]]);
  if (!r.pages.length) return [rows, []];
  return BlogSearch.snippet(r.pages[0], r.marks).then(
    (el) => [rows, Array.from(el.querySelectorAll("mark"), (m) => m.textContent)]);
})"""


def run_query(browser: Any, base_url: str, query: str) -> list[Hit]:
    """Open the search page for `query`, as a link to it would; return the results it shows."""
    page = browser.new_page()
    try:
        page.goto(f"{base_url}search.html?q={urllib.parse.quote(query)}")
        page.wait_for_selector("#search-results .bs-status:not(:empty)", timeout=30000)
        rows = page.eval_on_selector_all(
            "#search-results a[role=option]",
            "(as) => as.map((a) => [a.getAttribute('href'), a.querySelector('.bs-title').textContent])",
        )
        root = base_url.rstrip("/") + "/"
        return [_to_hit(urllib.parse.urljoin(root, href).removeprefix(root).split("?")[0], t) for href, t in rows]
    finally:
        page.close()


class SearchPage:
    """One open page asked query after query through the engine (the index loads once)."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.page = browser.new_page()
        self.page.goto(f"{base_url}search.html")
        self.page.wait_for_function("() => window.BlogSearch && window.BlogSearch.search")

    def query(self, query: str) -> list[Hit]:
        return self.ask(query)[0]

    def ask(self, query: str) -> tuple[list[Hit], list[str]]:
        """The ranked results and the words marked in the first one's snippet."""
        rows, marks = self.page.evaluate(_SEARCH_JS, query)
        return [_to_hit(url, title) for url, title in rows], list(marks)

    def close(self) -> None:
        self.page.close()


def _matches(page: str, name: str) -> bool:
    """A page matches an expected name by full path or by last path part."""
    return page == name or page.rsplit("/", 1)[-1] == name


def _rank_of(hits: list[Hit], name: str) -> int | None:
    """1-based rank of the first hit for ``name`` (same page may repeat)."""
    for rank, hit in enumerate(hits, 1):
        if _matches(hit.page, name):
            return rank
    return None


def first_place(probe: Probe, hits: list[Hit]) -> bool:
    """The (first) expected page is the first result, or nothing was expected and nothing found."""
    if probe.expect is None:
        return not hits
    return _rank_of(hits, probe.expect[0]) == 1


def mark_problems(probe: Probe, marks: list[str]) -> list[str]:
    """The snippet of the first result must mark the probe's `mark` word (with any particle)."""
    if probe.mark and not any(m.lower().startswith(probe.mark.lower()) for m in marks):
        return [f"first snippet marks {marks}, not {probe.mark!r}"]
    return []


def judge(probe: Probe, hits: list[Hit], top: int) -> list[str]:
    """Return the problems with this result list (empty when it is fine)."""
    if probe.expect is None:
        return [f"expected nothing, got {len(hits)} result(s)"] if hits else []
    problems: list[str] = []
    for name in probe.expect:
        rank = _rank_of(hits, name)
        if rank is None:
            problems.append(f"{name} not found")
        elif rank > top:
            problems.append(f"{name} at rank {rank}, not in top {top}")
    return problems


def report(probe: Probe, hits: list[Hit], top: int, shown: int) -> bool:
    """Print one query's ranking; return True if its expectation holds."""
    problems = judge(probe, hits, top)
    verdict = "MISS" if problems else "OK  "
    kind = f" [{probe.kind}]" if probe.kind else ""
    print(f"{verdict} {probe.query!r}{kind}: {len(hits)} result(s)")
    for rank, hit in enumerate(hits[:shown], 1):
        wanted = probe.expect is not None and any(_matches(hit.page, e) for e in probe.expect)
        anchor = f"#{hit.anchor}" if hit.anchor else ""
        mark = "*" if wanted else " "
        print(f"   {mark}{rank:2d}. {hit.page}{anchor}  {hit.title}")
    if len(hits) > shown:
        print(f"     ... {len(hits) - shown} more")
    for problem in problems:
        print(f"     -> {problem}")
    return not problems


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run every probe, print rankings and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, help="built HTML directory")
    parser.add_argument("queries", type=Path, help="YAML list of {query, expect}")
    parser.add_argument("--top", type=int, default=3, help="expected pages must rank within this many (default 3)")
    parser.add_argument("--show", type=int, default=5, help="result rows printed per query (default 5)")
    parser.add_argument("--chromium", default=find_browser(), help="Chromium binary (default: chromium on PATH)")
    args = parser.parse_args(argv)
    if not args.chromium:
        parser.error("chromium not found; install Debian's chromium package")
    if not (args.html_dir / "search.html").is_file():
        parser.error(f"{args.html_dir}/search.html not found; build the site first")

    from playwright.sync_api import sync_playwright

    probes = load_probes(args.queries)
    tally: Counter[str] = Counter()
    with serve(args.html_dir) as base_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=list(CHROMIUM_ARGS))
        try:
            search = SearchPage(browser, base_url)
            for probe in probes:
                hits, marks = search.ask(probe.query)
                ok = report(probe, hits, args.top, args.show)
                for problem in mark_problems(probe, marks):
                    print(f"     -> {problem}")
                    ok = False
                tally["ok" if ok else "miss"] += 1
                tally["first"] += first_place(probe, hits)
        finally:
            browser.close()
    summary = f"{tally['ok']} ok, {tally['miss']} miss, of {len(probes)} queries"
    print(f"\n{summary}; expected page first in {tally['first']}")
    return 0 if tally["miss"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
