"""The book's Sphinx extensions, each built in-process on a tiny project under `tests/roots/`.

Every test builds a `test-<name>` root with Sphinx's own test fixtures (`make_app`/`app`,
`@pytest.mark.sphinx`), in a second or less, and reads the output back: the HTML with
BeautifulSoup, the feed and the sitemap with ElementTree. Incremental behaviour is tested the
way `jupyter-book build` meets it: a second application on the same source and output folders.
The full `jupyter-book build` runs stay in the tests marked `build`.
"""

from __future__ import annotations

import gc
import inspect
import json
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
import sphinx_external_toc.events
import sphinx_external_toc.parsing
import yaml
from bs4 import BeautifulSoup
from docutils import nodes
from hypothesis import given
from hypothesis import strategies as st
from sphinx.builders import Builder
from sphinx.errors import ConfigError, SphinxWarning
from sphinx.search import IndexBuilder
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx_external_toc.events import parse_toc_to_env

from blogbook.ext import TEMPLATES, upstream
from blogbook.ext.book_state import book_state
from blogbook.ext.shared_nav import nav_script
from blogbook.ext.upstream import UpstreamChanged
from blogbook.schema import Card

from conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/notes/"
MakeApp = Callable[..., SphinxTestApp]
"""Sphinx's `make_app` fixture: a test application per call, cleaned up after the test."""
KOREAN_POST = "posts/%EC%BB%A8%ED%85%8C%EC%9D%B4%EB%84%88.html"  # posts/컨테이너.html, encoded once


def soup(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / name).read_text(encoding="utf-8"), "html.parser")


def meta(page: BeautifulSoup, key: str) -> str | None:
    """The content of `<meta property=key>` or `<meta name=key>`, None if the page has none."""
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return None if tag is None else str(tag["content"])


def edit(path: Path, text: str) -> None:
    """Write a source as an editor would; its mtime is set exactly, as ext4's clock is coarser than Sphinx's."""
    path.write_text(text, encoding="utf-8")
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def rebuild(make_app: MakeApp, app: SphinxTestApp, **kwargs: object) -> SphinxTestApp:
    """The next build of the same project: a new application on the same source, output and doctrees.

    The previous application gives up docutils' global registries first, as its process would end.
    """
    app.cleanup()
    again = make_app(app.builder.name, srcdir=app.srcdir, freshenv=False, **kwargs)
    again.build()
    assert strip_colors(again.warning.getvalue()) == ""
    return again


def copy_root(rootdir: Path, tmp_path: Path, name: str) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(rootdir / f"test-{name}", srcdir)
    return srcdir


# post_cards ------------------------------------------------------------------------------------

CARDS = [
    Card(
        title='Kubernetes <Pod> & "Node"',
        subtitle="R&D <beta>",
        date="2025-06-03",
        category="공부",
        doc="posts/first",
        image="/static/image/cover.png",
    ),
    Card(title="Second", doc="posts/second"),
]


def landing(lines: list[str]) -> str:
    """A landing page like the converter's: a hidden toctree of the posts, then the cards."""
    block = "\n".join(lines)
    return f"# Cards\n\n```{{toctree}}\n:hidden:\n:glob:\nposts/*\n```\n\n```{{post-cards}}\n{block}\n```\n"


