"""Light pages (blogbook.ext.page_assets): each page links one stylesheet and one script bundle
that exist, only the files it uses, and the icons it shows; a post page stays within its budget
in a real browser and its icons and controls still work."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import tinycss2
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

from blogbook.ext.page_assets import Assets, _icon_rule_names, page_features
from booktools import page_weight

from browser import DESKTOP, MOBILE, chromium, new_context, serve
from conftest import BuiltBook, build, front, make_project

SITE_PREFIX = "/container-notes/"  # html.baseurl's path: 404.html links its assets below it
POST_BUDGET_REQUESTS = 15
POST_BUDGET_GZIP = 200 * 1024


def pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts)


def soup(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def local_target(html: Path, page: Path, url: str) -> Path | None:
    """The file a link of `page` names, or None for off-site and data URLs."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        assert path.startswith(SITE_PREFIX), url
        return html / path.removeprefix(SITE_PREFIX)
    return (page.parent / path).resolve()


def assets_of(page: Path) -> list[str]:
    """Every stylesheet, script, preload, icon and image a page links."""
    doc = soup(page)
    urls = [
        link["href"]
        for link in doc.find_all("link", href=True)
        if set(link.get("rel", [])) & {"stylesheet", "preload", "icon"}
    ]
    urls += [script["src"] for script in doc.find_all("script", src=True)]
    urls += [img["src"] for img in doc.find_all("img", src=True)]
    urls += [holder["data-nav"] for holder in doc.select("[data-nav]")]
    return urls


def stylesheets_of(html: Path, page: Path) -> list[Path]:
    found = [local_target(html, page, link["href"]) for link in soup(page).find_all("link", rel="stylesheet")]
    return [path for path in found if path is not None]


def scripts_of(html: Path, page: Path) -> list[Path]:
    found = [local_target(html, page, script["src"]) for script in soup(page).find_all("script", src=True)]
    return [path for path in found if path is not None]


def css_urls(css: Path) -> list[str]:
    """Every `url()` of a stylesheet, read with a CSS parser."""
    found: list[str] = []

    def walk(tokens: list) -> None:
        for token in tokens:
            if token.type == "url":
                found.append(token.value)
            elif token.type == "function" and token.lower_name == "url":
                found.extend(arg.value for arg in token.arguments if arg.type == "string")
            for attribute in ("content", "prelude", "arguments"):
                inner = getattr(token, attribute, None)
                if isinstance(inner, list):
                    walk(inner)

    walk(tinycss2.parse_stylesheet(css.read_text(encoding="utf-8"), skip_comments=True))
    return found


def css_classes(css: Path) -> set[str]:
    """Every class name a stylesheet's selectors name."""
    names: set[str] = set()
    for rule in tinycss2.parse_stylesheet(css.read_text(encoding="utf-8"), skip_comments=True):
        tokens = list(rule.prelude or []) if rule.type == "qualified-rule" else []
        if rule.type == "at-rule" and rule.content:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            tokens = [t for r in inner if r.type == "qualified-rule" for t in r.prelude]
        names |= {
            b.value
            for a, b in itertools.pairwise(tokens)
            if a.type == "literal" and a.value == "." and b.type == "ident"
        }
    return names


# ---------------------------------------------------------------------------------------------
# the built book, read back


def test_every_page_links_only_assets_that_exist(built_book: BuiltBook) -> None:
    html = built_book.html
    missing = []
    for page in pages(html):
        for url in assets_of(page):
            target = local_target(html, page, url)
            if target is not None and not target.is_file():
                missing.append(f"{page.relative_to(html)}: {url}")
        for css in stylesheets_of(html, page):
            for url in css_urls(css):
                target = local_target(html, css, url)
                if target is not None and not target.is_file():
                    missing.append(f"{css.relative_to(html)} (from {page.relative_to(html)}): url({url})")
    assert not missing, "\n".join(sorted(set(missing)))


def test_each_page_loads_one_stylesheet_and_its_scripts_in_one_deferred_bundle(built_book: BuiltBook) -> None:
    html = built_book.html
    for page in pages(html):
        if page.name == "index.html" and page.parent == html:
            continue  # the redirect to the landing page
        doc = soup(page)
        sheets = doc.find_all("link", rel="stylesheet")
        assert [s["href"].split("?")[0].rsplit("/", 1)[-1][:5] for s in sheets] == ["page-"], page
        bundles = [s for s in doc.find_all("script", src=True) if "/bundles/page-" in s["src"]]
        assert len(bundles) == 1, page
        assert bundles[0].has_attr("defer") == (page.name != "search.html"), page  # search: see bundle_page
        assert not [s for s in doc.find_all("script", src=True) if "bootstrap" in s["src"] or "clipboard" in s["src"]]


