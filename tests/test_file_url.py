"""The built book opened straight from disk (`file://.../_build/html/index.html`), as the README says.

A page opened from disk may not fetch another file (Chromium refuses it: CORS, no origin), so a
sidebar that only fetched its shared navigation file showed nothing but the home link there. Here
real headless Chromium opens the landing page, a post, a page in a nested part and the search page
from disk, and checks each shows every part and every page of `_toc.yml` in its sidebar, the page
being read marked, and nothing on the page failing. The same checks run over http, where the
sidebar is still fetched (fresh, `no-cache`) rather than loaded as a script. Last, a page an
incremental build did not rewrite, read again after the sidebar gained a post, shows that post
both ways: no stale copy of the sidebar survives in the browser.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from myst_parser.config.main import read_topmatter
from playwright.sync_api import Browser, ConsoleMessage, Page, Request

from blogbook.ext.shared_nav import nav_script  # the build's own encoder, not a copy of it

from browser import DESKTOP, chromium, new_context, serve
from conftest import BuiltBook

pytestmark = [pytest.mark.browser, pytest.mark.build]

#: Schemes a page may load from without touching anything but the disk or itself.
OFFLINE_SCHEMES = ("file", "data", "blob", "about")


def docname(entry: str) -> str:
    return re.sub(r"\.(md|ipynb)$", "", entry)


@dataclass(frozen=True)
class Toc:
    """What the sidebar must show, read from the built copy's `_toc.yml` (not from the nav file)."""

    root: str
    captions: list[str]
    pages: list[str]  # every page but the root, in reading order
    parents: dict[str, str]  # a section's page -> the page it sits under


def hides_children(source: Path) -> bool:
    """A listing index (tags, series) lists its pages itself, not in the sidebar (`nav_hide_children`)."""
    if not source.is_file():
        return False
    meta = read_topmatter(source.read_text(encoding="utf-8")) or {}
    return bool(meta.get("nav_hide_children"))


def read_toc(root: Path) -> Toc:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages: list[str] = []
    parents: dict[str, str] = {}

    def walk(entries: list[dict], parent: str | None) -> None:
        for entry in entries:
            doc = docname(entry["file"])
            pages.append(doc)
            if parent:
                parents[doc] = parent
            if not hides_children(root / f"{entry['file']}.md"):
                walk(entry.get("sections", []), doc)

    for part in toc.get("parts", []):
        walk(part.get("chapters", []), None)
    walk(toc.get("chapters", []), None)
    captions = [part["caption"] for part in toc.get("parts", []) if part.get("caption")]
    return Toc(docname(toc["root"]), captions, pages, parents)


