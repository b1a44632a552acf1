"""What hosting needs: the Pages workflow, sitemap, feed, social cards, 404 page, live preview."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from test_build import DRAFTS, PUBLISHED, all_pages, bare_title

from conftest import COPY_IGNORE, ROOT, BuiltBook, build, convert

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
BASE_URL = CONFIG["html"]["baseurl"]
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOT_CONTENT = {"index.html", "genindex.html", "search.html", "404.html"}  # index.html: the redirect


def post_url(stem: str) -> str:
    return f"{BASE_URL}book/posts/{stem}.html"


def test_base_url_is_absolute_and_set_once() -> None:
    parts = urlsplit(BASE_URL)
    assert parts.scheme == "https" and parts.netloc and BASE_URL.endswith("/")
    code = sorted((ROOT / "scripts" / "blogbook").rglob("*.py"))
    assert len(code) > 20
    mentions = [p for p in code if parts.netloc in p.read_text(encoding="utf-8")]
    assert not mentions, "the address lives in _config.yml only"


def test_workflow_builds_then_deploys() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert "main" in triggers["push"]["branches"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    commands = "\n".join(step.get("run", "") for step in build["steps"])
    assert "scripts/convert.py --check" in commands
    assert "make test" in commands
    assert re.search(r"jupyter-book build \. -W", commands)
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    strict = next(s for s in build["steps"] if "jupyter-book build" in s.get("run", ""))
    pages = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages@"))
    assert build["steps"].index(pages) < build["steps"].index(strict), "the address is known before the build"
    assert strict["env"]["BLOGBOOK_SITE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}"
    assert "github.repository" in strict["env"]["BLOGBOOK_REPOSITORY_URL"]
    tests = next(s for s in build["steps"] if "make test" in s.get("run", ""))
    assert "BLOGBOOK_SITE_URL" not in tests.get("env", {}), "the tests check the committed address"
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert build["steps"].index(cache) < build["steps"].index(strict)
    assert {"_build", ".cache"} <= set(cache["with"]["path"].split())
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_sitemap_lists_every_page_and_no_draft(built_book: BuiltBook) -> None:
    tree = ET.parse(built_book.html / "sitemap.xml")
    urls = [loc.text or "" for loc in tree.getroot().iter(f"{SITEMAP}loc")]
    for stem in PUBLISHED:
        assert post_url(stem) in urls
    assert f"{BASE_URL}book/index.html" in urls
    for stem in DRAFTS:
        assert not any(stem in url for url in urls)
    assert all(url.startswith(BASE_URL) for url in urls)
    listed = {unquote(url.removeprefix(BASE_URL)) for url in urls}
    content = {page.relative_to(built_book.html).as_posix() for page in all_pages(built_book)} - NOT_CONTENT
    assert listed == content, "every content page, hands-on ones too, and nothing else"
    lastmod = {(url.findtext(f"{SITEMAP}loc") or ""): url.findtext(f"{SITEMAP}lastmod") for url in tree.getroot()}
    for stem in PUBLISHED:
        assert lastmod[post_url(stem)] == _date_of(stem), stem
    assert lastmod[f"{BASE_URL}book/index.html"] is None


def test_feed_lists_posts_newest_first(built_book: BuiltBook) -> None:
    root = ET.parse(built_book.html / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        bare_title(stem) for stem in sorted(PUBLISHED, key=_date_of, reverse=True)
    ]
    dates = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert dates == sorted(dates, reverse=True)
    for entry, stem in zip(entries, sorted(PUBLISHED, key=_date_of, reverse=True), strict=True):
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href") == post_url(stem)
        assert entry.findtext(f"{ATOM}summary")
        assert entry.findtext(f"{ATOM}updated") == f"{_date_of(stem)}T00:00:00+09:00"


def _date_of(stem: str) -> str:
    from test_build import SOURCES

    raw = SOURCES[stem]["date"]
    text = raw.isoformat() if hasattr(raw, "isoformat") else str(raw)
    year, month, day = re.split(r"[.\-/]", text)[:3]
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def test_every_page_links_the_feed(built_book: BuiltBook) -> None:
    pages = [page for page in all_pages(built_book) if page != built_book.html / "index.html"]  # a redirect
    assert len(pages) > len(PUBLISHED) + 4  # the posts, the hands-on pages, search, index, 404
    for file in pages:
        link = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").select_one(
            'head link[rel="alternate"][type="application/atom+xml"]'
        )
        assert link is not None
        href = str(link["href"])
        # 404.html is served at any depth, so its links are absolute under the site's path.
        target = (
            built_book.html / href.removeprefix(urlsplit(BASE_URL).path) if href.startswith("/") else file.parent / href
        )
        assert target.resolve() == (built_book.html / "feed.xml").resolve(), file


@pytest.mark.parametrize("stem", PUBLISHED)
def test_post_carries_card_tags_with_absolute_urls(built_book: BuiltBook, stem: str) -> None:
    from test_build import SOURCES

    head = BeautifulSoup(
        (built_book.html / "book" / "posts" / f"{stem}.html").read_text(encoding="utf-8"), "html.parser"
    )

    def meta(key: str) -> str:
        tag = head.select_one(f'meta[property="{key}"], meta[name="{key}"]')
        assert tag is not None, key
        return str(tag["content"])

    assert meta("og:title") == bare_title(stem)
    assert meta("og:url") == post_url(stem)
    assert meta("og:description") == str(SOURCES[stem]["subtitle"])
    assert meta("twitter:card") == "summary_large_image"
    image = meta("og:image")
    assert image.startswith(BASE_URL) and meta("twitter:image") == image
    copied = built_book.html / image.removeprefix(BASE_URL)
    assert copied.is_file()
    original = ROOT / "static" / "image" / str(SOURCES[stem]["thumbnail"])
    assert copied.read_bytes() == original.read_bytes()


def test_favicon_is_linked_and_shipped(built_book: BuiltBook) -> None:
    index = built_book.html / "book" / "index.html"
    icon = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").select_one('link[rel="icon"]')
    assert icon is not None and (index.parent / icon["href"]).resolve().is_file()


@pytest.mark.build
def test_korean_file_names_get_single_encoded_urls(tmp_path: Path) -> None:
    """Page URIs arrive from Sphinx already percent-encoded; they must not be encoded twice."""
    root = tmp_path / "book"
    shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
    (root / "posts" / "도커-기초.md").write_text(
        '---\nid: 777\ntitle: "[공부] 한글 파일 이름"\nsubtitle: "주소에 한글"\ndate: "2025.08.01"\n'
        'thumbnail: "container-vs-vm.png"\n---\n#\n# 본문\n\n한글 이름의 글입니다.\n',
        encoding="utf-8",
    )
    converted = convert(root, "--no-hands-on")
    assert converted.returncode == 0, converted.stderr

    result = build(root)
    assert result.returncode == 0, result.stdout[-2000:]
    html = root / "_build" / "html"
    expected = f"{BASE_URL}book/posts/%EB%8F%84%EC%BB%A4-%EA%B8%B0%EC%B4%88.html"
    urls = [loc.text for loc in ET.parse(html / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert expected in urls
    page = BeautifulSoup((html / "book" / "posts" / "도커-기초.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('meta[property="og:url"]')["content"] == expected


def test_the_root_address_shows_the_book_to_a_link_preview(built_book: BuiltBook) -> None:
    """Read as a crawler reads it: the root file alone, no JavaScript, no redirect followed."""
    root = BeautifulSoup((built_book.html / "index.html").read_text(encoding="utf-8"), "html.parser")
    landing = BeautifulSoup((built_book.html / "book" / "index.html").read_text(encoding="utf-8"), "html.parser")

    def meta(page: BeautifulSoup, key: str) -> str:
        tag = page.select_one(f'meta[property="{key}"], meta[name="{key}"]')
        assert tag is not None, key
        return str(tag["content"])

    assert root.title is not None and root.title.get_text() == CONFIG["title"]
    assert root.html is not None and root.html["lang"] == "ko"
    for key in ("og:title", "og:description", "og:image", "og:url", "twitter:card", "twitter:image"):
        assert meta(root, key) == meta(landing, key), key
    assert meta(root, "og:image").startswith(BASE_URL)
    image = urlsplit(meta(root, "og:image")).path.removeprefix(urlsplit(BASE_URL).path)
    assert (built_book.html / unquote(image)).is_file()
    assert meta(root, "twitter:card") == "summary_large_image"
    assert meta(root, "description") == meta(root, "og:description") and "블로그" in meta(root, "description")
    canonical = root.select_one('link[rel="canonical"]')
    assert canonical is not None and canonical["href"] == BASE_URL + "book/index.html"
    feed = root.select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert feed is not None and (built_book.html / feed["href"]).is_file()
    refresh = root.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None and refresh["content"].endswith("url=book/index.html")
    link = root.select_one("body a")
    assert link is not None and (built_book.html / link["href"]).is_file()