@pytest.mark.sphinx("html", testroot="post-cards")
def test_post_cards_render_each_json_line_as_a_card(app: SphinxTestApp) -> None:
    edit(app.srcdir / "index.md", landing([card.json_line() for card in CARDS]))
    app.build()
    assert app.warning.getvalue() == ""
    page = soup(app, "index.html")
    first, second = page.select("div.sd-row > div.sd-col > div.post-card")

    assert first.select_one(".sd-card-title").get_text(strip=True) == 'Kubernetes <Pod> & "Node"'
    assert [p.get_text() for p in first.select(".sd-card-body p.sd-card-text")] == ["R&D <beta>"]
    assert first.select_one(".sd-card-footer").get_text(strip=True) == "공부 · 2025년 6월 3일"
    link = first.select_one("a.sd-stretched-link")
    assert link["href"] == "posts/first.html"
    assert link.get_text() == 'Kubernetes <Pod> & "Node"'
    image = first.select_one("img.sd-card-img-top")
    assert image["src"] == "_images/cover.png"
    assert image["alt"] == ""  # decorative: the card's title follows it
    assert (app.outdir / "_images" / "cover.png").read_bytes() == (app.srcdir / "static/image/cover.png").read_bytes()
    raw = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Kubernetes &lt;Pod&gt; &amp; &quot;Node&quot;</div>" in raw  # escaped once, not twice
    assert '<p class="sd-card-text">R&amp;D &lt;beta&gt;</p>' in raw

    assert second.select_one(".sd-card-title").get_text(strip=True) == "Second"
    assert second.select_one("a.sd-stretched-link")["href"] == "posts/second.html"
    assert second.select_one("img") is None
    assert second.select(".sd-card-body p") == []


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        pytest.param(
            [CARDS[1].json_line(), "{not json", CARDS[0].json_line()],
            "post-cards line 2: Expecting property name enclosed in double quotes",
            id="malformed",
        ),
        pytest.param(
            [CARDS[0].json_line(), CARDS[1].json_line(), '{"title": "T", "doc": "posts/first", "colour": "red"}'],
            "post-cards line 3: unknown card field(s): colour",
            id="unknown-field",
        ),
        pytest.param(
            [CARDS[0].json_line(), '{"title": "T"}'], "post-cards line 2: a card needs a title and a doc", id="no-doc"
        ),
    ],
)
def test_a_bad_card_line_fails_the_build_naming_the_line(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, lines: list[str], message: str
) -> None:
    """With `-W`, as the book builds, the line of the block (its directive is at index.md:9) is named."""
    srcdir = copy_root(rootdir, tmp_path, "post-cards")
    (srcdir / "index.md").write_text(landing(lines), encoding="utf-8")
    app = make_app("html", srcdir=srcdir, warningiserror=True)
    with pytest.raises(SphinxWarning) as failure:
        app.build()
    assert "index.md:9" in str(failure.value)
    assert message in str(failure.value)


# post_feed -------------------------------------------------------------------------------------


def feed(app: SphinxTestApp) -> ET.Element:
    return ET.fromstring((app.outdir / "feed.xml").read_bytes())


@pytest.mark.sphinx("html", testroot="posts")
def test_the_feed_lists_posts_newest_first_with_absolute_links(app: SphinxTestApp) -> None:
    app.build()
    root = feed(app)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "공부 노트 & <Co>"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "feed.xml"
    assert root.findtext(f"{ATOM}updated") == "2025-03-24T00:00:00+09:00"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Vectors <T> & co", "컨테이너 정리", "Old post"]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        BASE + "posts/new.html",
        BASE + KOREAN_POST,
        BASE + "posts/old.html",
    ]
    assert [e.findtext(f"{ATOM}id") for e in entries] == [e.find(f"{ATOM}link").get("href") for e in entries]
    assert [e.findtext(f"{ATOM}published") for e in entries] == [
        "2025-03-24T00:00:00+09:00",
        "2024-06-01T00:00:00+09:00",
        "2024-01-05T00:00:00+09:00",
    ]
    newest = entries[0]
    assert newest.findtext(f"{ATOM}summary") == 'R&D <beta> "quoted"'
    assert newest.find(f"{ATOM}category").get("term") == "공부"
    assert entries[2].find(f"{ATOM}summary") is None
    assert b"<title>Vectors &lt;T&gt; &amp; co</title>" in (app.outdir / "feed.xml").read_bytes()


@pytest.mark.sphinx("html", testroot="posts")
def test_every_page_links_the_feed_in_its_head(app: SphinxTestApp) -> None:
    app.build()
    pages = sorted(path.relative_to(app.outdir).as_posix() for path in app.outdir.rglob("*.html"))
    assert {"index.html", "about.html", "posts/new.html", "genindex.html", "search.html"} <= set(pages)
    for name in pages:
        links = soup(app, name).head.find_all("link", type="application/atom+xml")
        expected = "../feed.xml" if name.startswith("posts/") else "feed.xml"
        assert [(link["rel"], link["href"], link["title"]) for link in links] == [
            (["alternate"], expected, "공부 노트 & <Co>")
        ], name
    raw = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'title="공부 노트 &amp; &lt;Co&gt;" href="feed.xml"' in raw


@pytest.mark.sphinx(
    "html",
    testroot="posts",
    srcdir="posts-settings",
    confoverrides={"blogbook_timezone": "-05:00", "blogbook_locale": "en_US"},
)
def test_the_feed_uses_the_configured_timezone(app: SphinxTestApp) -> None:
    app.build()
    root = feed(app)
    assert root.findtext(f"{ATOM}updated") == "2025-03-24T00:00:00-05:00"
    stamps = [e.findtext(f"{ATOM}{tag}") for e in root.findall(f"{ATOM}entry") for tag in ("updated", "published")]
    assert len(stamps) == 6
    assert all(stamp.endswith("T00:00:00-05:00") for stamp in stamps), stamps


