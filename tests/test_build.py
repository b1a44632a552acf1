"""The real `jupyter-book build .` of the committed tree, read back with an HTML parser."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import frontmatter
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from conftest import ROOT, BuiltBook

pytestmark = pytest.mark.build

SOURCES = {
    path.stem: frontmatter.loads(path.read_text(encoding="utf-8-sig")) for path in sorted((ROOT / "posts").glob("*.md"))
}
PUBLISHED = sorted(stem for stem, post in SOURCES.items() if not post.get("draft"))
DRAFTS = sorted(stem for stem, post in SOURCES.items() if post.get("draft"))


def page(book: BuiltBook, stem: str) -> BeautifulSoup:
    return BeautifulSoup((book.html / "book" / "posts" / f"{stem}.html").read_text(encoding="utf-8"), "html.parser")


def article(soup: BeautifulSoup) -> BeautifulSoup:
    found = soup.select_one("article.bd-article")
    assert found is not None
    return found


def bare_title(stem: str) -> str:
    return re.sub(r"^\[[^\]]+\]\s*", "", str(SOURCES[stem]["title"])).strip()


def test_there_is_something_to_check() -> None:
    assert len(PUBLISHED) >= 4 and DRAFTS


@pytest.mark.parametrize("stem", PUBLISHED)
def test_post_has_one_h1_title_subtitle_and_date(built_book: BuiltBook, stem: str) -> None:
    soup = page(built_book, stem)
    body = article(soup)
    headings = body.find_all("h1")
    assert len(headings) == 1
    assert headings[0].get_text().rstrip("#").strip() == bare_title(stem)
    assert soup.title is not None and soup.title.get_text().startswith(bare_title(stem))
    meta = body.select_one(".post-meta")
    assert meta is not None
    if SOURCES[stem].get("subtitle"):
        assert meta.select_one(".post-subtitle").get_text(strip=True) == str(SOURCES[stem]["subtitle"])
    time = meta.select_one("time")
    assert time is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", time["datetime"])


@pytest.mark.parametrize("stem", PUBLISHED)
def test_post_has_one_meta_line_with_date_category_reading_time_and_tags(built_book: BuiltBook, stem: str) -> None:
    """Date as Korean writes it, the category (the book part), minutes to read, then the tags;
    the category and tags carry labels a screen reader reads."""
    lines = article(page(built_book, stem)).select(".post-meta .post-info")
    assert len(lines) == 1
    line = lines[0]
    source = SOURCES[stem]
    year, month, day = re.split(r"[.\-/]", str(source["date"]))[:3]
    assert line.select_one("time").get_text() == f"{int(year)}년 {int(month)}월 {int(day)}일"
    text = " ".join(line.get_text().split())
    category = re.match(r"^\[([^\]]+)\]", str(source["title"]))
    assert f"분류: {category.group(1) if category else '글'} ·" in text
    assert re.search(r" · \d+분 분량", text)
    labels = [span.get_text() for span in line.select(".visually-hidden")]
    assert labels[0] == "분류:"
    for tag in source.get("tags") or []:
        assert f"#{tag}" in text
    if source.get("tags"):
        assert labels[1] == "태그:"


@pytest.mark.parametrize("stem", PUBLISHED)
def test_headings_never_skip_a_level(built_book: BuiltBook, stem: str) -> None:
    levels = [int(h.name[1]) for h in article(page(built_book, stem)).find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert all(
        h.get_text(strip=True).rstrip("#") for h in article(page(built_book, stem)).find_all(re.compile(r"^h[1-6]$"))
    )


@pytest.mark.parametrize("stem", PUBLISHED)
def test_images_resolve_to_files(built_book: BuiltBook, stem: str) -> None:
    images = article(page(built_book, stem)).find_all("img")
    assert images, "every post shows at least its cover image"
    for image in images:
        src = image["src"]
        if urlsplit(src).scheme:
            continue
        target = (built_book.html / "book" / "posts" / unquote(src)).resolve()
        assert target.is_file(), src
        assert not any(name.startswith("on") for name in image.attrs)


def code_blocks(markdown: str) -> list[str]:
    return [t.content for t in MarkdownIt("commonmark").parse(markdown) if t.type == "fence"]


@pytest.mark.parametrize("stem", PUBLISHED)
def test_code_blocks_are_intact(built_book: BuiltBook, stem: str) -> None:
    shown = [pre.get_text() for pre in article(page(built_book, stem)).select("div.highlight pre")]
    blocks = code_blocks(SOURCES[stem].content)
    assert blocks
    for block in blocks:
        assert block in shown


LITERALS = ["$5", "$HOME", "{{ .Values.image.tag }}"]


@pytest.mark.parametrize("literal", LITERALS)
def test_literals_show_verbatim_in_prose(built_book: BuiltBook, literal: str) -> None:
    found = False
    for stem in PUBLISHED:
        body = article(page(built_book, stem))
        for pre in body.select("div.highlight, code"):
            pre.decompose()
        found = found or literal in body.get_text()
    assert found, f"{literal} should appear in some post's prose"


def all_pages(book: BuiltBook) -> list[Path]:
    return sorted(p for p in book.html.rglob("*.html") if "_static" not in p.parts)


def test_internal_links_resolve(built_book: BuiltBook) -> None:
    checked = 0
    for file in all_pages(built_book):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("article a.reference.internal[href]"):
            parts = urlsplit(link["href"])
            target = (file.parent / unquote(parts.path)).resolve() if parts.path else file
            assert target.is_file(), f"{file.name}: {link['href']}"
            if parts.fragment and target.suffix == ".html":
                ids = {
                    tag["id"] for tag in BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").select("[id]")
                }
                assert unquote(parts.fragment) in ids, f"{file.name}: {link['href']}"
            checked += 1
    assert checked > 0


def test_links_between_posts_reach_readable_sections(built_book: BuiltBook) -> None:
    cross = []
    for stem in PUBLISHED:
        for link in article(page(built_book, stem)).select("a.reference.internal[href]"):
            href = unquote(link["href"])
            if href.split("#")[0].removesuffix(".html") in PUBLISHED:
                cross.append(href)
    assert cross, "posts link to each other"
    assert any("#" in href and not re.search(r"#id\d+$", href) for href in cross)


@pytest.mark.parametrize("stem", PUBLISHED)
def test_section_anchors_are_readable(built_book: BuiltBook, stem: str) -> None:
    ids = [section["id"] for section in article(page(built_book, stem)).find_all("section")]
    assert ids and not [i for i in ids if re.fullmatch(r"id\d+", i)]


def search_index(book: BuiltBook) -> dict:
    text = (book.html / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_every_post_is_in_the_search_index_and_no_draft_is(built_book: BuiltBook) -> None:
    index = search_index(built_book)
    docnames = set(index["docnames"])
    titles = set(index["titles"])
    for stem in PUBLISHED:
        assert f"book/posts/{stem}" in docnames
        assert bare_title(stem) in titles
    for stem in DRAFTS:
        assert f"book/posts/{stem}" not in docnames
        assert not (built_book.html / "book" / "posts" / f"{stem}.html").exists()
        assert bare_title(stem) not in titles


def test_drafts_are_nowhere_in_the_html(built_book: BuiltBook) -> None:
    for stem in DRAFTS:
        for file in all_pages(built_book):
            assert bare_title(stem) not in file.read_text(encoding="utf-8"), file


def test_sidebar_file_groups_posts_by_category(built_book: BuiltBook) -> None:
    """The sidebar's entries live in one shared file; every page points at it."""
    nav = BeautifulSoup((built_book.html / "_static" / "book-nav.html").read_text(encoding="utf-8"), "html.parser")
    captions = [c.get_text(strip=True) for c in nav.select("p.caption")]
    links = {a.get_text(strip=True): a["href"] for a in nav.select("a")}
    for stem in PUBLISHED:
        category = re.match(r"^\[([^\]]+)\]", str(SOURCES[stem]["title"])).group(1)
        assert category in captions
        assert links[bare_title(stem)] == f"book/posts/{stem}.html"
        assert (built_book.html / links[bare_title(stem)]).is_file()
    for stem in DRAFTS:
        assert bare_title(stem) not in links