def icon_glyphs(css: Path) -> dict[str, int]:
    """Icon name -> the code point its `.fa-x:before { content: "..." }` rule draws."""
    glyphs: dict[str, int] = {}
    for rule in tinycss2.parse_stylesheet(css.read_text(encoding="utf-8"), skip_comments=True):
        names = _icon_rule_names(rule)
        strings = [t.value for t in rule.content if t.type == "string"] if names else []
        for name in names or ():
            if strings and len(strings[0]) == 1:
                glyphs[name] = ord(strings[0])
    return glyphs


def test_every_icon_a_page_uses_is_kept(built_book: BuiltBook) -> None:
    """Each `fa-*` class on a page (or in the sidebar file it loads) has a rule in the page's
    stylesheet, and each solid icon a page shows has its glyph in the subset font."""
    html = built_book.html
    sidebar = [tag["class"] for tag in soup(html / "_static" / "book-nav.html").select('[class*="fa-"]')]
    fonts = list((html / "_static" / "bundles").glob("fa-solid-900.*.woff2"))
    assert len(fonts) == 1
    cmap = set(TTFont(fonts[0]).getBestCmap())
    lacking = []
    checked = 0
    for page in pages(html):
        doc = soup(page)
        elements = [tag["class"] for tag in doc.select('[class*="fa-"]')]
        elements += sidebar if doc.select("[data-nav]") else []
        if not elements:
            continue
        sheets = stylesheets_of(html, page)
        defined = set().union(*(css_classes(css) for css in sheets))
        glyphs: dict[str, int] = {}
        for css in sheets:
            glyphs |= icon_glyphs(css)
        for classes in elements:
            icons = [c for c in classes if c.startswith("fa-")]
            lacking += [f"{page.relative_to(html)}: no rule for {name}" for name in icons if name not in defined]
            if {"fab", "fa-brands", "far", "fa-regular"} & set(classes):
                continue
            for name in icons:
                if name in glyphs:
                    checked += 1
                    if glyphs[name] not in cmap:
                        lacking.append(f"{page.relative_to(html)}: {name} (U+{glyphs[name]:04X}) not in the font")
    assert not lacking, "\n".join(sorted(set(lacking)))
    assert checked > 50


