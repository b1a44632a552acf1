"""The search box as a reader uses it, in Chromium, on a laptop and on a phone.

Types into the theme's search dialog key by key, reads the results it shows (title, part,
snippet with the stem marked), moves with the arrow keys, opens a result with Enter and finds
the word marked and scrolled into view on the page it lands on. Also: nothing of the index is
fetched before the reader opens the search, and the search page answers `?q=` links without
Sphinx's searchindex.js.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser import DESKTOP, MOBILE, chromium, new_context, open_page, serve
from conftest import BuiltBook

pytestmark = [pytest.mark.browser, pytest.mark.build]

POST = "book/posts/helm-chart-memo.html"
DIALOG = "#pst-search-dialog"


@pytest.fixture(scope="module")
def site(built_book: BuiltBook) -> Iterator[tuple[str, Any]]:
    with serve(built_book.html) as base, chromium() as browser:
        yield base, browser


def index_requests(context: Any) -> list[str]:
    """Every index file the context fetches, from the first request on."""
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url) if "/_search/" in r.url else None)
    return seen


def results(page: Any, scope: str = DIALOG) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        f"{scope} [role=option]",
        """(lis) => lis.map((li) => ({
            id: li.id,
            title: li.querySelector('.bs-title').textContent,
            part: (li.querySelector('.bs-part') || {}).textContent || '',
            snippet: li.querySelector('.bs-snippet').textContent,
            marks: Array.from(li.querySelectorAll('.bs-snippet mark'), (m) => m.textContent),
            html: li.querySelector('.bs-snippet').innerHTML,
        }))""",
    )


def type_query(page: Any, text: str) -> None:
    page.keyboard.type(text, delay=40)
    page.wait_for_function(
        "(q) => { const p = document.querySelector('#pst-search-dialog .bs-panel');"
        " return p && p.dataset.query === q; }",
        arg=text.strip(),
    )
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#pst-search-dialog .bs-snippet'))"
        ".every((s) => s.textContent.length > 0)"
    )


def test_desktop_type_arrow_enter_and_land_on_the_marked_word(site: tuple[str, Any]) -> None:
    base, browser = site
    context = new_context(browser, base, **DESKTOP)
    fetched = index_requests(context)
    page, watch = open_page(context, base + POST)
    page.wait_for_timeout(300)
    assert fetched == [], "the index must not load before the reader opens the search"
    page.keyboard.press("Control+k")
    box = page.locator(f"{DIALOG} input[name=q]")
    box.wait_for(state="visible")
    assert box.get_attribute("placeholder") == "검색어를 입력하세요"
    assert box.get_attribute("role") == "combobox"
    type_query(page, "도커를")
    shown = results(page)
    assert shown, "no results for 도커를"
    assert shown[0]["title"] == "도커 이미지와 레이어의 구조"
    assert shown[0]["part"] == "공부"
    assert any(m.startswith("도커") for m in shown[0]["marks"]), shown[0]
    assert "<script" not in shown[0]["html"]
    status = page.locator(f"{DIALOG} .bs-status").text_content() or ""
    assert status.startswith("결과 ") and status.endswith("개")
    assert box.get_attribute("aria-expanded") == "true"
    listbox = page.locator(f"{DIALOG} [role=listbox]")
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    assert listbox.get_attribute("aria-label")
    assert any("/_search/meta.js" in url for url in fetched)
    assert not any(url.endswith(".html") for url in fetched)

    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == shown[0]["id"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == shown[0]["id"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "book/posts/docker-image-layers.html" in page.url
    assert "hl=" in page.url
    page.wait_for_selector("article.bd-article mark.bs-hit")
    marked = page.eval_on_selector_all("article mark.bs-hit", "(ms) => ms.map((m) => m.textContent)")
    assert marked and all(m.lower().startswith(("도커", "docker")) for m in marked), marked[:10]
    first = page.locator("mark.bs-first")
    assert first.is_visible()
    box_in_view = first.evaluate(
        "(m) => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    assert box_in_view
    assert not page.locator("nav mark, .bd-sidebar-primary mark, .bd-toc mark").count()
    assert not watch.problems, watch.report()
    context.close()


def test_no_results_and_escape(site: tuple[str, Any]) -> None:
    base, browser = site
    context = new_context(browser, base, **DESKTOP)
    page, watch = open_page(context, base + POST)
    page.keyboard.press("Control+k")
    page.locator(f"{DIALOG} input[name=q]").wait_for(state="visible")
    type_query(page, "갈매기초고쪽지")
    assert page.locator(f"{DIALOG} .bs-status").text_content() == "결과가 없습니다"
    assert results(page) == []
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('pst-search-dialog').open")
    assert not watch.problems, watch.report()
    context.close()


def test_phone_dark_mode_tap_a_result(site: tuple[str, Any]) -> None:
    base, browser = site
    context = new_context(browser, base, **MOBILE, color_scheme="dark")
    page, watch = open_page(context, base + POST)
    page.locator(".search-button:visible").first.click()
    page.locator(f"{DIALOG} input[name=q]").wait_for(state="visible")
    type_query(page, "쿠버네티스 ")
    shown = results(page)
    assert shown[0]["title"] == "쿠버네티스의 파드와 노드"
    assert any(m.startswith("쿠버네티스") for m in shown[0]["marks"])
    option = page.locator(f"{DIALOG} [role=option]").first
    rect = option.bounding_box()
    assert rect is not None and rect["x"] >= 0 and rect["x"] + rect["width"] <= 375 + 1
    colours = page.evaluate(
        """() => { const p = document.querySelector('#pst-search-dialog .bs-panel');
        const m = p.querySelector('mark');
        return [getComputedStyle(p).backgroundColor, getComputedStyle(m).backgroundColor,
                getComputedStyle(m).color, document.documentElement.dataset.theme]; }"""
    )
    assert colours[3] == "dark"
    assert colours[0] != "rgb(255, 255, 255)"
    assert colours[1] != colours[2]
    option.tap()
    page.wait_for_url("**/kubernetes-pod-node.html?hl=*")
    page.wait_for_selector("article mark.bs-hit")
    assert not watch.problems, watch.report()
    context.close()


def test_search_page_answers_links_with_the_same_engine(site: tuple[str, Any]) -> None:
    base, browser = site
    context = new_context(browser, base, **DESKTOP)
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page, watch = open_page(context, base + "search.html?q=" + "헬름으로")
    page.wait_for_selector("#search-results .bs-status:not(:empty)")
    shown = results(page, "#search-results")
    assert shown[0]["title"] == "헬름 차트 구조와 자주 쓰는 명령"
    assert not any(url.endswith(("searchindex.js", "searchtools.js")) for url in requested)
    assert not watch.problems, watch.report()
    context.close()