@pytest.mark.parametrize("stem", PUBLISHED)
def test_pages_load_the_shared_sidebar_instead_of_embedding_it(built_book: BuiltBook, stem: str) -> None:
    file = built_book.html / "book" / "posts" / f"{stem}.html"
    holder = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").select_one("#book-nav")
    assert holder is not None
    assert (file.parent / holder["data-nav"]).resolve() == (built_book.html / "_static" / "book-nav.html").resolve()
    assert len(holder.select("a")) == 1, "only the home link is in the page itself"


def test_landing_page_lists_every_post_with_thumbnail(built_book: BuiltBook) -> None:
    soup = BeautifulSoup((built_book.html / "book" / "index.html").read_text(encoding="utf-8"), "html.parser")
    cards = soup.select(".post-card")
    assert len(cards) == len(PUBLISHED) + 1, "a card per post, and one for the hands-on part"
    hands_on = cards[-1].select_one("a")
    assert hands_on is not None and hands_on["href"] == "hands-on/index.html"
    assert "노트북" in cards[-1].get_text()
    for stem in PUBLISHED:
        card = next(c for c in cards if bare_title(stem) in c.get_text())
        link = card.find_parent("a") or card.select_one("a")
        assert link is not None and link["href"].endswith(f"posts/{stem}.html")
        image = card.select_one("img")
        assert image is not None and (built_book.html / "book" / image["src"]).resolve().is_file()
        assert str(SOURCES[stem].get("subtitle", "")) in card.get_text()