@pytest.mark.sphinx("html", testroot="posts", srcdir="posts-incremental")
def test_feed_and_sitemap_stay_complete_after_an_incremental_build(app: SphinxTestApp, make_app: MakeApp) -> None:
    app.build()
    edit(app.srcdir / "posts/old.md", '---\npost_date: "2024-01-05"\n---\n\n# Old post, retitled\n\nEdited.\n')
    again = rebuild(make_app, app)
    assert "writing output... [100%] posts/old" in strip_colors(again.status.getvalue())
    titles = [e.findtext(f"{ATOM}title") for e in feed(again).findall(f"{ATOM}entry")]
    assert titles == ["Vectors <T> & co", "컨테이너 정리", "Old post, retitled"]
    sitemap = ET.fromstring((again.outdir / "sitemap.xml").read_bytes())
    assert len(sitemap.findall(f"{SITEMAP}url")) == 5


# sitemap ---------------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="posts")
def test_the_sitemap_lists_every_document_and_dates_only_posts(app: SphinxTestApp) -> None:
    app.build()
    urlset = ET.fromstring((app.outdir / "sitemap.xml").read_bytes())
    assert urlset.tag == f"{SITEMAP}urlset"
    urls = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in urlset}
    assert urls == {
        BASE + "about.html": None,
        BASE + "index.html": None,
        BASE + "posts/new.html": "2025-03-24",
        BASE + "posts/old.html": "2024-01-05",
        BASE + KOREAN_POST: "2024-06-01",
    }


# social_cards ----------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="posts")
def test_a_post_gets_its_card_tags_escaped_once(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "posts/new.html")
    assert meta(page, "og:title") == "Vectors <T> & co"
    assert meta(page, "twitter:title") == "Vectors <T> & co"
    assert meta(page, "og:description") == 'R&D <beta> "quoted"'
    assert meta(page, "og:url") == BASE + "posts/new.html"
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:site_name") == "공부 노트 & <Co>"
    assert meta(page, "og:locale") == "ko_KR"
    assert meta(page, "article:published_time") == "2025-03-24"
    assert meta(page, "og:image") == BASE + "_images/cover.png"
    assert meta(page, "twitter:image") == BASE + "_images/cover.png"
    assert meta(page, "twitter:card") == "summary_large_image"
    raw = (app.outdir / "posts/new.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="Vectors &lt;T&gt; &amp; co" />' in raw


@pytest.mark.sphinx("html", testroot="posts")
def test_a_page_that_is_not_a_post_gets_a_card_from_its_first_paragraph(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "about.html")
    assert meta(page, "og:title") == "About"
    assert meta(page, "og:url") == BASE + "about.html"
    assert meta(page, "og:type") == "website"
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "og:description") == meta(page, "twitter:description") == "A page that is not a post."
    assert meta(page, "og:image") is None
    assert meta(soup(app, "posts/old.html"), "og:image") is None  # a post without a thumbnail
    assert meta(soup(app, "search.html"), "og:title") is None  # no document, no card


@pytest.mark.sphinx(
    "html",
    testroot="posts",
    srcdir="posts-settings",
    confoverrides={"blogbook_timezone": "-05:00", "blogbook_locale": "en_US"},
)
def test_og_locale_comes_from_blogbook_locale(app: SphinxTestApp) -> None:
    app.build()
    assert meta(soup(app, "posts/new.html"), "og:locale") == "en_US"
    assert meta(soup(app, "about.html"), "og:locale") == "en_US"


# section_ids -----------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="section-ids")
def test_korean_headings_get_their_slug_as_section_id(app: SphinxTestApp) -> None:
    app.build()
    page = soup(app, "index.html")
    ids = {section["id"]: section.find(["h1", "h2"]).get_text().rstrip("¶") for section in page.find_all("section")}
    assert ids == {
        "문서": "문서",
        "컨테이너의-개념": "컨테이너의 개념",
        "개념": "개념",
        "개념-1": "개념",
        "plain-heading": "Plain heading",
    }
    links = [a["href"] for a in soup(app, "other.html").select("p a.reference")]
    assert links == ["index.html#컨테이너의-개념", "index.html#개념-1"]
    anchors = [ref["anchorname"] for ref in app.env.tocs["index"].findall(nodes.reference)]
    assert "#컨테이너의-개념" in anchors


