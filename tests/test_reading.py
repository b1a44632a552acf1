"""The built book read in headless Chromium, the way a reader sees it, on a laptop and on a phone.

One Chromium for the whole module, one local HTTP server for `built_book.html`, and no network:
every request that leaves 127.0.0.1 is aborted and counted as a problem (see `browser.py`).
Screenshots of the landing page and of one post (desktop and phone, light and dark) go to
`_build/screenshots/`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import frontmatter
import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page

from booktools import local_site as support

from browser import DESKTOP, MOBILE, PageWatch, chromium_or_skip, new_context, open_page
from conftest import BuiltBook

pytestmark = [pytest.mark.browser, pytest.mark.build]

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "_build" / "screenshots"

SOURCES = {
    path.stem: frontmatter.loads(path.read_text(encoding="utf-8-sig")) for path in sorted((ROOT / "posts").glob("*.md"))
}
PUBLISHED = sorted(stem for stem, post in SOURCES.items() if not post.get("draft"))
DRAFTS = sorted(stem for stem, post in SOURCES.items() if post.get("draft"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def docname(entry: str) -> str:
    return re.sub(r"\.(md|ipynb)$", "", entry)


def toc_order(toc: dict) -> list[str]:
    """Reading order of `_toc.yml`: the root, then every part's chapters, sections depth-first."""
    order = [docname(toc["root"])]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                order.append(docname(entry["file"]))
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return order


READING_ORDER = toc_order(TOC)
POSTS_IN_ORDER = [doc.removeprefix("book/posts/") for doc in READING_ORDER if doc.startswith("book/posts/")]
HANDS_ON = [doc for doc in READING_ORDER if doc.startswith("book/hands-on/")]
HANDS_ON_CAPTION = next(
    (
        part.get("caption")
        for part in TOC.get("parts", [])
        if any(docname(chapter.get("file", "")).startswith("book/hands-on/") for chapter in part.get("chapters", []))
    ),
    None,
)
LANDING = READING_ORDER[0]
SITE_PREFIX = urlsplit(str((CONFIG.get("html") or {}).get("baseurl") or "/")).path or "/"
SCREENSHOT_POST = POSTS_IN_ORDER[0]

#: Families in `blogbook/ext/static/book.css` that carry Hangul glyphs.
KOREAN_FAMILIES = {"Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", "Nanum Gothic"}
#: What fontconfig/the OS may actually render Hangul with (Debian: fonts-noto-cjk).
KOREAN_RENDERED = re.compile(r"CJK|KR|Korean|Gothic|Nanum|Malgun|Gulim|Dotum|Batang|UnDotum", re.IGNORECASE)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MOBILE_WIDTH = MOBILE["viewport"]["width"]


def bare_title(stem: str) -> str:
    return re.sub(r"^\[[^\]]+\]\s*", "", str(SOURCES[stem]["title"])).strip()


def category(stem: str) -> str:
    found = re.match(r"^\[([^\]]+)\]", str(SOURCES[stem]["title"]))
    return found.group(1).strip() if found else str(CONFIG["converter"]["default_category"])