def test_root_redirects_to_landing_page(built_book: BuiltBook) -> None:
    assert "book/index.html" in (built_book.html / "index.html").read_text(encoding="utf-8")


def test_no_page_loads_sphinxs_search_index_or_font_awesomes_script(
    built_book: BuiltBook,
) -> None:
    """Sphinx's index grows with the book (1.8 MB at 1,000 posts) and blocked rendering; the
    book's own search loads its shards only when a reader searches. The theme's 1.5 MB icon
    script drew what its CSS web font draws anyway."""
    for file in built_book.html.rglob("*.html"):
        if "_static" in file.relative_to(built_book.html).parts:
            continue
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        scripts = [script.get("src", "") for script in soup.find_all("script")]
        assert not any("fontawesome" in src for src in scripts), file
        assert not any(src.endswith(("searchindex.js", "searchtools.js")) for src in scripts), file
    css = (built_book.html / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert "fa-solid-900.woff2" in css  # the icons still come from the web font


def test_the_landing_pages_tab_names_the_site_once(built_book: BuiltBook) -> None:
    title = BeautifulSoup((built_book.html / "book" / "index.html").read_text(encoding="utf-8"), "html.parser").title
    assert title is not None and " — " not in title.get_text() and title.get_text().strip()
    post = built_book.html / "book" / "posts" / f"{PUBLISHED[0]}.html"
    assert " — " in BeautifulSoup(post.read_text(encoding="utf-8"), "html.parser").title.get_text()


def test_every_image_says_what_it_shows_or_is_decorative(built_book: BuiltBook) -> None:
    """No alt text is a file path or file name (docutils' fallback, read out by screen readers);
    the notebooks' plots carry the alt text of their cell's metadata."""
    plots = 0
    for path in all_pages(built_book):
        for image in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("img"):
            alt = image.get("alt")
            assert alt is not None, f"{path.name}: {image}"
            assert "_images/" not in alt and not re.search(r"\.(png|jpe?g|gif|svg|webp)$", alt), f"{path.name}: {alt}"
            plots += "hands-on" in path.as_posix() and len(alt) > 40
    assert plots >= 2, "the hands-on plots describe themselves"


def test_the_search_never_offers_the_landing_index_or_search_page(built_book: BuiltBook) -> None:
    """Issue 14: the landing page lists every title and would match every common word."""
    meta = (built_book.html / "_search" / "meta.js").read_text(encoding="utf-8")
    payload = json.loads(meta[meta.index("{") : meta.rindex("}") + 1])
    urls = {page[0] for page in payload["pages"]}
    assert {f"book/posts/{stem}.html" for stem in PUBLISHED} <= urls
    assert not urls & {"book/index.html", "index.html", "genindex.html", "search.html"}
    assert not any(stem in url for stem in DRAFTS for url in urls)