# removed_pages + book_state ------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="removed-pages", srcdir="removed-pages-names")
def test_removed_pages_lose_their_html_and_source_copy(app: SphinxTestApp, make_app: MakeApp) -> None:
    app.build()
    out = app.outdir
    for name in ("a", "c[1]", "c1", "도커", "v1", "v1.2"):
        assert (out / f"posts/{name}.html").is_file()
        assert (out / f"_sources/posts/{name}.md.txt").is_file()
    assert "zebrafish" in (out / "searchindex.js").read_text(encoding="utf-8")
    (app.srcdir / "posts/c[1].md").unlink()  # as a glob, `c[1].*` matches its sibling `c1.md.txt`
    (app.srcdir / "posts/도커.md").unlink()
    rebuild(make_app, app)
    assert "zebrafish" not in (out / "searchindex.js").read_text(encoding="utf-8")  # its words go with it
    for name in ("c[1]", "도커"):
        assert not (out / f"posts/{name}.html").exists(), name
        assert not (out / f"_sources/posts/{name}.md.txt").exists(), name
    for name in ("a", "c1", "v1", "v1.2"):
        assert (out / f"posts/{name}.html").is_file(), name
        assert (out / f"_sources/posts/{name}.md.txt").is_file(), name


@pytest.mark.sphinx("html", testroot="removed-pages", srcdir="removed-pages-dotted")
def test_removing_a_page_keeps_the_source_copy_of_a_dotted_sibling(app: SphinxTestApp, make_app: MakeApp) -> None:
    app.build()
    (app.srcdir / "posts/v1.md").unlink()  # `posts/v1.*` also matches `posts/v1.2.md.txt`
    rebuild(make_app, app)
    assert not (app.outdir / "_sources/posts/v1.md.txt").exists()
    assert (app.outdir / "posts/v1.2.html").is_file()
    assert (app.outdir / "_sources/posts/v1.2.md.txt").is_file()


@pytest.mark.sphinx("html", testroot="removed-pages", srcdir="removed-pages-back")
def test_a_page_removed_then_added_back_keeps_its_html(app: SphinxTestApp, make_app: MakeApp) -> None:
    app.build()
    source = app.srcdir / "posts/a.md"
    text = source.read_text(encoding="utf-8")
    source.unlink()
    rebuild(make_app, app)
    assert not (app.outdir / "posts/a.html").exists()
    edit(source, text)
    rebuild(make_app, app)
    assert soup(app, "posts/a.html").h1.get_text().rstrip("¶") == "Page a"
    assert (app.outdir / "_sources/posts/a.md.txt").read_text(encoding="utf-8") == text


@pytest.mark.sphinx("html", testroot="shared-nav")
def test_book_domain_merges_only_the_given_pages(app: SphinxTestApp) -> None:
    app.build()
    state = book_state(app.env)
    assert state.visible_toctrees == {"posts/c"}  # the one page whose toctree shows (_toc.yml: hidden: false)
    assert state.neighbours["posts/b"] == ("posts/a", "Post a", "posts/c", "Post c")
    assert state.removed == set()
    other = {"visible_toctrees": {"posts/a", "posts/b"}, "neighbours": {"x": (None, "", None, "")}, "removed": {"x"}}
    state.merge_domaindata(["posts/a", "posts/d"], other)
    assert state.visible_toctrees == {"posts/a", "posts/c"}
    assert "x" not in state.neighbours
    assert state.removed == set()
    state.clear_doc("posts/c")
    assert state.visible_toctrees == {"posts/a"}


# shared_nav ------------------------------------------------------------------------------------

NAV_PAGES = ["intro.html", "posts/a.html", "posts/b.html", "posts/c.html", "posts/d.html", "posts/e.html"]


def written(app: SphinxTestApp, before: dict[str, int]) -> set[str]:
    return {name for name in NAV_PAGES if (app.outdir / name).stat().st_mtime_ns != before[name]}


def mtimes(app: SphinxTestApp) -> dict[str, int]:
    return {name: (app.outdir / name).stat().st_mtime_ns for name in NAV_PAGES}


def script_payload(script: str) -> str:
    """The HTML a `book-nav-data.js` hands over, read the way a browser would: one JSON string."""
    prefix = "window.bookNavHtml = "
    line = next(line for line in script.splitlines() if line.startswith(prefix))
    assert line.endswith(";")
    return json.loads(line.removeprefix(prefix).removesuffix(";"))


