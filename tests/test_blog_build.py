"""The blog inside the built book: tag, series, category and archive pages, the series box,
related posts, topic feeds and the tag filter, read back from the real build (and in Chromium)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup

from blogbook.schema import file_slug, name_key

from browser import DESKTOP, chromium, new_context, open_page, serve
from conftest import ROOT, BuiltBook

pytestmark = pytest.mark.build

ATOM = "{http://www.w3.org/2005/Atom}"
SOURCES = {p.stem: frontmatter.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "posts").glob("*.md"))}
PUBLISHED = {stem: post for stem, post in SOURCES.items() if not post.get("draft")}
BASE_URL = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]


def soup_of(book: BuiltBook, path: str) -> BeautifulSoup:
    return BeautifulSoup((book.html / path).read_text(encoding="utf-8"), "html.parser")


def target(page: Path, href: str) -> Path:
    return (page.parent / unquote(urlsplit(href).path)).resolve()


def all_tags() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for stem, post in PUBLISHED.items():
        for tag in post.get("tags") or []:
            found.setdefault(name_key(str(tag)), []).append(stem)
    return found


def test_the_sample_posts_have_a_series_and_shared_tags() -> None:
    assert sum(1 for post in PUBLISHED.values() if post.get("series")) >= 2
    assert any(len(stems) >= 2 for stems in all_tags().values())


def test_each_tag_has_a_page_listing_its_posts_newest_first(built_book: BuiltBook) -> None:
    for key, stems in all_tags().items():
        page = built_book.html / "book" / "tags" / f"{file_slug(key)}.html"
        soup = soup_of(built_book, page.relative_to(built_book.html).as_posix())
        cards = soup.select(".post-card a.sd-stretched-link")
        linked = [target(page, a["href"]).stem for a in cards]
        newest_first = sorted(stems, key=lambda s: (str(PUBLISHED[s]["date"]), s), reverse=True)
        assert sorted(linked) == sorted(stems) and len(linked) == len(newest_first)
        dates = [p.get_text(" ", strip=True) for p in soup.select(".post-card .sd-card-footer")]
        assert all(re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일", d) for d in dates)


def test_a_posts_tags_and_category_link_to_their_pages(built_book: BuiltBook) -> None:
    for stem, post in PUBLISHED.items():
        page = built_book.html / "book" / "posts" / f"{stem}.html"
        info = soup_of(built_book, f"book/posts/{stem}.html").select_one(".post-info")
        links = {a.get_text(strip=True): target(page, a["href"]) for a in info.select("a")}
        for tag in post.get("tags") or []:
            assert links[f"#{tag}"] == built_book.html / "book" / "tags" / f"{file_slug(str(tag))}.html"
            assert links[f"#{tag}"].exists()
        assert any(p.parent.name == "categories" and p.exists() for p in links.values())


def test_tag_index_counts_every_tag_and_has_a_labelled_filter(built_book: BuiltBook) -> None:
    soup = soup_of(built_book, "book/tags/index.html")
    cloud = {
        li.a.get_text(strip=True): int(li.select_one(".tag-count").get_text()) for li in soup.select(".tag-cloud li")
    }
    assert {name_key(name.lstrip("#")): count for name, count in cloud.items()} == {
        key: len(stems) for key, stems in all_tags().items()
    }
    filter_ = soup.select_one(".tag-filter")
    assert filter_ is not None and filter_.select_one("legend").get_text().startswith("태그로 글 고르기")
    assert len(filter_.select("input[type=checkbox]")) == len(cloud)
    assert soup.select_one('[role="status"]') is not None
    assert any("post-listings.js" in s["src"] for s in soup.select("script[src]"))
    assert not any(
        "post-listings.js" in s["src"] for s in soup_of(built_book, "book/archive.html").select("script[src]")
    )


def test_series_box_on_each_post_of_the_series(built_book: BuiltBook) -> None:
    series: dict[str, list[str]] = {}
    for stem, post in PUBLISHED.items():
        if post.get("series"):
            series.setdefault(str(post["series"]), []).append(stem)
    for name, stems in series.items():
        ordered = sorted(stems, key=lambda s: (PUBLISHED[s].get("series_order", 10**9), str(PUBLISHED[s]["date"])))
        for position, stem in enumerate(ordered, 1):
            page = built_book.html / "book" / "posts" / f"{stem}.html"
            box = soup_of(built_book, f"book/posts/{stem}.html").select_one("aside.post-series")
            assert box is not None
            title = " ".join(box.select_one(".post-series-title").get_text().split())
            assert title == f"시리즈: {name} ({position}/{len(ordered)})"
            assert target(page, box.select_one(".post-series-title a")["href"]).exists()
            items = box.select("ol li")
            assert [li.get("aria-current") for li in items].count("page") == 1
            linked = [target(page, a["href"]).stem for a in box.select("ol li a")]
            assert linked == [s for s in ordered if s != stem]


def test_related_posts_are_other_published_posts(built_book: BuiltBook) -> None:
    seen_some = False
    for stem in PUBLISHED:
        page = built_book.html / "book" / "posts" / f"{stem}.html"
        related = soup_of(built_book, f"book/posts/{stem}.html").select_one("aside.post-related")
        if related is None:
            continue
        seen_some = True
        assert related.h2.get_text() == "함께 읽을 글"
        linked = [target(page, a["href"]) for a in related.select("li a")]
        assert 1 <= len(linked) <= 3
        assert all(p.exists() and p.stem in PUBLISHED and p.stem != stem for p in linked)
    assert seen_some


def test_archive_by_year_and_month_with_korean_dates(built_book: BuiltBook) -> None:
    soup = soup_of(built_book, "book/archive.html")
    article = soup.select_one("article")
    months = [" ".join(h.get_text().split()).rstrip("#").strip() for h in article.select("h3")]
    assert months and all(re.fullmatch(r"\d{4}년 \d{1,2}월", m) for m in months)
    times = [t["datetime"] for t in article.select(".post-list time")]
    assert times == sorted(times, reverse=True) and len(times) == len(PUBLISHED)
    first = article.select_one(".post-list time")
    y, m, d = (int(x) for x in first["datetime"].split("-"))
    assert first.get_text() == f"{y}년 {m}월 {d}일"


def test_every_feed_is_valid_atom_with_absolute_links(built_book: BuiltBook) -> None:
    feeds = [built_book.html / "feed.xml", *sorted((built_book.html / "feeds").rglob("*.xml"))]
    assert len(feeds) >= 1 + len(all_tags()) + 2
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        assert root.findtext(f"{ATOM}id", "").startswith(BASE_URL)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+09:00", root.findtext(f"{ATOM}updated", ""))
        self_link = root.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href", "").startswith(BASE_URL)
        entries = root.findall(f"{ATOM}entry")
        assert entries
        for entry in entries:
            assert entry.findtext(f"{ATOM}id", "").startswith(BASE_URL)
            assert entry.find(f"{ATOM}link").get("href", "").startswith(BASE_URL)
            assert entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}title")


@pytest.mark.parametrize("kind", ["tags", "categories"])
def test_each_topic_page_links_its_feed_from_its_head(built_book: BuiltBook, kind: str) -> None:
    for page in sorted((built_book.html / "book" / kind).glob("*.html")):
        if page.stem == "index":
            continue
        links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
            'head link[rel="alternate"][type="application/atom+xml"]'
        )
        feeds = [target(page, link["href"]) for link in links]
        assert built_book.html / "feeds" / kind / f"{page.stem}.xml" in feeds
        assert all(f.exists() for f in feeds)


def test_the_sidebar_shows_only_the_listing_indexes(built_book: BuiltBook) -> None:
    nav = (built_book.html / "_static" / "book-nav.html").read_text(encoding="utf-8")
    assert "book/tags/index.html" in nav and "book/archive.html" in nav and "book/series/index.html" in nav
    for kind in ("tags", "series", "categories"):
        pages = [p for p in (built_book.html / "book" / kind).glob("*.html") if p.stem != "index"]
        assert pages
        for page in pages:
            assert f"book/{kind}/{page.name}" not in unquote(nav)
            index = built_book.html / "book" / kind / "index.html"
            linked = {
                target(index, a["href"]) for a in soup_of(built_book, f"book/{kind}/index.html").select("article a")
            }
            assert page in linked, f"{page} is not reachable from its index"


# --- in the browser --------------------------------------------------------------------------------


def test_tag_filter_and_series_box_in_chromium(built_book: BuiltBook) -> None:
    tags = all_tags()
    pair = next((a, b) for a in tags for b in tags if a < b and set(tags[a]) & set(tags[b]))
    both = set(tags[pair[0]]) & set(tags[pair[1]])
    with serve(built_book.html) as base, chromium() as browser:
        context = new_context(browser, base, **DESKTOP)
        page, watch = open_page(context, base + "book/tags/index.html")
        status = page.locator(".tag-filter-status")
        assert page.locator(".tag-filter").is_visible()
        assert not page.locator("[data-tag-filter-list]").is_visible()
        for key in pair:  # by keyboard: focus the checkbox, press space
            box = page.locator(f'.tag-filter input[value="{file_slug(key)}"]')
            box.focus()
            page.keyboard.press("Space")
            assert box.is_checked()
        shown = page.locator("[data-tag-filter-list] li:visible a")
        hrefs = {Path(unquote(urlsplit(h).path)).stem for h in shown.evaluate_all("els => els.map(e => e.href)")}
        assert hrefs == both
        assert f"{len(both)}편" in status.inner_text()
        page.locator(".tag-filter-clear").click()
        assert not page.locator("[data-tag-filter-list]").is_visible()
        assert not watch.problems, watch.report()
        stem = next(s for s, p in PUBLISHED.items() if p.get("series"))
        post, watch = open_page(context, base + f"book/posts/{stem}.html")
        box = post.locator("aside.post-series")
        assert box.is_visible() and box.inner_text().startswith("시리즈: ")
        assert not watch.problems, watch.report()
        context.close()