def post_date(stem: str) -> str:
    """The front-matter date as the book shows it: `2025.6.3` -> `2025-06-03`."""
    value = SOURCES[stem]["date"]
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    found = re.match(r"^\s*(\d{4})\D+(\d{1,2})\D+(\d{1,2})", str(value))
    assert found, f"{stem}: unreadable date {value!r}"
    year, month, day = (int(part) for part in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def doc_title(doc: str) -> str:
    """Title of a book page: a post's front-matter title, else the first `# ` heading of its source."""
    if doc.startswith("book/posts/"):
        return bare_title(doc.removeprefix("book/posts/"))
    markdown = ROOT / f"{doc}.md"
    if markdown.is_file():
        lines = markdown.read_text(encoding="utf-8").splitlines()
    else:
        notebook = json.loads((ROOT / f"{doc}.ipynb").read_text(encoding="utf-8"))
        sources = [cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
        lines = [line for source in sources for line in "".join(source).splitlines()]
    return next(line[2:].strip() for line in lines if line.startswith("# "))


def css_families() -> list[str]:
    css = (ROOT / "scripts" / "blogbook" / "ext" / "static" / "book.css").read_text(encoding="utf-8")
    found = re.search(r"--pst-font-family-base:\s*([^;]+);", css)
    assert found, "book.css sets --pst-font-family-base"
    return [family.strip().strip("\"'") for family in found.group(1).split(",")]


def url_of(site: str, doc: str) -> str:
    return f"{site}{doc}.html"


def doc_of(site: str, url: str) -> str:
    path = urlsplit(url)._replace(query="", fragment="").geturl()
    assert path.startswith(site), url
    return unquote(path.removeprefix(site).removesuffix(".html"))


# ---------------------------------------------------------------------------------------------
# fixtures: one Chromium, one server, one desktop and one phone tab for the module


@pytest.fixture(scope="module")
def desktop(browser: Browser, site: str) -> Iterator[BrowserContext]:
    context = new_context(browser, site, **DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="module")
def mobile(browser: Browser, site: str) -> Iterator[BrowserContext]:
    context = new_context(browser, site, **MOBILE)
    yield context
    context.close()


@pytest.fixture(scope="module")
def tab(desktop: BrowserContext) -> Page:
    """A 1280x900 tab that tests navigate in turn."""
    return desktop.new_page()


@pytest.fixture(scope="module")
def phone(mobile: BrowserContext) -> Page:
    """A 375x812 phone tab (2x, mobile viewport) that tests navigate in turn."""
    return mobile.new_page()


def wait_for_sidebar(page: Page) -> None:
    """The sidebar's entries arrive from the shared navigation file just after `load`."""
    if page.locator("#book-nav").count():
        page.wait_for_selector("#book-nav[data-loaded]", state="attached")


def goto(page: Page, url: str) -> Page:
    page.goto(url, wait_until="load")
    wait_for_sidebar(page)
    return page


# ---------------------------------------------------------------------------------------------
# the skip/fail switch, without Chromium


def test_missing_chromium_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium fonts-noto-cjk"):
        chromium_or_skip()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        chromium_or_skip()


@pytest.mark.parametrize("value", ["true", "TRUE", "True"])
def test_missing_chromium_fails_in_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setattr(support.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium fonts-noto-cjk"):
        chromium_or_skip()


def test_found_chromium_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support.shutil, "which", lambda name: f"/opt/bin/{name}")
    monkeypatch.setenv("CI", "true")
    assert chromium_or_skip() == "/opt/bin/chromium"


# ---------------------------------------------------------------------------------------------
# every page loads cleanly, offline


def built_pages(book: BuiltBook) -> list[str]:
    """Every HTML file of the site outside `_static`, as a path relative to the site root."""
    return sorted(
        path.relative_to(book.html).as_posix()
        for path in book.html.rglob("*.html")
        if "_static" not in path.relative_to(book.html).parts
    )


def test_every_page_of_the_toc_was_built(built_book: BuiltBook) -> None:
    pages = built_pages(built_book)
    assert {"index.html", "genindex.html", "search.html"} <= set(pages)
    assert [f"{doc}.html" for doc in READING_ORDER if f"{doc}.html" not in pages] == []


def load_problems(page: Page, watch: PageWatch, site: str, page_path: str) -> list[str]:
    """What goes wrong when a first-time reader (fresh context, empty storage) opens one page."""
    page.wait_for_load_state("load")
    if page_path == "index.html":  # the root only redirects to the landing page
        page.wait_for_url(url_of(site, LANDING))
        page.wait_for_load_state("load")
    wait_for_sidebar(page)
    for image in page.locator("img").all():  # images load lazily: bring each into view
        image.scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete", arg=image.element_handle())
    page.wait_for_timeout(200)  # late errors from DOMContentLoaded/async handlers
    broken = page.locator("img").evaluate_all(
        "images => images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src)"
    )
    problems = watch.problems + [f"image not shown: {src}" for src in broken]
    if page.locator('html[lang="ko"]').count() != 1:
        problems.append(f'no <html lang="ko"> on {page.url}')
    return problems


def test_every_page_loads_without_errors(browser: Browser, site: str, built_book: BuiltBook) -> None:
    """Each HTML page of the site, offline: no console error, JS error, failed request or missing image.

    Every page gets its own fresh context: a first-time reader.
    """
    pages = built_pages(built_book)
    report = {}
    for path in pages:
        context = new_context(browser, site, **DESKTOP)
        try:
            report[path] = load_problems(*open_page(context, site + path, wait_until="commit"), site, path)
        finally:
            context.close()
    failing = {page_path: problems for page_path, problems in report.items() if problems}
    if failing:
        lines = [f"{len(failing)} of {len(pages)} pages have problems:"]
        for page_path, problems in failing.items():
            lines += [f"{page_path}:", *(f"  - {problem}" for problem in problems)]
        pytest.fail("\n".join(lines), pytrace=False)


def test_a_missing_page_gets_the_404_page(browser: Browser, site: str, built_book: BuiltBook) -> None:
    """A dead link deep in the site (a Korean name, under the site's path) shows the styled 404
    page, whose links lead back into the book."""
    missing = site + "deep/nested/path/없는-글.html"
    context = new_context(browser, site, **DESKTOP)
    try:
        page, watch = open_page(context, missing)
        # Its own 404 is the point; console errors are test_every_page_loads_without_errors' business.
        assert [p for p in watch.request_errors if "없는-글" not in p and "%EC%97%86" not in p] == []
        assert page.locator('html[lang="ko"]').count() == 1
        heading = page.locator("article.bd-article h1").first
        assert heading.is_visible() and HANGUL.search(heading.inner_text())
        assert "페이지를 찾을 수 없습니다" in page.inner_text("article")
        stack = page.locator("body").evaluate("e => getComputedStyle(e).fontFamily")
        assert KOREAN_FAMILIES & {f.strip().strip("\"'") for f in stack.split(",")}, "book.css did not load"
        home = page.locator(f'article.bd-article a[href$="{LANDING}.html"]').first
        home.click()
        page.wait_for_url(url_of(site, LANDING), wait_until="load")
        assert page.locator(".post-card:has(a[href*='posts/'])").count() == len(PUBLISHED)
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# navigation: sidebar and previous/next


def sidebar_entries(page: Page, site: str) -> dict[str, list[tuple[str, str]]]:
    """Visible (title, page) pairs under each visible caption of the primary sidebar."""
    nav = page.locator("nav.bd-links")
    assert nav.is_visible()
    entries: dict[str, list[tuple[str, str]]] = {}
    for caption in nav.locator("p.caption").all():
        if not caption.is_visible():
            continue
        links = caption.locator("xpath=following-sibling::ul[1]").locator("a.reference")
        entries[caption.inner_text().strip()] = [
            (link.inner_text().strip(), doc_of(site, link.evaluate("a => a.href")))
            for link in links.all()
            if link.is_visible()
        ]
    return entries


def test_sidebar_lists_every_post_under_its_category(tab: Page, site: str) -> None:
    goto(tab, url_of(site, LANDING))
    entries = sidebar_entries(tab, site)
    for stem in PUBLISHED:
        assert category(stem) in entries, f"no sidebar caption {category(stem)!r}: {list(entries)}"
        assert (bare_title(stem), f"book/posts/{stem}") in entries[category(stem)], entries[category(stem)]
    posts = [doc for shown in entries.values() for _, doc in shown if doc.startswith("book/posts/")]
    assert sorted(posts) == sorted(f"book/posts/{stem}" for stem in PUBLISHED), "drafts or duplicates in the sidebar"
    for caption, shown in entries.items():
        in_sidebar = [doc for _, doc in shown if doc.startswith("book/posts/")]
        assert in_sidebar == [doc for doc in READING_ORDER if doc in in_sidebar], f"{caption}: order of _toc.yml"
    text = tab.locator("nav.bd-links").inner_text()
    for stem in DRAFTS:
        assert bare_title(stem) not in text


def test_sidebar_shows_the_hands_on_part(tab: Page, site: str) -> None:
    goto(tab, url_of(site, LANDING))
    if not HANDS_ON:
        pytest.skip("the book is built without the hands-on part")
    chapter, *sections = HANDS_ON
    assert sections, "the hands-on part has notebook pages under its index"
    entries = sidebar_entries(tab, site)
    assert HANDS_ON_CAPTION in entries, list(entries)
    assert (doc_title(chapter), chapter) in entries[HANDS_ON_CAPTION]
    # The notebooks sit in a collapsed <details> until the reader opens it (or is on one of them).
    href = "/".join(chapter.split("/")[-2:]) + ".html"
    item = tab.locator("nav.bd-links li.has-children", has=tab.locator(f'a[href$="{href}"]'))
    if item.locator("details").get_attribute("open") is None:
        item.locator("summary .toctree-toggle").click()  # the chevron a reader clicks
    expected = [(doc_title(doc), doc) for doc in HANDS_ON]
    assert sidebar_entries(tab, site)[HANDS_ON_CAPTION] == expected
    goto(tab, url_of(site, sections[0]))
    assert sidebar_entries(tab, site)[HANDS_ON_CAPTION] == expected, "open on a notebook page"


def follow(page: Page, site: str, selector: str) -> list[str]:
    """Click `selector` (next or previous) from page to page until it is gone; the pages visited."""
    visited = [doc_of(site, page.url)]
    for _ in range(len(READING_ORDER) + 1):
        link = page.locator(f".prev-next-area {selector}")
        if link.count() == 0:
            return visited
        assert link.count() == 1 and link.is_visible(), f"{page.url}: {selector}"
        target = link.evaluate("a => a.href")
        link.click()
        page.wait_for_url(target, wait_until="load")
        visited.append(doc_of(site, page.url))
    pytest.fail(f"{selector} links loop: {visited}")


def test_next_links_walk_the_toc_in_order(tab: Page, site: str) -> None:
    goto(tab, url_of(site, LANDING))
    assert follow(tab, site, "a.right-next") == READING_ORDER


def test_previous_links_walk_the_toc_backwards(tab: Page, site: str) -> None:
    goto(tab, url_of(site, READING_ORDER[-1]))
    assert follow(tab, site, "a.left-prev") == READING_ORDER[::-1]


# ---------------------------------------------------------------------------------------------
# what a post and the landing page show


@pytest.mark.parametrize("stem", PUBLISHED)
def test_post_shows_title_subtitle_and_date(tab: Page, site: str, stem: str) -> None:
    goto(tab, url_of(site, f"book/posts/{stem}"))
    article = tab.locator("article.bd-article")
    heading = article.locator("h1")
    assert heading.count() == 1
    assert heading.is_visible()
    assert heading.inner_text().strip().rstrip("#").strip() == bare_title(stem)
    meta = article.locator(".post-meta")
    if SOURCES[stem].get("subtitle"):
        subtitle = meta.locator(".post-subtitle")
        assert subtitle.is_visible()
        assert subtitle.inner_text().strip() == str(SOURCES[stem]["subtitle"])
    date = meta.locator("time")
    assert date.count() == 1
    assert date.is_visible()
    assert date.get_attribute("datetime") == post_date(stem)
    year, month, day = (int(part) for part in post_date(stem).split("-"))
    assert date.inner_text().strip() == f"{year}년 {month}월 {day}일"


def test_landing_page_shows_a_card_per_post(tab: Page, site: str) -> None:
    goto(tab, url_of(site, LANDING))
    cards = tab.locator(".post-card:has(a[href*='posts/'])")
    assert cards.count() == len(PUBLISHED)
    hands_on = tab.locator(".post-card:has(a[href*='hands-on/'])")
    assert hands_on.count() == (1 if HANDS_ON else 0), "the hands-on part has a card of its own"
    dates_by_category: dict[str, list[str]] = {}
    for card in cards.all():
        card.scroll_into_view_if_needed()
        assert card.is_visible()
        title = card.locator(".sd-card-title").inner_text().strip()
        stem = next((s for s in PUBLISHED if bare_title(s) == title), None)
        assert stem is not None, f"card for an unknown post: {title!r}"
        image = card.locator("img")
        assert image.count() == 1 and image.is_visible(), title
        assert image.evaluate("i => i.complete && i.naturalWidth > 0"), f"{title}: thumbnail did not load"
        shown = Path(urlsplit(image.evaluate("i => i.currentSrc")).path).name
        assert shown == Path(str(SOURCES[stem]["thumbnail"])).name, title
        footer = card.locator(".sd-card-footer")
        year, month, day = (int(part) for part in post_date(stem).split("-"))
        assert footer.is_visible() and f"{year}년 {month}월 {day}일" in footer.inner_text(), title
        link = card.locator("a").first
        assert doc_of(site, link.evaluate("a => a.href")) == f"book/posts/{stem}", title
        assert image.get_attribute("loading") == "lazy", title
        section = card.evaluate("c => c.closest('section').querySelector('h1,h2,h3,h4').textContent")
        part = category(stem)
        assert section.strip().rstrip("#").strip() == part, "cards are grouped under their category"
        dates_by_category.setdefault(part, []).append(post_date(stem))
    for dates in dates_by_category.values():
        assert dates == sorted(dates, reverse=True), "each category lists its newest post first"


# ---------------------------------------------------------------------------------------------
# on a phone, and in Korean

OVERFLOW_CULPRITS = """limit => {
  const describe = el => {
    const parts = [];
    for (let e = el; e && e !== document.documentElement && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '');
      const classes = [...e.classList].slice(0, 3);
      if (classes.length) part += '.' + classes.join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const contained = el => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.position === 'fixed') return true;
      if (a !== el && style.overflowX !== 'visible') return true;
    }
    return false;
  };
  const overflows = el => el.getBoundingClientRect().right > limit + 1 && !contained(el);
  return [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().width > 0 && overflows(el))
    .filter(el => el.parentElement === document.body || !overflows(el.parentElement))
    .map(el => { const r = el.getBoundingClientRect();
      return `${describe(el)}: left ${Math.round(r.left)}px, width ${Math.round(r.width)}px, `
        + `right ${Math.round(r.right)}px, scrollWidth ${el.scrollWidth}px`; });
}"""


@pytest.mark.parametrize("doc", READING_ORDER)
def test_page_does_not_scroll_sideways_on_a_phone(phone: Page, site: str, doc: str) -> None:
    goto(phone, url_of(site, doc))
    # With is_mobile, Chromium zooms out to fit wide content, so innerWidth grows along with
    # scrollWidth: compare with the viewport's width, not with innerWidth alone.
    scroll_width, inner_width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > MOBILE_WIDTH + 1 or inner_width != MOBILE_WIDTH:
        culprits = phone.evaluate(OVERFLOW_CULPRITS, MOBILE_WIDTH)
        pytest.fail(
            f"{doc}: page is {scroll_width}px wide (innerWidth {inner_width}px) on a {MOBILE_WIDTH}px phone; "
            "outermost elements past the right edge:\n  " + "\n  ".join(culprits or ["(none found)"])
        )


@pytest.mark.parametrize("doc", READING_ORDER)
def test_korean_text_breaks_between_words_in_a_korean_font(tab: Page, site: str, doc: str) -> None:
    goto(tab, url_of(site, doc))
    assert tab.locator('html[lang="ko"]').count() == 1
    paragraphs = tab.locator("article.bd-article p")
    assert paragraphs.count() > 0
    breaks = paragraphs.evaluate_all("ps => ps.map(p => getComputedStyle(p).wordBreak)")
    assert set(breaks) == {"keep-all"}, breaks
    wanted = KOREAN_FAMILIES & set(css_families())
    assert wanted, "book.css names a Korean-capable family"
    for selector in ("body", "article.bd-article p"):
        stack = tab.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")
        families = {family.strip().strip("\"'") for family in stack.split(",")}
        assert families & wanted, f"{selector}: font-family {stack}"


def test_hangul_is_drawn_with_a_korean_font(tab: Page, site: str) -> None:
    """The font Chromium really used for a body paragraph (DevTools protocol), not just the CSS stack."""
    goto(tab, url_of(site, f"book/posts/{SCREENSHOT_POST}"))
    paragraph = tab.locator("article.bd-article section > p").filter(has_text=HANGUL).first
    assert HANGUL.search(paragraph.inner_text())
    session = tab.context.new_cdp_session(tab)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        paragraph.evaluate("p => p.setAttribute('data-font-probe', '')")
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": "[data-font-probe]"})["nodeId"]
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        session.detach()
    korean = [font for font in fonts if KOREAN_RENDERED.search(font["familyName"])]
    assert korean, f"Hangul drawn with {fonts}"
    assert max(korean, key=lambda font: font["glyphCount"]) == max(fonts, key=lambda font: font["glyphCount"])


# ---------------------------------------------------------------------------------------------
# screenshots for a human to look at


def test_screenshots(tab: Page, phone: Page, site: str) -> None:
    """Landing page and a post, desktop and phone, light and dark: for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = {
        "landing": url_of(site, LANDING),
        "post": url_of(site, f"book/posts/{SCREENSHOT_POST}"),
    }
    try:
        for scheme in ("light", "dark"):
            for name, url in shots.items():
                for device, page in (("desktop", tab), ("mobile", phone)):
                    page.emulate_media(color_scheme=scheme)
                    goto(page, url)
                    page.evaluate("() => document.fonts.ready.then(() => true)")
                    assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
                    path = SCREENSHOTS / f"{name}-{device}-{scheme}.png"
                    page.screenshot(path=path, full_page=True)
                    assert path.stat().st_size > 10_000, path
    finally:
        for page in (tab, phone):
            page.emulate_media(color_scheme="light")


@pytest.mark.parametrize("stem", PUBLISHED)
def test_a_post_starts_its_text_on_a_phones_first_screen(phone: Page, site: str, stem: str) -> None:
    """At 375 px: a title of at most 32 px, one meta line, and the first paragraph of text
    begins above the fold."""
    goto(phone, url_of(site, f"book/posts/{stem}"))
    phone.evaluate("() => document.fonts.ready.then(() => true)")
    title = phone.locator("article.bd-article h1")
    assert float(title.evaluate("h => parseFloat(getComputedStyle(h).fontSize)")) <= 32
    info = phone.locator("article.bd-article .post-meta .post-info")
    assert info.count() == 1
    line_height = info.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert info.bounding_box()["height"] <= 2.2 * line_height, "the meta line is a line (two on a narrow phone)"
    first_text = phone.locator("article.bd-article section > p").first
    assert first_text.bounding_box()["y"] < MOBILE["viewport"]["height"]


def test_headings_and_body_share_one_font_stack(tab: Page, site: str) -> None:
    goto(tab, url_of(site, f"book/posts/{SCREENSHOT_POST}"))
    families = tab.evaluate(
        "() => ['h1', 'h2', 'article p'].map(s => getComputedStyle(document.querySelector(s)).fontFamily)"
    )
    assert len(set(families)) == 1, families


def test_emphasis_on_hangul_is_a_weight_not_a_slant(tab: Page, site: str) -> None:
    goto(tab, url_of(site, f"book/posts/{SCREENSHOT_POST}"))
    style = tab.evaluate(
        "() => { const e = document.createElement('em'); e.textContent = '강조';"
        " document.querySelector('article p').append(e);"
        " const s = getComputedStyle(e); const r = [s.fontStyle, s.fontWeight]; e.remove(); return r; }"
    )
    assert style[0] == "normal" and int(style[1]) >= 600, style