def test_font_awesome_is_trimmed_to_the_books_icons(built_book: BuiltBook) -> None:
    html = built_book.html
    theme = (html / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    post = next(iter(pages(html / "book" / "posts")))
    bundle = stylesheets_of(html, post)[0].read_text(encoding="utf-8")
    assert len(re.findall(r"\.fa-[a-z0-9-]+:before", theme)) > 1000
    assert 10 < len(re.findall(r"\.fa-[a-z0-9-]+:before", bundle)) < 200
    assert "fa-solid-900.woff2" not in bundle and "bundles/fa-solid-900." not in bundle  # the subset, next to it
    assert re.search(r"url\(fa-solid-900\.[0-9a-f]+\.woff2\)", bundle)
    font = next((html / "_static" / "bundles").glob("fa-solid-900.*.woff2"))
    assert font.stat().st_size < 20_000  # the theme's is 152 KB


def test_only_pages_with_notebook_cells_load_notebook_files(built_book: BuiltBook) -> None:
    html = built_book.html
    for page in pages(html / "book"):
        cells = bool(soup(page).select(".cell"))
        scripts = [s.name for s in scripts_of(html, page)]
        inline = " ".join(s.get_text() for s in soup(page).find_all("script", src=False))
        assert ("sphinx-thebe.js" in scripts) == cells, page
        assert ("THEBE_JS_URL" in inline) == cells, page
        assert ("mystnb" in stylesheets_of(html, page)[0].read_text(encoding="utf-8")) == cells, page


def test_page_features_read_the_body() -> None:
    assert page_features(
        '<div class="highlight-python notranslate"><div class="highlight"><pre>x</pre></div></div>', False
    ) == {"code"}
    assert page_features('<div class="admonition dropdown note">x</div>', False) == {"toggle"}
    assert page_features('<div class="sd-tab-set docutils">x</div>', False) == {"design", "tabs"}
    assert page_features("<p>글</p>", True) == {"cells"}
    assert page_features('<p class="highlighted">no</p><div class="dropdown">bootstrap</div>', False) == set()


def test_a_bundle_rewritten_after_its_pages_is_reported(tmp_path: Path) -> None:
    """Bundles are made while pages are written; a file an extension rewrites later would leave
    the pages' `?v=` behind, so `refresh` (at build-finished) names every bundle that changed,
    and makes bundles only earlier builds' pages name from the current files."""
    out = tmp_path / "html"
    (out / "_static").mkdir(parents=True)
    (out / "_static" / "a.css").write_text("p { color: red }", encoding="utf-8")
    (out / "_static" / "a.js").write_text("var a = 1;", encoding="utf-8")
    assets = Assets(out, tmp_path / "cache", set())
    css, js = assets.css_bundle(["_static/a.css"]), assets.js_bundle(["_static/a.js"])
    assert assets.refresh() == []
    (out / "_static" / "a.css").write_text("p { color: blue }", encoding="utf-8")
    assert assets.refresh() == [css]
    assert "blue" in (out / css).read_text(encoding="utf-8")
    (out / "_static" / "a.js").write_text("var a = 2;", encoding="utf-8")
    later = Assets(out, tmp_path / "cache", set())  # the next build, writing no page with these
    assert later.refresh() == []
    assert "var a = 2;" in (out / js).read_text(encoding="utf-8")


def test_stock_config_leaves_out_only_the_trimming_extension() -> None:
    config = (Path(__file__).resolve().parent.parent / "_config.yml").read_text(encoding="utf-8")
    stock = page_weight.yaml.safe_load(page_weight.without_trimming(config))
    ours = page_weight.yaml.safe_load(config)
    assert "blogbook.ext.page_assets" in ours["sphinx"]["extra_extensions"]
    assert stock["sphinx"]["extra_extensions"] == [
        name for name in ours["sphinx"]["extra_extensions"] if name != "blogbook.ext.page_assets"
    ]
    assert {key: value for key, value in stock.items() if key != "sphinx"} == {
        k: v for k, v in ours.items() if k != "sphinx"
    }


# ---------------------------------------------------------------------------------------------
# a small book, built twice: a post without code, then one with code added (incremental)

PLAIN = front("[메모] 코드 없는 글", id=901, date='"2025.01.02"') + "#\n# 코드 없는 글\n\n본문만 있는 글입니다.\n"
CODE = front("[메모] 코드 있는 글", id=902, date='"2025.01.03"') + "#\n# 코드 있는 글\n\n```bash\ndocker ps\n```\n"


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = make_project(tmp_path_factory.mktemp("light") / "book")
    project.post("plain.md", PLAIN)
    result = project.convert("--no-hands-on")
    assert result.returncode == 0, result.stderr
    built = build(project.root)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    project.post("code.md", CODE)
    result = project.convert("--no-hands-on")
    assert result.returncode == 0, result.stderr
    built = build(project.root)  # incremental: the plain post's page is not rewritten
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    yield project.root / "_build" / "html"
    shutil.rmtree(project.root, ignore_errors=True)


def post_page(html: Path, title: str) -> Path:
    return next(p for p in (html / "book" / "posts").glob("*.html") if title in soup(p).title.get_text())


def test_a_post_without_code_has_no_copy_button(small_book: Path) -> None:
    plain, code = post_page(small_book, "코드 없는 글"), post_page(small_book, "코드 있는 글")
    for page, has_code in ((plain, False), (code, True)):
        assert bool(soup(page).select("div.highlight")) == has_code
        script = "\n".join(p.read_text(encoding="utf-8") for p in scripts_of(small_book, page))
        css = "\n".join(p.read_text(encoding="utf-8") for p in stylesheets_of(small_book, page))
        assert ("ClipboardJS" in script) == has_code, page
        selectors = {
            tinycss2.serialize(r.prelude).strip() for r in tinycss2.parse_stylesheet(css) if r.type == "qualified-rule"
        }
        assert ("button.copybtn" in selectors) == has_code, page  # copybutton.css's own rule
        assert ("togglebutton" in script.lower()) is False, page  # no toggles in either


def test_after_an_incremental_build_every_page_still_links_existing_assets(small_book: Path) -> None:
    for page in pages(small_book):
        for url in assets_of(page):
            target = local_target(small_book, page, url)
            assert target is None or target.is_file(), (page, url)


# ---------------------------------------------------------------------------------------------
# real Chromium


def test_a_post_page_is_within_budget_in_chromium(built_book: BuiltBook) -> None:
    """A cold post page: at most 15 requests and 200 KB gzip, images included; no request fails
    on the landing, post or search page."""
    with chromium():  # skips without Chromium, fails with CI=true
        pass
    default = page_weight.default_pages(built_book.html)
    weights = page_weight.measure_site(built_book.html, default)
    report = page_weight.report(weights)
    assert all(not w.failed for w in weights), report + "\n" + "\n".join(f for w in weights for f in w.failed)
    post = next(w for w in weights if w.page.startswith("book/posts/"))
    assert post.requests <= POST_BUDGET_REQUESTS, report
    assert post.total_gzip <= POST_BUDGET_GZIP, report
    assert post.gzipped["font"] < 20 * 1024, report


def test_page_weight_fails_on_a_broken_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with chromium():
        pass
    (tmp_path / "index.html").write_text('<!doctype html><link rel="stylesheet" href="gone.css"><p>x', encoding="utf-8")
    assert page_weight.main([str(tmp_path), "index.html"]) == 1
    assert "404 gone.css" in capsys.readouterr().err


ICON_STATE = """async () => {
  await document.fonts.ready;
  const solid = [...document.fonts].filter((f) => f.family.replaceAll('"', "") === "Font Awesome 6 Free" && f.weight === "900");
  const shown = [...document.querySelectorAll("i.fa-magnifying-glass")].filter((i) => i.getClientRects().length);
  const icon = shown[0];
  return {loaded: solid.map((f) => f.status), shown: shown.length, width: icon ? icon.getBoundingClientRect().width : 0,
          glyph: icon ? getComputedStyle(icon, "::before").content : "",
          family: icon ? getComputedStyle(icon, "::before").fontFamily : ""};
}"""


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_icons_render_and_the_controls_work(built_book: BuiltBook, screen: str) -> None:
    """On a post page: the solid icon font loads and draws the search icon; the colour-mode
    switch, the search button and the sidebar toggle still work."""
    post = "book/posts/" + sorted((built_book.html / "book" / "posts").glob("*.html"))[0].name
    with serve(built_book.html, prefix=SITE_PREFIX) as base, chromium() as browser:
        context = new_context(browser, base, **(DESKTOP if screen == "desktop" else MOBILE))
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(base + post, wait_until="load")
            page.wait_for_selector("#book-nav[data-loaded='yes']", state="attached")
            state = page.evaluate(ICON_STATE)
            assert state["loaded"] == ["loaded"] and state["width"] > 0 and state["glyph"] == '"\uf002"', state
            assert "Font Awesome 6 Free" in state["family"], state

            before = page.evaluate("document.documentElement.dataset.mode")
            page.locator(".theme-switch-button").first.click()
            assert page.evaluate("document.documentElement.dataset.mode") != before

            page.keyboard.press("Control+k")
            page.wait_for_function("document.getElementById('pst-search-dialog').open")
            page.keyboard.press("Escape")
            page.wait_for_function("!document.getElementById('pst-search-dialog').open")
            page.locator("button.search-button__button:visible").first.click()
            page.wait_for_function("document.getElementById('pst-search-dialog').open")
            page.keyboard.press("Escape")

            page.locator(".primary-toggle").first.click()
            if screen == "desktop":  # the sidebar folds away
                page.wait_for_function(
                    "getComputedStyle(document.getElementById('pst-primary-sidebar')).visibility === 'hidden'"
                )
            else:  # the sidebar opens as a dialog, the book's entries in it
                page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
                assert page.locator("#pst-primary-sidebar-modal a.reference.internal").count() > 3
            assert not errors, errors
        finally:
            context.close()


def test_the_font_subset_is_the_same_bytes_whenever_it_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean build and an incremental one (or the preview's) must write the same file: fontTools
    would stamp the subset with the time it was saved."""
    import time

    import pydata_sphinx_theme

    from blogbook.ext.page_assets import subset_font

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    source = next(theme.rglob("fa-solid-900.woff2")).read_bytes()
    monkeypatch.setattr(time, "time", lambda: 1_000_000_000.0)
    first = subset_font(source, {0xF002, 0xF0C9})
    monkeypatch.setattr(time, "time", lambda: 1_900_000_000.0)
    assert subset_font(source, {0xF002, 0xF0C9}) == first


def test_subsetting_the_font_logs_nothing_even_with_the_root_logger_at_info(caplog: pytest.LogCaptureFixture) -> None:
    """The theme's a11y_pygments sets the root logger to INFO on import; fontTools then told the
    author's terminal about every table it subset (27 lines per build)."""
    import logging

    import pydata_sphinx_theme

    from blogbook.ext.page_assets import subset_font

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    source = next(theme.rglob("fa-solid-900.woff2")).read_bytes()
    caplog.set_level(logging.INFO)
    subset_font(source, {0xF002, 0xF0C9})
    assert [record.getMessage() for record in caplog.records if record.name.startswith("fontTools")] == []
    assert logging.getLogger("fontTools").level == logging.NOTSET  # left as it was
