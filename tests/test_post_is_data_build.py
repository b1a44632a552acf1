"""A post is data, in the built book: hostile titles are text everywhere, drafts leave no trace.

One small project with a post whose title and subtitle are markup and control characters, built
with the documented commands; then the post becomes a draft and an incremental build must
remove every trace of it, as a clean build would.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import Project, build, front, make_project

pytestmark = pytest.mark.build

TITLE = "<script>alert('제목')</script> 태그의 async와 <img src=x onerror=alert(1)>"
SUBTITLE = "D:\\backup\\archive"  # in YAML double quotes: a backspace and a bell
HOSTILE = (
    front(f"[공부] {TITLE}", id=1, date='"2025.03.24"', subtitle=f'"{SUBTITLE}"')
    + "유일낱말큐브릭 이 글에만 있는 낱말입니다.\n\n"
    + "```{literalinclude} ../../../../etc/passwd\n```\n\n<script>alert(2)</script>\n"
)
OTHER = front("[공부] 다른 글", id=2, date='"2025.03.25"') + "다른 본문입니다.\n"
BRACKET = front("[메모] 괄호 이름", id=3, date='"2025.03.26"') + "괄호 이름의 글.\n"


def built(project: Project) -> Path:
    assert project.convert("--no-hands-on").returncode == 0
    result = build(project.root)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project.root / "_build" / "html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    project = make_project(tmp_path_factory.mktemp("hostile") / "p")
    project.post("hostile.md", HOSTILE)
    project.post("other.md", OTHER)
    project.post("a[1].md", BRACKET)
    return project, built(project)


def live_markup(html: str) -> list[str]:
    """Elements a hostile title or body could have made live."""
    soup = BeautifulSoup(html, "html.parser")
    found = [f"<{tag.name}>" for tag in soup.find_all("script") if "alert" in tag.get_text()]
    found += [f"<img src={tag.get('src')}>" for tag in soup.find_all("img") if tag.get("onerror")]
    return found


def test_the_title_is_text_on_every_page_that_shows_it(site: tuple[Project, Path]) -> None:
    _, html = site
    page = (html / "book" / "posts" / "hostile.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert live_markup(page) == []
    shown = " ".join(TITLE.split())
    assert soup.select_one("article.bd-article h1").get_text().rstrip("#").strip() == shown
    assert soup.select_one("#jb-print-docs-body h1").get_text() == shown  # the theme printed it raw
    assert soup.title.get_text().startswith(shown)
    assert soup.find("meta", property="og:title")["content"] == shown
    for other in ("book/index.html", "book/posts/other.html", "search.html", "genindex.html"):
        assert live_markup((html / other).read_text(encoding="utf-8")) == [], other
    nav = (html / "_static" / "book-nav.html").read_text(encoding="utf-8")
    assert live_markup(nav) == [] and shown in BeautifulSoup(nav, "html.parser").get_text()
    assert "\x08" not in page and "\x07" not in page
    assert "root:x:0:0" not in page


def test_feed_and_sitemap_parse_with_the_hostile_title(site: tuple[Project, Path]) -> None:
    _, html = site
    feed = ET.parse(html / "feed.xml").getroot()
    titles = [entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in feed]
    assert TITLE in titles
    summaries = [entry.findtext("{http://www.w3.org/2005/Atom}summary") for entry in feed]
    assert "D:ackuprchive" in summaries  # the control characters are gone, the text stays
    ET.parse(html / "sitemap.xml")


def _search_terms(html: Path) -> dict[str, object]:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return index["terms"]


def test_a_post_made_draft_leaves_no_trace_after_an_incremental_build(site: tuple[Project, Path]) -> None:
    project, html = site
    assert "유일낱말큐브릭" in _search_terms(html)
    assert (html / "_sources" / "book" / "posts" / "a[1].md").exists() or (
        html / "_sources" / "book" / "posts" / "a[1].md.txt"
    ).exists()
    project.post("hostile.md", HOSTILE.replace("id: 1", "id: 1\ndraft: true"))
    (project.root / "posts" / "a[1].md").unlink()
    html = built(project)
    gone = [
        html / "book" / "posts" / "hostile.html",
        html / "_sources" / "book" / "posts" / "hostile.md",
        html / "book" / "posts" / "a[1].html",
    ]
    assert [path for path in gone if path.exists()] == []
    assert "유일낱말큐브릭" not in _search_terms(html)
    assert (html / "book" / "posts" / "other.html").exists()
    sources = sorted(p.name for p in (html / "_sources" / "book" / "posts").iterdir())
    assert sources == ["other.md"]
    for name in ("feed.xml", "sitemap.xml", "_static/book-nav.html", "book/index.html"):
        text = (html / name).read_text(encoding="utf-8")
        assert "posts/hostile" not in text and "태그의 async와" not in text, name
        assert not re.search(r"a\[1\]|a%5B1%5D", text), name