@dataclass
class Problems:
    """Console errors, uncaught exceptions, failed requests and requests that left the disk.

    `browser.PageWatch` counts every file:// request as off the served site, so this is its
    counterpart for a book read from disk (and, for the http runs, from the local server).
    """

    origin: str
    found: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> Problems:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.found.append(f"uncaught exception: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("response", lambda r: r.status >= 400 and self.found.append(f"HTTP {r.status}: {r.url}"))
        return self

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and urlsplit(message.location.get("url", "")).path != "/favicon.ico":
            self.found.append(f"console error: {message.text} (at {message.location.get('url', '?')})")

    def _request_failed(self, request: Request) -> None:
        # Cancelled because the tab moved on to the next page (a favicon still loading, say); a file
        # that is not there fails as net::ERR_FILE_NOT_FOUND, a blocked one as ERR_BLOCKED_BY_CLIENT.
        if request.failure != "net::ERR_ABORTED":
            self.found.append(f"request failed: {request.url}: {request.failure}")

    def _request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in OFFLINE_SCHEMES or f"{parts.scheme}://{parts.netloc}" == self.origin:
            return
        self.found.append(f"request off the book ({request.resource_type}): {request.url}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:  # skips (or fails with CI=true) before the book is built
        yield launched


@pytest.fixture(scope="module", params=["file", "http"])
def site(request: pytest.FixtureRequest, built_book: BuiltBook) -> Iterator[str]:
    """The book's root URL: the folder on disk, or the same folder served on 127.0.0.1."""
    if request.param == "file":
        yield built_book.html.resolve().as_uri() + "/"
        return
    with serve(built_book.html) as base:
        yield base


@pytest.fixture(scope="module")
def toc(built_book: BuiltBook) -> Toc:
    return read_toc(built_book.root)


def open_and_wait(browser: Browser, url: str) -> tuple[Page, Problems]:
    """Open `url` in a fresh tab and wait until the sidebar says it is filled (or failed)."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    context = new_context(browser, url, **DESKTOP)  # every http(s) request off this origin is aborted
    page = context.new_page()
    problems = Problems(origin).attach(page)
    page.goto(url, wait_until="load")
    page.wait_for_selector("#book-nav[data-loaded]", state="attached")
    return page, problems


def sidebar(page: Page) -> dict[str, object]:
    """What the reader's sidebar holds, hrefs made absolute by the browser."""
    return page.eval_on_selector(
        "#book-nav",
        """holder => ({
            loaded: holder.dataset.loaded,
            captions: [...holder.querySelectorAll("p.caption")].map(p => p.textContent.trim()),
            home: holder.querySelector(".bd-sidenav__home-link a").href,
            homeCurrent: holder.querySelector(".bd-sidenav__home-link li").classList.contains("current"),
            links: [...holder.querySelectorAll("ul.bd-sidenav:not(.bd-sidenav__home-link) a")].map(a => a.href),
            texts: [...holder.querySelectorAll("ul.bd-sidenav:not(.bd-sidenav__home-link) a")]
                .map(a => a.textContent.trim()),
            current: [...holder.querySelectorAll("a.current")].map(a => a.href),
            currentItems: [...holder.querySelectorAll("ul.bd-sidenav:not(.bd-sidenav__home-link) li.current > a")].map(a => a.href),
            open: [...holder.querySelectorAll("details[open]")]
                .map(d => d.parentElement.querySelector(":scope > a").href),
        })""",
    )


def check_sidebar(page: Page, site: str, toc: Toc, current: str | None) -> None:
    """Every part and page of the book, each link to its page, and only `current` marked."""
    shown = sidebar(page)
    assert shown["loaded"] == "yes", "the sidebar's entries never arrived"
    assert shown["captions"] == toc.captions
    assert shown["links"] == [f"{site}{doc}.html" for doc in toc.pages]
    assert all(shown["texts"]), "every entry has a title"
    assert str(shown["home"]).split("#")[0] == f"{site}{toc.root}.html"  # the root page links itself as "#"
    if current is None or current == toc.root:
        assert shown["current"] == [] and shown["currentItems"] == []
        assert shown["homeCurrent"] == (current == toc.root)
        return
    url = f"{site}{current}.html"
    assert shown["current"] == [url]
    ancestors = [toc.parents[current]] if current in toc.parents else []
    assert shown["currentItems"] == [f"{site}{doc}.html" for doc in [*ancestors, current]]
    assert set(shown["open"]) >= {f"{site}{doc}.html" for doc in ancestors}


def test_the_landing_page_opened_as_the_readme_says_shows_the_whole_sidebar(
    browser: Browser, site: str, toc: Toc
) -> None:
    page, problems = open_and_wait(browser, site + "index.html")  # redirects to the root page
    assert page.url == f"{site}{toc.root}.html"
    check_sidebar(page, site, toc, toc.root)
    assert not problems.found, problems.found
    page.context.close()


def test_a_post_shows_the_whole_sidebar_with_itself_marked(browser: Browser, site: str, toc: Toc) -> None:
    post = next(doc for doc in toc.pages if doc not in toc.parents and "/posts/" in doc)
    page, problems = open_and_wait(browser, f"{site}{post}.html")
    check_sidebar(page, site, toc, post)
    assert not problems.found, problems.found
    page.context.close()


def test_a_section_page_opens_its_part_of_the_sidebar(browser: Browser, site: str, toc: Toc) -> None:
    section = next(iter(toc.parents), None)
    if section is None:
        pytest.skip("the book has no nested pages")
    page, problems = open_and_wait(browser, f"{site}{section}.html")
    check_sidebar(page, site, toc, section)
    assert not problems.found, problems.found
    page.context.close()


def test_the_search_page_shows_the_whole_sidebar(browser: Browser, site: str, toc: Toc) -> None:
    page, problems = open_and_wait(browser, site + "search.html")
    check_sidebar(page, site, toc, None)
    assert not problems.found, problems.found
    page.context.close()


def add_entry(html: Path, doc: str, title: str) -> None:
    """What an incremental build that added one post does to the shared sidebar, and nothing else:
    both of its files gain the entry; no other page is written."""
    nav = html / "_static" / "book-nav.html"
    entry = f'<li class="toctree-l1"><a class="reference internal" href="{doc}.html">{title}</a></li>'
    text = nav.read_text(encoding="utf-8").replace("</ul>", entry + "</ul>", 1)
    nav.write_text(text, encoding="utf-8")
    (html / "_static" / "book-nav-data.js").write_text(nav_script(text), encoding="utf-8")


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_a_page_not_rewritten_shows_the_sidebar_of_the_latest_build(
    browser: Browser, built_book: BuiltBook, toc: Toc, tmp_path: Path, scheme: str
) -> None:
    """A page the browser already read, then a build that only wrote a new post: the old page,
    read again in the same browser, lists the new post (no stale copy of the sidebar is used)."""
    html = tmp_path / "html"
    shutil.copytree(built_book.html, html)
    post = next(doc for doc in toc.pages if "/posts/" in doc)
    with contextlib.ExitStack() as stack:
        site = html.resolve().as_uri() + "/" if scheme == "file" else stack.enter_context(serve(html))
        page, problems = open_and_wait(browser, f"{site}{post}.html")
        check_sidebar(page, site, toc, post)
        page.goto(f"{site}{toc.root}.html", wait_until="load")  # the sidebar file is now in the browser
        add_entry(html, "book/posts/new-post", "새 글 &lt;script&gt;")
        for again in (post, toc.root):  # each read again as a reader would, by following a link
            page.goto(f"{site}{again}.html", wait_until="load")
            page.wait_for_selector("#book-nav[data-loaded]", state="attached")
            shown = sidebar(page)
            assert shown["links"].count(f"{site}book/posts/new-post.html") == 1, again
            assert len(shown["links"]) == len(toc.pages) + 1
            assert "새 글 <script>" in shown["texts"], "the title shows as text"
        assert not problems.found, problems.found
        page.context.close()