def assert_both_navs_agree(app: SphinxTestApp) -> str:
    """The script for pages opened from disk holds exactly the HTML that served pages fetch."""
    html = (app.outdir / "_static/book-nav.html").read_text(encoding="utf-8")
    script = (app.outdir / "_static/book-nav-data.js").read_text(encoding="utf-8")
    assert script_payload(script) == html
    assert "<" not in script.split("\n", 1)[1], "no markup character raw in the script"
    return html


def test_the_nav_script_keeps_a_title_that_ends_scripts_as_data() -> None:
    html = '<a href="posts/x.html">&lt;/script&gt;</a><p>\u2028</script><!--\u2029 & done</p>'
    script = nav_script(html)
    assert script_payload(script) == html
    body = script.split("\n", 1)[1]
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in body, f"{raw!r} raw in the script"


def prev_next(app: SphinxTestApp, name: str) -> tuple[str | None, str | None]:
    """The titles the theme's previous/next links at the foot of a page show."""
    page = soup(app, name)
    prev, nxt = (page.select_one(f"a.{side} .prev-next-title") for side in ("left-prev", "right-next"))
    return (prev and prev.get_text(), nxt and nxt.get_text())


@pytest.mark.sphinx("html", testroot="shared-nav", srcdir="shared-nav-neighbours")
def test_retitling_a_page_rewrites_its_neighbours_and_the_shared_nav(app: SphinxTestApp, make_app: MakeApp) -> None:
    app.build()
    nav = soup(app, "_static/book-nav.html")
    assert nav.select_one(".caption-text").get_text() == "공부 & <메모>"
    entries = [(a["href"], a.get_text()) for a in nav.select("li a")]
    assert entries == [(f"posts/{n}.html", f"Post {n}") for n in "abcde"]
    assert [li["class"] for li in nav.select("ul.bd-sidenav > li")][2] == ["toctree-l1", "has-children"]
    assert [s["aria-label"] for s in nav.select("summary")] == ["Post c 하위 목록 펼치기/접기"]  # axe: summary-name
    assert_both_navs_agree(app)
    page = soup(app, "posts/a.html")  # the page carries a pointer to the file, not the table of contents
    assert page.select_one("#book-nav")["data-nav"] == "../_static/book-nav.html"
    assert [a["href"] for a in page.select("nav.bd-docs-nav a")] == ["../intro.html"]
    assert prev_next(app, "posts/a.html") == ("Intro", "Post b")
    nav_files = [app.outdir / "_static" / name for name in ("book-nav.html", "book-nav-data.js")]
    stamps = [path.stat().st_mtime_ns for path in nav_files]
    app = rebuild(make_app, app)  # nothing changed: neither file is written again
    assert [path.stat().st_mtime_ns for path in nav_files] == stamps

    before = mtimes(app)
    edit(app.srcdir / "posts/b.md", "# B & \\<new\\>\n\nBody of b.\n")
    again = rebuild(make_app, app)
    assert written(again, before) == {"posts/a.html", "posts/b.html", "posts/c.html"}  # not the landing page
    assert prev_next(again, "posts/a.html") == ("Intro", "B & <new>")
    assert prev_next(again, "posts/c.html") == ("B & <new>", "Post d")
    raw = assert_both_navs_agree(again)  # the script for pages opened from disk follows the rebuild
    assert '<a class="reference internal" href="posts/b.html">B &amp; &lt;new&gt;</a>' in raw
    assert '<span class="caption-text">공부 &amp; &lt;메모&gt;</span>' in raw


@pytest.mark.sphinx("html", testroot="shared-nav", srcdir="shared-nav-toctree")
def test_a_page_showing_a_toctree_is_rewritten_when_a_child_is_retitled(app: SphinxTestApp, make_app: MakeApp) -> None:
    app.build()
    before = mtimes(app)
    edit(app.srcdir / "posts/e.md", "# Post e, retitled\n\nBody of e.\n")
    again = rebuild(make_app, app)
    # c shows e in its body; d links e as next; the landing page's toctree is hidden
    assert written(again, before) == {"posts/c.html", "posts/d.html", "posts/e.html"}
    listed = [a.get_text() for a in soup(again, "posts/c.html").select(".toctree-wrapper a")]
    assert listed == ["Post d", "Post e, retitled"]
    assert prev_next(again, "posts/d.html") == ("Post c", "Post e, retitled")


