"""The book's search engine, in headless Chromium, on a set of queries a Korean reader types.

Each query names the post that must rank in the top 3 (or `null`: nothing may be found, for a
word that only a draft contains), and at least 90 % must put it first; some name a word the
first result's snippet must mark. The scores are printed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from booktools.search_probe import Probe, SearchPage, first_place, judge, load_probes, mark_problems, run_query

from browser import chromium, serve
from conftest import ROOT, BuiltBook

pytestmark = [pytest.mark.browser, pytest.mark.build]

QUERIES = load_probes(ROOT / "tests" / "data" / "search_queries.yml")
TOP = 3


def test_query_set_covers_what_readers_type() -> None:
    kinds = Counter(probe.kind for probe in QUERIES)
    assert len(QUERIES) >= 100
    kinds_wanted = ("particle", "two-syllable", "english", "mixed", "multi-word", "draft", "pair", "prefix")
    for kind in (*kinds_wanted, "choseong", "typo", "ranking"):
        assert kinds[kind] >= 1, kind
    assert all(probe.expect is None for probe in QUERIES if probe.kind == "draft")


@pytest.fixture(scope="module")
def search_page(built_book: BuiltBook) -> Iterator[tuple[str, Any]]:
    with serve(built_book.html) as base, chromium() as browser:
        yield base, browser


def test_every_query_finds_its_page(search_page: tuple[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    base, browser = search_page
    search = SearchPage(browser, base)
    misses: list[str] = []
    first = 0
    for probe in QUERIES:
        hits, marks = search.ask(probe.query)
        problems = judge(probe, hits, TOP) + mark_problems(probe, marks)
        first += first_place(probe, hits)
        if problems:
            misses.append(f"{probe.query!r} [{probe.kind}]: {'; '.join(problems)}")
    found = len(QUERIES) - len(misses)
    n = len(QUERIES)
    with capsys.disabled():
        print(
            f"\nsearch score: {found}/{n} = {100 * found / n:.1f}% (expected page in top {TOP}), "
            f"first {first}/{n} = {100 * first / n:.1f}%"
        )
    assert not misses, "\n".join(misses)
    assert first >= 0.9 * n, f"expected page first in only {first} of {n} queries"


def test_a_miss_is_reported(search_page: tuple[str, Any]) -> None:
    """The judge itself can fail: a word no page has, expected on a real page, is a miss.
    (Through a fresh page load, as a link to `search.html?q=` gives it.)"""
    base, browser = search_page
    probe = Probe("존재하지않는낱말", ("container-vs-vm",))
    assert judge(probe, run_query(browser, base, probe.query), TOP) == ["container-vs-vm not found"]
