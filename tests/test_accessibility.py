"""An axe-core audit of each kind of page, in real Chromium: zero serious or critical violations.

axe-core comes vendored in the `axe-playwright-python` package (its `axe.min.js`, installed
from PyPI with the other requirements); the test injects that file into the page, so nothing is
fetched at run time. Each kind of page a reader meets is audited: the landing page, a post, the
search page with results, a notebook page, the 404 page, in light and dark, and on a phone with
the navigation menu open.
"""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, Page
from test_reading import HANDS_ON, LANDING, POSTS_IN_ORDER, goto, url_of

from browser import DESKTOP, MOBILE, fresh_context

pytestmark = [pytest.mark.browser, pytest.mark.build]

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
SEVERE = ("serious", "critical")


def audit(page: Page) -> list[str]:
    """Serious and critical axe violations of the page as it is now, one line each."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(1).join(' '))})); }"
    )
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {node}" for v in result if v["impact"] in SEVERE for node in v["nodes"]
    ]


def test_the_audit_finds_what_it_should(browser: Browser, site: str) -> None:
    """The audit is live: a page given an unnamed button and an image without alt fails it."""
    with fresh_context(browser, site, **DESKTOP) as context:
        page = context.new_page()
        goto(page, url_of(site, LANDING))
        page.evaluate(
            "() => { const b = document.createElement('button'); b.innerHTML = '<svg></svg>';"
            " document.body.append(b); const i = document.createElement('img'); i.src = 'x.png';"
            " document.body.append(i); }"
        )
        found = " ".join(audit(page))
        assert "button-name" in found and "image-alt" in found, found


PAGES = {
    "landing": LANDING,
    "post": f"book/posts/{POSTS_IN_ORDER[0]}",
    "notebook": HANDS_ON[-1] if HANDS_ON else LANDING,
    "tags": "book/tags/index",
    "series": "book/series/index",
    "archive": "book/archive",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", [*PAGES, "search", "404"])
def test_no_serious_violations(browser: Browser, site: str, kind: str, scheme: str) -> None:
    with fresh_context(browser, site, color_scheme=scheme, **DESKTOP) as context:
        page = context.new_page()
        if kind == "search":
            goto(page, f"{site}search.html?q=%EB%8F%84%EC%BB%A4")  # 도커
            page.wait_for_selector("#search-results .bs-results li", timeout=15_000)
        elif kind == "404":
            page.goto(f"{site}no/such/page.html", wait_until="load")
        else:
            goto(page, url_of(site, PAGES[kind]))
        problems = audit(page)
        assert not problems, "\n".join(problems)


def test_no_serious_violations_on_a_phone_with_the_menu_open(browser: Browser, site: str) -> None:
    with fresh_context(browser, site, **MOBILE) as context:
        page = context.new_page()
        goto(page, url_of(site, f"book/posts/{POSTS_IN_ORDER[0]}"))
        assert not (problems := audit(page)), "\n".join(problems)
        page.locator(".primary-toggle").first.click()
        page.wait_for_selector(".bd-sidebar-primary", state="visible")
        assert not (problems := audit(page)), "\n".join(problems)
