"""The book's interface speaks Korean: no English label, tooltip or screen-reader name is left.

Each kind of page is opened in headless Chromium (the landing page, a post, the search page with
results, a notebook page of the hands-on part, the 404 page, the phone menu, a post as printed)
and every string of the interface is collected: the visible text nodes outside the article's
own content, the text CSS draws (`::before`/`::after`, e.g. the copy button's tooltip), the
`<title>`s of inline icons, and the `aria-label`, `aria-description`, `title`, `placeholder`,
`alt` and tooltip attributes of every element that is not the article's content. Menus are
opened and the copy button of a code block is hovered and clicked, so their messages are seen.

A string fails when it still has Latin letters once what may be Latin is taken out: the book's
title and author, the titles and headings of its pages (a post about Docker names Docker), and a
short list of brand words and key names (`ALLOWED_WORDS`). The article's content is the author's
and may be English; the interface around it may not.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page

from browser import DESKTOP, MOBILE, fresh_context
from conftest import ROOT, BuiltBook

pytestmark = [pytest.mark.browser, pytest.mark.build]

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SITE_PREFIX = urlsplit(str((CONFIG.get("html") or {}).get("baseurl") or "/")).path or "/"
LANDING = "book/index.html"

#: Latin words a Korean interface keeps: brands, file types and key names. Matched as whole words.
ALLOWED_WORDS = (
    "Jupyter",
    "JupyterLab",
    "JupyterHub",
    "Binder",
    "Colab",
    "Deepnote",
    "Thebe",
    "GitHub",
    "PDF",
    ".ipynb",
    ".md",
    ".pdf",
    "RSS",
    "Ctrl",
    "K",
)

#: Elements inside the article that are interface, not the author's content.
INTERFACE_IN_ARTICLE = ", ".join(
    [
        "a.headerlink",
        "button",
        "[role=button]",
        "#search-results > h2",
        "#search-results > p",
        ".bs-status",
        ".bs-part",
        ".bs-more",
        "summary",
        ".copybtn",
        ".toggle-button",
        ".prev-next-area",
    ]
)

ATTRIBUTES = (
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "title",
    "placeholder",
    "alt",
    "data-tooltip",
    "data-bs-title",
    "data-bs-original-title",
)

#: Every interface string of the page as `[where, string]` (see the module docstring).
COLLECT_JS = """
([interfaceInArticle, attributes]) => {
  const found = [];
  const article = document.querySelector('article.bd-article');
  // The titles and excerpts that search results show are the pages' text, wherever they sit.
  const isContent = (el) => !!el.closest('.bs-results [role=option]')
    || (!!article && article.contains(el) && !el.closest(interfaceInArticle));
  const where = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '';
    return el.tagName.toLowerCase() + id + cls;
  };
  const clean = (s) => s.replace(/\\s+/g, ' ').trim();
  const skipped = 'script, style, noscript, template';
  for (const el of document.querySelectorAll('noscript')) {  // what a reader without JavaScript sees
    const markup = el.textContent.replace(/<(style|script)[^>]*>[\\s\\S]*?<\\/\\1>/g, ' ');
    const text = clean(markup.replace(/<[^>]*>/g, ' '));
    if (text && !isContent(el)) found.push([where(el), text]);
  }
  // A link, heading or button is one string: a title with `code` in it is not split in pieces.
  const owners = 'a, button, label, summary, h1, h2, h3, h4, h5, h6, p.caption, .prev-next-title';
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let el = node.parentElement;
    let text = clean(node.textContent);
    if (!el || !text || el.closest(skipped) || isContent(el)) continue;
    const owner = el.closest('svg') ? null : el.closest(owners);
    if (owner) {
      if (seen.has(owner)) continue;
      seen.add(owner);
      el = owner;
      text = clean(owner.innerText || owner.textContent);
      if (!text) continue;
    }
    if (el.closest('svg')) {
      if (el.closest('title')) found.push([where(el.closest('svg')) + ' <title>', text]);
      continue;
    }
    if (el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) found.push([where(el), text]);
  }
  for (const el of document.querySelectorAll('*')) {
    if (el.closest(skipped) || isContent(el)) continue;
    for (const name of attributes) {
      const value = el.getAttribute(name);
      if (value && clean(value)) found.push([where(el) + '[' + name + ']', clean(value)]);
    }
    if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
    for (const pseudo of ['::before', '::after']) {
      const content = getComputedStyle(el, pseudo).content;
      const quoted = /^"(.*)"$/.exec(content || '');
      if (quoted && clean(quoted[1])) found.push([where(el) + pseudo, clean(quoted[1])]);
    }
  }
  found.push(['document.title', clean(document.title)]);
  return found;
}
"""

Found = list[tuple[str, str]]


def content_titles(book: BuiltBook) -> list[str]:
    """Titles of the pages and of every section, as Sphinx's search index lists them."""
    script = (book.html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(script[script.index("(") + 1 : script.rindex(")")])
    return [*index["titles"], *index["alltitles"]]


def allowed_strings(book: BuiltBook) -> list[str]:
    """What may stay Latin, longest first (so a title is removed before a word inside it)."""
    strings = [str(CONFIG["title"]), str(CONFIG["author"]), *content_titles(book)]
    return sorted({s.strip() for s in strings if s.strip()}, key=len, reverse=True)


ALLOWED_WORD = re.compile(
    r"(?<![A-Za-z.])(?:"
    + "|".join(re.escape(w) for w in sorted(ALLOWED_WORDS, key=len, reverse=True))
    + r")(?![A-Za-z])"
)
LATIN = re.compile(r"[A-Za-z]")


def english(string: str, allowed: list[str]) -> bool:
    """Whether `string` has a Latin letter left once titles, headings and allowed words are out."""
    rest = string
    for text in allowed:
        if text in rest:
            rest = rest.replace(text, " ")
    return bool(LATIN.search(ALLOWED_WORD.sub(" ", rest)))


def english_strings(found: Found, allowed: list[str]) -> list[str]:
    return sorted({f"{where}: {string!r}" for where, string in found if english(string, allowed)})


# ---------------------------------------------------------------------------------------------
# the judge itself


JUDGE_TITLES = ["Docker 이미지 레이어 이해하기", "컨테이너 공부 노트"]


@pytest.mark.parametrize(
    "string",
    ["Back to top", "Skip to main content", "Search this book...", "Copied!", "이 제목 Link", "다음 글 next page"],
)
def test_an_english_interface_string_is_caught(string: str) -> None:
    assert english(string, JUDGE_TITLES)


@pytest.mark.parametrize(
    "string",
    [
        "다음 글",
        "다음 글 Docker 이미지 레이어 이해하기",
        "Binder에서 열기",
        "Colab에서 열기",
        ".ipynb",
        "Ctrl",
        "K",
        "PDF로 인쇄",
        "#",
        "2025-06-03",
    ],
)
def test_korean_titles_and_brands_pass(string: str) -> None:
    assert not english(string, JUDGE_TITLES)


# ---------------------------------------------------------------------------------------------
# fixtures: one Chromium and one server for the module


@pytest.fixture(scope="module")
def allowed(built_book: BuiltBook) -> list[str]:
    return allowed_strings(built_book)


def collect(page: Page) -> Found:
    rows: list[list[str]] = page.evaluate(COLLECT_JS, [INTERFACE_IN_ARTICLE, list(ATTRIBUTES)])
    return [(where, string) for where, string in rows]


def settle(page: Page) -> None:
    """The sidebar's entries and the copy buttons arrive just after `load`."""
    if page.locator("#book-nav").count():
        page.wait_for_selector("#book-nav[data-loaded]", state="attached")
    if page.locator("div.highlight pre").count():
        page.wait_for_selector("button.copybtn", state="attached")


def open_menus(page: Page) -> Found:
    """Open each dropdown of the article header in turn (download, launch) and collect it."""
    found: Found = []
    for toggle in page.locator(".article-header-buttons .dropdown-toggle").all():
        if not toggle.is_visible():
            continue
        toggle.click()
        page.wait_for_timeout(100)
        found += collect(page)
        page.keyboard.press("Escape")
    return found


def open_search_dialog(page: Page) -> Found:
    """The search overlay the header's search button opens (Ctrl+K)."""
    button = page.locator(".article-header-buttons .search-button, .search-button__button").first
    if not button.count() or not button.is_visible():
        return []
    button.click()
    page.wait_for_selector("#pst-search-dialog[open] input", state="visible")
    found = collect(page)
    page.keyboard.press("Escape")
    return found


def use_copy_button(page: Page) -> Found:
    """Hover the first code block's copy button (its tooltip) and click it (its message)."""
    button = page.locator("button.copybtn").first
    if not button.count():
        return []
    block = page.locator("div.highlight").first
    block.scroll_into_view_if_needed()
    block.hover()
    button.hover()
    page.wait_for_timeout(100)
    found = collect(page)
    hovered = button.get_attribute("data-tooltip")
    button.click()  # success or failure, the tooltip changes to its message
    page.wait_for_function("([b, before]) => b.dataset.tooltip !== before", arg=[button.element_handle(), hovered])
    page.wait_for_timeout(100)
    return found + collect(page)


def page_strings(page: Page, url: str) -> Found:
    page.goto(url, wait_until="load")
    settle(page)
    return collect(page) + open_menus(page) + use_copy_button(page) + open_search_dialog(page)


def check(found: Found, allowed: list[str], what: str) -> None:
    bad = english_strings(found, allowed)
    assert not bad, f"English interface strings on {what}:\n" + "\n".join(f"  - {line}" for line in bad)


def first(book: BuiltBook, folder: str) -> str:
    pages = sorted(p for p in (book.html / folder).glob("*.html") if p.name != "index.html")
    if not pages:
        pytest.skip(f"the book has no pages under {folder}/")
    return pages[0].relative_to(book.html).as_posix()


# ---------------------------------------------------------------------------------------------
# each kind of page


def test_landing_page(browser: Browser, site: str, allowed: list[str]) -> None:
    with fresh_context(browser, site, **DESKTOP) as context:
        check(page_strings(context.new_page(), site + LANDING), allowed, LANDING)


def test_post_page_with_its_copy_button(browser: Browser, site: str, built_book: BuiltBook, allowed: list[str]) -> None:
    post = first(built_book, "book/posts")
    with fresh_context(browser, site, **DESKTOP) as context:
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        found = page_strings(page, site + post)
        messages = {string for where, string in found if "copybtn" in where}
        assert len(messages) >= 2, f"the copy button's tooltip and message were not seen: {messages}"
        check(found, allowed, post)


def test_post_page_as_printed(browser: Browser, site: str, built_book: BuiltBook, allowed: list[str]) -> None:
    post = first(built_book, "book/posts")
    with fresh_context(browser, site, **DESKTOP) as context:
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(site + post, wait_until="load")
        settle(page)
        found = collect(page)
        assert page.locator("#jb-print-docs-body").is_visible(), "the print header is not shown in print"
        check(found, allowed, f"{post} (print)")


def test_search_page_with_results(browser: Browser, site: str, allowed: list[str]) -> None:
    with fresh_context(browser, site, **DESKTOP) as context:
        page = context.new_page()
        page.goto(site + "search.html", wait_until="load")
        found = collect(page)
        field = page.locator(".bd-search-container form.bd-search input[name=q]")
        field.fill("도커")
        field.press("Enter")
        page.wait_for_selector("#search-results .bs-results > li", state="visible")
        page.wait_for_timeout(300)
        found += collect(page)
        check(found, allowed, "search.html")


def test_search_page_with_no_result(browser: Browser, site: str, allowed: list[str]) -> None:
    with fresh_context(browser, site, **DESKTOP) as context:
        page = context.new_page()
        page.goto(site + "search.html?q=존재하지않는낱말", wait_until="load")
        page.wait_for_selector("#search-results .bs-status:not(:empty)", state="visible")
        check(collect(page), allowed, "search.html (no result)")


def test_notebook_page(browser: Browser, site: str, built_book: BuiltBook, allowed: list[str]) -> None:
    notebook = first(built_book, "book/hands-on")
    with fresh_context(browser, site, **DESKTOP) as context:
        check(page_strings(context.new_page(), site + notebook), allowed, notebook)


def test_not_found_page(browser: Browser, site: str, allowed: list[str]) -> None:
    with fresh_context(browser, site, **DESKTOP) as context:
        check(page_strings(context.new_page(), site + "no/such/page.html"), allowed, "404.html")


def test_phone_menu(browser: Browser, site: str, built_book: BuiltBook, allowed: list[str]) -> None:
    post = first(built_book, "book/posts")
    with fresh_context(browser, site, **MOBILE) as context:
        page = context.new_page()
        found = page_strings(page, site + post)
        page.locator("button.primary-toggle").first.click()
        page.wait_for_selector("#pst-primary-sidebar-modal[open] nav.bd-links", state="visible")
        page.wait_for_timeout(300)  # the sidebar slides in
        found += collect(page)
        check(found, allowed, f"{post} (phone menu)")


# The theme's own ko catalog reads "전체 화면으로보기" (a spacing typo) and "탐색 전환" (a literal
# "toggle navigation"); the book's catalog (locale/ko/LC_MESSAGES/booktheme.po) has to win.
THEME_KO_MISTAKES = ("전체 화면으로보기", "탐색 전환", "시작하다", "스핑크스 도서 테마")


def test_the_books_korean_wins_over_the_themes(built_book: BuiltBook) -> None:
    pages = sorted(built_book.html.rglob("*.html"))
    found = {
        f"{page.relative_to(built_book.html)}: {mistake}"
        for page in pages
        for mistake in THEME_KO_MISTAKES
        if mistake in page.read_text(encoding="utf-8")
    }
    assert not found, sorted(found)
    post = next((built_book.html / "book" / "posts").glob("*.html")).read_text(encoding="utf-8")
    assert 'title="전체 화면으로 보기"' in post