@pytest.mark.sphinx("html", testroot="shared-nav", srcdir="shared-nav-landing")
def test_retitling_the_landing_page_updates_every_pages_home_link(app: SphinxTestApp, make_app: MakeApp) -> None:
    app.build()
    edit(app.srcdir / "intro.md", "# Landing, retitled\n\nThe landing page.\n")
    again = rebuild(make_app, app)
    home_links = {
        name: [a.get_text(strip=True) for a in soup(again, name).select("nav.bd-docs-nav a")] for name in NAV_PAGES
    }
    assert home_links == {name: ["Landing, retitled"] for name in NAV_PAGES}


# site_address ----------------------------------------------------------------------------------


def not_found_links(app: SphinxTestApp) -> dict[str, str]:
    body = soup(app, "404.html")
    return {a.get_text(): a["href"] for a in body.find_all("a") if a.get_text() in ("첫 페이지", "검색")}


@pytest.mark.sphinx("html", testroot="site-address")
def test_the_404_page_links_root_doc_under_the_site_path(app: SphinxTestApp) -> None:
    app.build()
    assert app.config.root_doc == "home"
    assert not_found_links(app) == {"첫 페이지": "/notes/home.html", "검색": "/notes/search.html"}
    feed_link = soup(app, "404.html").head.find("link", type="application/atom+xml")
    assert feed_link["href"] == "/notes/feed.xml"  # served at any depth: the feed link is absolute too


def test_the_environment_gives_the_site_and_repository_address_for_one_build(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the Pages workflow does: the 404 page and the feed follow the address given."""
    monkeypatch.setenv("BLOGBOOK_SITE_URL", "https://fork.github.io/other-book")
    monkeypatch.setenv("BLOGBOOK_REPOSITORY_URL", "https://github.com/fork/other-book")
    srcdir = tmp_path / "site"
    shutil.copytree(rootdir / "test-site-address", srcdir)
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.config.html_baseurl == "https://fork.github.io/other-book/"
    assert app.config.html_theme_options["repository_url"] == "https://github.com/fork/other-book"
    assert not_found_links(app)["첫 페이지"] == "/other-book/home.html"


@pytest.mark.parametrize("value", ["fork.github.io/book", "ftp://x/", "javascript:alert(1)"])
def test_a_site_address_that_is_not_a_web_address_stops_the_build(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BLOGBOOK_SITE_URL", value)
    srcdir = tmp_path / "site"
    shutil.copytree(rootdir / "test-site-address", srcdir)
    with pytest.raises(ConfigError, match=r"BLOGBOOK_SITE_URL=.*expected an http"):
        make_app("html", srcdir=srcdir)


def test_the_placeholder_address_is_named_in_one_line(
    make_app: MakeApp,
    rootdir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On stderr, so a quiet build (`make book`) shows it too, and never a warning that `-W` would fail."""
    monkeypatch.delenv("BLOGBOOK_SITE_URL", raising=False)
    srcdir = tmp_path / "site"
    shutil.copytree(rootdir / "test-site-address", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"blogbook_address_is_placeholder": True})
    assert "placeholder" not in app.warning.getvalue()
    lines = [line for line in capsys.readouterr().err.splitlines() if "placeholder" in line]
    assert lines == [
        "site address: https://example.org/notes/ is a placeholder; the feed, sitemap, social cards and 404 page"
        " point there (set html.baseurl in _config.yml, or BLOGBOOK_SITE_URL for one build)"
    ]


@pytest.mark.sphinx("html", testroot="shared-nav")
def test_the_404_page_links_the_root_that_toc_yml_names(app: SphinxTestApp) -> None:
    app.build()
    assert app.config.root_doc == "intro"  # set by sphinx-external-toc from `_toc.yml`, before site_address reads it
    assert not_found_links(app)["첫 페이지"] == "/notes/intro.html"


# settings --------------------------------------------------------------------------------------


def book_extensions() -> list[str]:
    """The book's own extensions as `_config.yml` loads them, less `build_speed` (it patches the process)."""
    listed = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["extra_extensions"]
    return [name for name in listed if name.startswith("blogbook.") and name != "blogbook.ext.build_speed"]


@pytest.mark.sphinx(
    "html",
    testroot="shared-nav",
    srcdir="shared-nav-settings",
    confoverrides={"extensions": ["myst_parser", "sphinx_design", "sphinx_external_toc", *book_extensions()]},
)
def test_blogbook_settings_are_registered_with_a_description(app: SphinxTestApp) -> None:
    assert "blogbook.ext.post_feed" in app.extensions
    values = app.config.values
    ours = {name: values[name] for name in values if name.startswith("blogbook_")}
    assert {"blogbook_timezone", "blogbook_locale"} <= set(ours)
    assert ours["blogbook_timezone"].default == "+09:00"
    assert ours["blogbook_locale"].default == "ko_KR"
    assert "UTC offset" in ours["blogbook_timezone"].description
    assert "og:locale" in ours["blogbook_locale"].description
    for name, option in ours.items():
        assert option.rebuild == "html", name
        assert len(option.description) > 20, name


