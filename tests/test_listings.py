"""Tags, series, categories, the archive, related posts and scheduled posts, as the converter
writes them (`blogbook.converter.listings`, pure functions) and as the CLI publishes them."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig, read_topmatter
from myst_parser.parsers.mdit import create_md_parser

from blogbook.converter import listings, render
from blogbook.converter.config import Config, today_in
from blogbook.converter.post import Post
from blogbook.converter.transform import Body
from blogbook.ext.post_guard import refused
from blogbook.schema import Entry, file_slug, name_key

from conftest import Project, front

FOLDERS = listings.Folders(Path("book"))
MYST = create_md_parser(
    MdParserConfig(enable_extensions={"colon_fence", "attrs_inline", "linkify", "tasklist"}), RendererHTML
)


def page(
    stem: str,
    date: str = "2025-01-01",
    *,
    tags: tuple[str, ...] = (),
    series: str = "",
    order: int | None = None,
    title: str = "",
    category: str = "공부",
) -> render.Page:
    post = Post(
        source=Path(f"posts/{stem}.md"),
        stem=stem,
        id=None,
        title=title or f"글 {stem}",
        category=category,
        subtitle="",
        date=dt.date.fromisoformat(date),
        thumbnail=None,
        tags=tags,
        draft=False,
        body="",
        body_line=1,
        series=series,
        series_order=order,
    )
    return render.Page(post, Body("본문", (), (), ()), f"book/posts/{stem}", None)


def entries(text: str, directive: str) -> list[Entry]:
    """The JSON lines of every `{directive}` block of a page."""
    found, inside = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = line == "```{" + directive + "}"
            continue
        if inside and line.startswith("{"):
            found.append(Entry.from_json_line(line))
    return found


# --- file names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("쿠버네티스", "쿠버네티스"),
        ("Docker", "docker"),
        ("node.js", "node.js"),
        ("c++", "c~2B~2B"),
        ("C#", "c~23"),
        ("container runtime", "container_runtime"),
        ("a_b", "a~5Fb"),
        ("a/b", "a~2Fb"),
        ("../etc", "~2E.~2Fetc"),
        ("index", "~69ndex"),
        ("100%", "100~25"),
        (unicodedata.normalize("NFD", "쿠버네티스"), "쿠버네티스"),
    ],
)
def test_file_slug_is_readable_and_safe(name: str, slug: str) -> None:
    assert file_slug(name) == slug


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
@settings(max_examples=300)
def test_two_different_names_never_share_a_file(a: str, b: str) -> None:
    for slug in (file_slug(a), file_slug(b)):
        assert "/" not in slug and "\\" not in slug and not slug.startswith(".") and slug not in ("index", "")
        assert len(slug.encode("utf-8")) <= 140
    if name_key(a) != name_key(b):
        assert file_slug(a) != file_slug(b)
    else:
        assert file_slug(a) == file_slug(b)


# --- grouping and ordering ------------------------------------------------------------------------


def test_one_tag_for_spellings_that_differ_in_case_or_normalization() -> None:
    nfd = unicodedata.normalize("NFD", "쿠버네티스")
    pages = [
        page("a", tags=("Docker", nfd)),
        page("b", "2025-02-01", tags=("docker", "쿠버네티스")),
        page("c", "2025-03-01", tags=("docker",)),
    ]
    groups = listings.tags(pages, FOLDERS)
    assert [(g.name, g.doc, [p.post.stem for p in g.pages]) for g in groups] == [
        ("docker", "book/tags/docker", ["c", "b", "a"]),  # the spelling most posts use; newest first
        ("쿠버네티스", "book/tags/쿠버네티스", ["b", "a"]),
    ]


@pytest.mark.parametrize(
    ("posts", "expected"),
    [
        ([("a", "2025-03-01", 2), ("b", "2025-01-01", 1), ("c", "2025-02-01", 3)], ["b", "a", "c"]),  # by order
        ([("a", "2025-03-01", None), ("b", "2025-01-01", None), ("c", "2025-02-01", None)], ["b", "c", "a"]),
        ([("a", "2025-03-01", None), ("b", "2025-04-01", 1)], ["b", "a"]),  # numbered first, then by date
    ],
)
def test_series_order(posts: list[tuple[str, str, int | None]], expected: list[str]) -> None:
    pages = [page(stem, date, series="기초", order=order) for stem, date, order in posts]
    (group,) = listings.series(pages, FOLDERS)
    assert [p.post.stem for p in group.pages] == expected
    links = listings.post_links(pages, {}, FOLDERS)
    box = [Entry.from_json_line(line) for line in links["book/posts/" + expected[0]].series]
    assert (box[0].title, box[0].doc, box[0].count) == ("기초", "book/series/기초", len(posts))
    assert [e.doc for e in box[1:]] == [f"book/posts/{stem}" for stem in expected]


def test_archive_by_year_and_month_newest_first_with_korean_dates() -> None:
    pages = [page("a", "2024-12-31"), page("b", "2025-04-02"), page("c", "2025-04-20"), page("d", "2025-01-05")]
    text = listings.archive(pages, frozenset())
    body = text.split("\n---\n", 1)[1]
    headings = [line for line in body.splitlines() if line.startswith("#")]
    assert headings == ["# 보관함", "## 2025년", "### 2025년 4월", "### 2025년 1월", "## 2024년", "### 2024년 12월"]
    assert [e.doc.rsplit("/", 1)[1] for e in entries(text, "post-list")] == ["c", "b", "d", "a"]


def test_tag_index_counts_and_filter_data() -> None:
    pages = [page("a", tags=("docker", "c++")), page("b", "2025-02-01", tags=("docker",)), page("c", "2025-03-01")]
    text = listings.tags_index(listings.tags(pages, FOLDERS), pages, FOLDERS, frozenset())
    cloud = entries(text, "tag-cloud")
    assert [(e.title, e.count) for e in cloud] == [("c++", 1), ("docker", 2)]
    listed = entries(text, "post-list")
    assert [(e.doc, e.tags) for e in listed] == [("book/posts/b", ("docker",)), ("book/posts/a", ("docker", "c~2B~2B"))]


# --- related posts --------------------------------------------------------------------------------

TERMS = {
    "book/posts/a": (("도커", 5), ("이미지", 4), ("레이어", 3)),
    "book/posts/b": (("도커", 4), ("이미지", 2), ("볼륨", 3)),
    "book/posts/c": (("파드", 5), ("노드", 4)),
    "book/posts/d": (("파드", 3), ("노드", 3), ("레이어", 1)),
    "book/posts/e": (("헬름", 5),),
}


def test_related_by_tags_then_text_never_itself_at_most_three_deterministic() -> None:
    pages = [page("a", tags=("x",)), page("b"), page("c", tags=("x",)), page("d"), page("e")]
    found = listings.related(pages, TERMS)
    assert [p.post.stem for p in found["book/posts/a"]][:2] == ["c", "b"]  # a shared tag first, then text
    assert next(p.post.stem for p in found["book/posts/d"]) == "c"
    for doc, others in found.items():
        assert doc not in [p.docname for p in others] and len(others) <= 3
    assert found["book/posts/e"] == ()  # nothing in common: nothing listed
    assert listings.related(list(reversed(pages)), TERMS) == found


# --- front-matter strings stay text ---------------------------------------------------------------

HOSTILE = (
    st.lists(
        st.sampled_from(
            [*"{}[]()`*_#$%<>&\"'\\|:!=~-+.,;/ \n", "{eval-rst}", "```", ":::", "<script>", "가", "나", "a"]
        ),
        min_size=1,
        max_size=20,
    )
    .map(lambda parts: " ".join("".join(parts).split()))
    .filter(bool)
)


def _h1_text(text: str) -> str:
    rendered = MYST.render(text)
    found = re.search(r"<h1>(.*?)</h1>", rendered, re.DOTALL)
    assert found, rendered
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


@given(tag=HOSTILE, series=HOSTILE, title=HOSTILE)
@settings(max_examples=150, deadline=None)
def test_names_with_markup_stay_text_everywhere(tag: str, series: str, title: str) -> None:
    pages = [page("a", tags=(tag,), series=series, title=title), page("b", "2025-02-01", tags=(tag,), series=series)]
    texts = listings.pages_text(pages, FOLDERS, ())
    links = listings.post_links(pages, {}, FOLDERS)
    md = MYST
    for doc, text in texts.items():
        assert list(refused(md, text)) == [], doc
        assert read_topmatter(text) is not None
    tag_page = texts[listings.Folders(Path("book")).doc("tags", tag)]
    assert _h1_text(tag_page) == f"태그: {tag}"
    assert _h1_text(texts[FOLDERS.doc("series", series)]) == f"시리즈: {series}"
    assert {e.title for e in entries(texts[FOLDERS.index("tags")], "tag-cloud")} == {tag}
    post_text = render.post_page(pages[0], links["book/posts/a"])
    assert list(refused(md, post_text)) == []
    meta = read_topmatter(post_text)
    assert meta is not None
    box = json.loads(meta["series_box"])
    assert box[0]["title"] == series and box[1]["title"] == title


# --- the CLI: scheduled posts, pages on disk ------------------------------------------------------


def test_today_is_the_authors_day() -> None:
    config = Config()
    assert today_in(config, dt.datetime(2025, 6, 2, 15, 30, tzinfo=dt.UTC)) == dt.date(2025, 6, 3)  # 00:30 in Seoul
    assert today_in(config, dt.datetime(2025, 6, 2, 14, 30, tzinfo=dt.UTC)) == dt.date(2025, 6, 2)


def test_scheduled_post_waits_for_its_day(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.post("now.md", front("[공부] 오늘 글", id=1, date='"2025.06.03"', tags="[docker]") + "본문\n")
    project.post("later.md", front("[공부] 나중 글", id=2, date='"2026.12.31"', tags="[docker]") + "본문\n")
    monkeypatch.setenv("BLOGBOOK_TODAY", "2025-06-03")
    result = project.convert("--no-hands-on")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["posts/later.md: scheduled for 2026년 12월 31일, not published yet"]
    book = project.root / "book"
    assert (book / "posts" / "now.md").exists() and not (book / "posts" / "later.md").exists()
    assert "later" not in (book / "tags" / "docker.md").read_text(encoding="utf-8")
    assert "later" not in (book / "_post_cards.md").read_text(encoding="utf-8")
    # the preview shows it, marked
    preview = project.convert("--no-hands-on", "--include-scheduled")
    assert preview.returncode == 0 and preview.stderr == ""
    assert '<span class="post-mark">예약됨</span>' in (book / "posts" / "later.md").read_text(encoding="utf-8")
    cards = [
        json.loads(line)
        for line in (book / "tags" / "docker.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("{")
    ]
    assert [(c["doc"], c.get("mark", "")) for c in cards] == [("book/posts/later", "예약됨"), ("book/posts/now", "")]
    # its day comes: published without a mark
    assert project.convert("--no-hands-on", "--today", "2026-12-31").returncode == 0
    assert "예약됨" not in (book / "posts" / "later.md").read_text(encoding="utf-8")


def test_a_link_to_a_scheduled_post_is_a_problem(project: Project) -> None:
    project.post("later.md", front("[공부] 나중 글", id=2, date='"2026.12.31"') + "본문\n")
    project.post("now.md", front("[공부] 오늘 글", id=1, date='"2025.06.03"') + "본문\n\n[다음 글](later.md)\n")
    result = project.convert("--no-hands-on", "--today", "2025-06-03")
    assert result.returncode == 1
    assert "posts/now.md:8: link to post later.md, which is scheduled and not published yet" in result.stderr


def test_retagging_moves_a_post_and_removes_an_empty_tag_page(project: Project) -> None:
    project.post("a.md", front("[공부] 글", id=1, date='"2025.06.03"', tags="[Docker, 옛태그]") + "본문\n")
    assert project.convert("--no-hands-on").returncode == 0
    tags = project.root / "book" / "tags"
    assert {p.name for p in tags.glob("*.md")} == {"index.md", "docker.md", "옛태그.md"}
    project.post("a.md", front("[공부] 글", id=1, date='"2025.06.03"', tags="[docker, 새 태그]") + "본문\n")
    assert project.convert("--no-hands-on").returncode == 0
    assert {p.name for p in tags.glob("*.md")} == {"index.md", "docker.md", "새_태그.md"}
    toc = yaml.safe_load((project.root / "_toc.yml").read_text(encoding="utf-8"))
    browse = toc["parts"][-1]
    assert browse["caption"] == "둘러보기"
    assert [c["file"] for c in browse["chapters"]] == [
        "book/archive",
        "book/tags/index",
        "book/series/index",
        "book/categories/index",
    ]
    assert [s["file"] for s in browse["chapters"][1]["sections"]] == ["book/tags/docker", "book/tags/새_태그"]


@given(
    st.builds(
        Entry,
        title=st.text(min_size=1),
        doc=st.text(min_size=1),
        date=st.text(),
        category=st.text(),
        subtitle=st.text(),
        tags=st.lists(st.text()).map(tuple),
        count=st.integers(min_value=0),
        mark=st.text(),
    )
)
def test_an_entry_survives_its_json_line(entry: Entry) -> None:
    line = entry.json_line()
    assert "\n" not in line and line.startswith("{")
    assert Entry.from_json_line(line) == entry


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("[]", "a JSON object"),
        ('{"title": "t"}', "a title and a doc"),
        ('{"title": "t", "doc": "d", "tags": "a"}', "list of text"),
        ('{"title": "t", "doc": "d", "count": true}', "whole number"),
        ('{"title": "t", "doc": "d", "onclick": "x"}', "unknown entry field"),
    ],
)
def test_a_bad_entry_line_says_what_is_wrong(line: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Entry.from_json_line(line)