# upstream --------------------------------------------------------------------------------------


def one_line(error: UpstreamChanged, patch: str) -> str:
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"blogbook: cannot apply {patch}: ")
    return message


def quick_parse(app: object, config: object) -> None:
    """A stand-in for the replacement handler."""


@pytest.mark.sphinx("html", testroot="minimal")
def test_replace_listener_stops_when_the_handler_is_not_registered(app: SphinxTestApp) -> None:
    with pytest.raises(UpstreamChanged) as failure:
        upstream.replace_listener(app, "config-inited", parse_toc_to_env, quick_parse)
    message = one_line(failure.value, "the config-inited handler swap")
    assert "parse_toc_to_env is registered 0 times" in message


def test_replace_listener_stops_without_a_listeners_table() -> None:
    app = SimpleNamespace(events=SimpleNamespace())
    with pytest.raises(UpstreamChanged) as failure:
        upstream.replace_listener(app, "config-inited", parse_toc_to_env, quick_parse)
    assert "EventManager has no listeners table" in one_line(failure.value, "the config-inited handler swap")


@pytest.mark.sphinx("html", testroot="shared-nav")
def test_replace_listener_swaps_the_handler_in_place(app: SphinxTestApp) -> None:
    listeners = app.events.listeners["config-inited"]
    index = next(i for i, listener in enumerate(listeners) if listener.handler is parse_toc_to_env)
    before = listeners[index]
    upstream.replace_listener(app, "config-inited", parse_toc_to_env, quick_parse)
    assert listeners[index] == before._replace(handler=quick_parse)
    assert not any(listener.handler is parse_toc_to_env for listener in listeners)


def test_replace_toc_reader_stops_when_parse_toc_yaml_was_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sphinx_external_toc.events, "parse_toc_yaml", lambda path: None)
    with pytest.raises(UpstreamChanged) as failure:
        upstream.replace_toc_reader(lambda path: None)
    assert "no longer calls parse_toc_yaml" in one_line(failure.value, "the toc reader")


def test_replace_toc_reader_swaps_upstreams_reader_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sphinx_external_toc.events, "parse_toc_yaml", sphinx_external_toc.parsing.parse_toc_yaml)

    def reader(path: object) -> None:
        return None

    upstream.replace_toc_reader(reader)
    assert sphinx_external_toc.events.parse_toc_yaml is reader
    upstream.replace_toc_reader(reader)  # loading the extension twice is fine
    assert sphinx_external_toc.events.parse_toc_yaml is reader


def test_the_build_stops_when_a_patch_no_longer_fits(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading `build_speed` against a moved toc reader fails the start-up with the one-line error."""
    monkeypatch.setattr(sphinx_external_toc.events, "parse_toc_yaml", lambda path: None)
    srcdir = copy_root(rootdir, tmp_path, "shared-nav")
    extensions = ["myst_parser", "blogbook.ext.build_speed", "blogbook.ext.shared_nav"]
    collecting = gc.isenabled()
    try:
        with pytest.raises(UpstreamChanged, match="cannot apply the toc reader"):
            make_app("html", srcdir=srcdir, confoverrides={"extensions": extensions})
    finally:
        if collecting:  # build_speed pauses the collector until the builder exists, which it never will here
            gc.enable()


def test_search_pruning_stops_when_index_builder_prune_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    def prune(self: IndexBuilder, docnames: object, keep_words: bool) -> None:
        """IndexBuilder.prune with another signature."""

    monkeypatch.setattr(IndexBuilder, "prune", prune)
    with pytest.raises(UpstreamChanged) as failure:
        upstream.prune_search_terms_completely()
    assert "IndexBuilder.prune takes other arguments" in one_line(failure.value, "the search index pruning")
    assert IndexBuilder.prune is prune


WRITE_SOURCE = inspect.getsource(Builder.write)


def write_without_root(self: Builder, build_docnames: object, updated_docnames: object, method: str = "update") -> None:
    """Builder.write as a future Sphinx might have it: no root page added."""


def write_without_method(self: Builder, build_docnames: object, updated_docnames: object) -> None:
    """Builder.write with another signature."""


@pytest.mark.parametrize(
    ("write", "source", "changed"),
    [
        pytest.param(write_without_root, None, "'files_to_rebuild', 'docnames.add(self.config.root_doc)'", id="lines"),
        pytest.param(
            write_without_method, WRITE_SOURCE, "['self', 'build_docnames', 'updated_docnames']", id="signature"
        ),
    ],
)
@pytest.mark.sphinx("html", testroot="minimal")
def test_before_prepare_writing_stops_when_builder_write_changed(
    app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch, write: object, source: str | None, changed: str
) -> None:
    monkeypatch.setattr(Builder, "write", write)
    if source is not None:  # the lines are still there, only the signature moved
        monkeypatch.setattr(upstream.inspect, "getsource", lambda obj: source)
    with pytest.raises(UpstreamChanged) as failure:
        upstream.before_prepare_writing(app.builder, lambda docnames, asked: None)
    message = one_line(failure.value, "the page-writing scope")
    assert "Builder.write changed" in message
    assert changed in message
    assert "write" not in vars(app.builder)  # the builder is left as it was


def test_template_copies_must_match_the_themes_own(tmp_path: Path) -> None:
    """The theme's templates changing under our trimmed copies stops the build with one line."""
    upstream.check_template_copies(TEMPLATES)
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    macros = copy / "static" / "webpack-macros.html"
    macros.write_text(macros.read_text(encoding="utf-8").replace("bootstrap.js", "bootstrap2.js"), encoding="utf-8")
    with pytest.raises(upstream.UpstreamChanged, match=r"theme's webpack-macros\.html changed") as caught:
        upstream.check_template_copies(copy)
    assert "\n" not in str(caught.value)


@pytest.mark.sphinx("html", testroot="post-guard")
def test_the_build_refuses_directives_and_roles_in_generated_post_pages(app: SphinxTestApp) -> None:
    """Belt and braces: should a generated page ever hold a directive or role the converter did
    not write, it is one error line each and the page keeps only its title."""
    app.build()
    warnings = strip_colors(app.warning.getvalue()).splitlines()
    assert warnings == [
        f"{app.srcdir / 'posts' / 'hostile.md'}:8: ERROR: a generated post page may not run directive"
        " {literalinclude}; the converter never writes one (edit the post, not the page)",
        f"{app.srcdir / 'posts' / 'hostile.md'}:11: ERROR: a generated post page may not run role"
        " {download}; the converter never writes one (edit the post, not the page)",
    ]
    hostile = soup(app, "posts/hostile.html").select_one("article, .body, body")
    assert "project = " not in hostile.get_text() and "Read" not in hostile.get_text()
    assert hostile.find("h1").get_text().rstrip("#¶ ").strip() == "Hostile"
    assert not (app.outdir / "_downloads").exists()
    clean = soup(app, "posts/clean.html").get_text()
    assert "{{ .Values.image.tag }}" in clean and "{download}" in clean
    assert "{sub-ref}" not in soup(app, "hand-written.html").get_text()  # hand-written pages are not guarded


@given(
    st.lists(
        st.sampled_from(
            ["```", ":::", "{", "}", "`", "\\", "\n", " ", "include", "image", "download", "x", "- ", "> "]
        ),
        max_size=30,
    ).map("".join)
)
def test_the_guards_quick_look_never_misses_what_the_parser_would_refuse(text: str) -> None:
    """Pages skip the second parse when `may_run_something` says so: it must never be wrong."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    from blogbook.ext.post_guard import may_run_something, refused

    md = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "attrs_inline"}), RendererHTML)
    if list(refused(md, text)):
        assert may_run_something(text)


@pytest.mark.sphinx("html", testroot="minimal", confoverrides={"extensions": ["myst_parser", "blogbook.ext.image_alt"]})
def test_an_image_without_alt_text_is_a_warning_on_its_page(app: SphinxTestApp) -> None:
    """docutils would write the file path as the alt text; `alt=""` (decorative) is a choice and passes."""
    (app.srcdir / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    edit(
        app.srcdir / "index.md",
        "# 그림\n\n```{image} a.png\n```\n\n```{image} a.png\n:alt:\n```\n\n![도표](a.png)\n",
    )
    app.build()
    warnings = [line for line in app.warning.getvalue().splitlines() if "WARNING" in line]
    assert len(warnings) == 1, warnings
    assert re.search(r"index\.md:\d+: WARNING: image without alt text", warnings[0])
    assert [img["alt"] for img in soup(app, "index.html").select("img")][1:] == ["", "도표"]
