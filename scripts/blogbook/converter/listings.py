"""The pages that list posts: tags, series, categories, the archive, and each post's links.

Pure functions from the published `render.Page`s to page text; nothing here reads or writes a
file. Every page is generated MyST carrying the converter's marker, and every post in it is a
JSON line of a listing directive (`blogbook.ext.post_listings`, `blogbook.ext.post_cards`), so
no string from front matter is ever read as MyST: titles, tag and series names are JSON data,
or escaped with `prose.escape_text` where they are prose (headings).

Where the pages live (`book/` is `converter.book`):

    book/archive.md            every post by year and month, newest first
    book/tags/index.md         every tag with its count, and the tag filter
    book/tags/<slug>.md        one tag's posts, newest first, as cards; feeds/tags/<slug>.xml
    book/series/index.md       every series
    book/series/<slug>.md      one series' posts in order
    book/categories/index.md   every category
    book/categories/<slug>.md  one category's posts, newest first; feeds/categories/<slug>.xml

`<slug>` is `blogbook.schema.file_slug` of the name: readable, stable, one per name.
"""

from __future__ import annotations

import functools
import heapq
import json
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from posixpath import relpath

from ..schema import MARKER, Card, Entry, file_slug, name_key
from .prose import escape_text
from .render import Page, PostLinks, by_category, quoted

BROWSE_CAPTION = "둘러보기"
SCHEDULED_MARK = "예약됨"
RELATED_COUNT = 3
KEYWORDS = 12
MIN_SIMILARITY = 0.05
"""Below this cosine, two posts that share no tag are not related."""


@dataclass(frozen=True)
class Folders:
    """Where the listing pages live, under the book folder."""

    book: Path

    @property
    def archive(self) -> str:
        return (self.book / "archive").as_posix()

    def folder(self, kind: str) -> Path:
        return self.book / kind

    def index(self, kind: str) -> str:
        return (self.book / kind / "index").as_posix()

    def doc(self, kind: str, name: str) -> str:
        return (self.book / kind / file_slug(name)).as_posix()

    @property
    def owned(self) -> tuple[Path, ...]:
        """Folders where every generated page is the converter's (stale ones are removed)."""
        return tuple(self.folder(kind) for kind in KINDS)

    @property
    def generated(self) -> tuple[Path, ...]:
        """Every file and folder of listing pages, as paths under the project root."""
        return (Path(self.archive + ".md"), *self.owned)

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Docname prefixes of every listing page, to find their toc part again."""
        return (self.archive, *(self.folder(kind).as_posix() + "/" for kind in KINDS))


KINDS = ("tags", "series", "categories")


@dataclass(frozen=True)
class Group:
    """A tag, series or category: the name shown, its page, and its posts in listing order."""

    name: str
    doc: str
    pages: tuple[Page, ...]


def _newest_first(page: Page) -> tuple[int, str]:
    date = page.post.date
    return (-(date.toordinal() if date else 0), page.post.stem)


def _date(page: Page) -> str:
    return page.post.date.isoformat() if page.post.date else ""


# --- grouping -------------------------------------------------------------------------------------


def tags(pages: Sequence[Page], folders: Folders) -> list[Group]:
    """One group per tag (spellings differing in case or normalization are one), by name.

    The name shown is the spelling most posts use (ties: the one that sorts first).
    """
    members: dict[str, list[Page]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for page in pages:
        for tag in page.post.tags:
            members[name_key(tag)].append(page)
            spellings[name_key(tag)][unicodedata.normalize("NFC", tag)] += 1
    groups = []
    for key, group in members.items():
        name = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        groups.append(Group(name, folders.doc("tags", name), tuple(sorted(group, key=_newest_first))))
    return sorted(groups, key=lambda group: (name_key(group.name), group.name))


def _series_key(page: Page) -> tuple[int, int, str]:
    order = page.post.series_order
    date = page.post.date
    return (order if order is not None else 10**9, date.toordinal() if date else 10**9, page.post.stem)


def series(pages: Sequence[Page], folders: Folders) -> list[Group]:
    """One group per series, posts by `series_order`, then by date (oldest first); newest series first."""
    members: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        if page.post.series:
            members[name_key(page.post.series)].append(page)
    groups = []
    for group in members.values():
        ordered = tuple(sorted(group, key=_series_key))
        name = unicodedata.normalize("NFC", ordered[0].post.series)
        groups.append(Group(name, folders.doc("series", name), ordered))
    return sorted(groups, key=lambda g: (min(_newest_first(p) for p in g.pages), name_key(g.name)))


def categories(pages: Sequence[Page], folders: Folders, order: Sequence[str]) -> list[Group]:
    """One group per category, in the book's part order, newest post first in each."""
    return [
        Group(name, folders.doc("categories", name), tuple(sorted(group, key=_newest_first)))
        for name, group in by_category(pages, order)
    ]


# --- related posts --------------------------------------------------------------------------------


def related(
    pages: Sequence[Page], terms: Mapping[str, Sequence[tuple[str, int]]], count: int = RELATED_COUNT
) -> dict[str, tuple[Page, ...]]:
    """Up to `count` other posts for each post: by shared tags, then by TF-IDF cosine similarity
    of their search stems; ties go to the post written closest in time, then by file name.
    Deterministic, and a new post only enters the lists of posts it beats: with "newest first"
    as the tie-break it entered every list it tied, and adding a post rewrote dozens of pages.

    A shared tag counts 1, the cosine at most 1, so tags lead and text decides among equals or
    fills in for posts without tags. A post's text is its `KEYWORDS` stems of highest TF-IDF
    among those in at most √n posts (at least 3): words most posts use say little about which
    posts belong together, and leaving them out keeps the work linear (about 0.1 s at 1,000 posts).
    """
    n = len(pages)
    docs = [page.docname for page in pages]
    df: Counter[str] = Counter(term for doc in docs for term, _ in terms.get(doc, ()))
    common = max(3, int(math.sqrt(n)))
    vectors: list[dict[str, float]] = []
    for doc in docs:
        weighted = sorted(
            (
                (term, (1 + math.log(tf)) * math.log(n / df[term]))
                for term, tf in terms.get(doc, ())
                if 1 < df[term] <= common
            ),
            key=lambda item: (-item[1], item[0]),
        )[:KEYWORDS]
        norm = math.sqrt(sum(w * w for _, w in weighted)) or 1.0
        vectors.append({term: w / norm for term, w in weighted})
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings[term].append((index, weight))
    tagged: dict[str, list[int]] = defaultdict(list)
    for index, page in enumerate(pages):
        for tag in {name_key(tag) for tag in page.post.tags}:
            tagged[tag].append(index)
    days = [page.post.date.toordinal() if page.post.date else 0 for page in pages]
    result: dict[str, tuple[Page, ...]] = {}
    for index, page in enumerate(pages):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vectors[index].items():
            for other, other_weight in postings[term]:
                scores[other] += weight * other_weight
        for other in list(scores):
            if scores[other] < MIN_SIMILARITY:
                del scores[other]
        for tag in {name_key(tag) for tag in page.post.tags}:
            for other in tagged[tag]:
                scores[other] += 1.0
        scores.pop(index, None)
        day = days[index]
        best = heapq.nsmallest(
            count, scores, key=lambda o: (-round(scores[o], 9), abs(days[o] - day), pages[o].post.stem)
        )
        result[page.docname] = tuple(pages[o] for o in best)
    return result


# --- page text ------------------------------------------------------------------------------------


def _link(from_doc: str, to_doc: str) -> str:
    """A relative link MyST resolves to the document (`../tags/docker.md`)."""
    return relpath(to_doc, from_doc.rsplit("/", 1)[0] if "/" in from_doc else ".") + ".md"


def _entry(page: Page, scheduled: frozenset[str], with_tags: bool = False) -> str:
    post = page.post
    tags = tuple(dict.fromkeys(file_slug(tag) for tag in post.tags)) if with_tags else ()
    mark = SCHEDULED_MARK if page.docname in scheduled else ""
    return _entry_line(Entry(post.title, page.docname, _date(page), post.category, post.subtitle, tags, mark=mark))


@functools.lru_cache(maxsize=8192)
def _entry_line(entry: Entry) -> str:
    """A post is listed in several places (archive, tags, series, others' related posts): one JSON each."""
    return entry.json_line()


def _card(page: Page, scheduled: frozenset[str]) -> str:
    facts = page.facts
    mark = SCHEDULED_MARK if page.docname in scheduled else ""
    return Card(
        page.post.title, facts.subtitle, facts.date, facts.category, page.docname, facts.thumbnail, mark
    ).json_line()


def _front(meta: Mapping[str, str], description: str) -> list[str]:
    lines = ["---", f"# {MARKER} from the posts. Edit the posts, not this page."]
    lines += [f"{key}: {quoted(value)}" for key, value in meta.items()]
    lines += ["myst:", "  html_meta:", f"    description: {quoted(description)}", "---", ""]
    return lines


def _block(directive: str, lines: Iterable[str], options: Sequence[str] = ()) -> list[str]:
    return ["```{" + directive + "}", *options, *lines, "```", ""]


def _listing_meta(kind: str, group: Group, feed: bool) -> dict[str, str]:
    meta = {"listing_kind": kind, "listing_name": group.name}
    if feed:
        meta["listing_feed"] = f"feeds/{'tags' if kind == 'tag' else 'categories'}/{group.doc.rsplit('/', 1)[1]}.xml"
        meta["listing_posts"] = json.dumps([page.docname for page in group.pages], ensure_ascii=False)
    return meta


@dataclass(frozen=True)
class _Topic:
    """How a tag's and a category's page name themselves."""

    heading: str
    folder: str
    index_name: str
    describe: str
    """The page's description, with `{name}` and `{count}`."""


_TOPICS = {
    "tag": _Topic("태그", "tags", "모든 태그", "‘{name}’ 태그가 붙은 글 {count}편"),
    "category": _Topic("분류", "categories", "모든 분류", "‘{name}’ 분류의 글 {count}편"),
}


def _topic_page(group: Group, folders: Folders, scheduled: frozenset[str], kind: str) -> str:
    """A tag's or a category's page: its posts as cards, newest first, and its own feed."""
    topic = _TOPICS[kind]
    description = topic.describe.format(name=group.name, count=len(group.pages))
    lines = _front(_listing_meta(kind, group, feed=True), description)
    lines += [f"# {topic.heading}: {escape_text(group.name)}", ""]
    index = _link(group.doc, folders.index(topic.folder))
    lines += [f"{escape_text(description)}, 최근 글부터. [{topic.index_name}]({index})", ""]
    lines += _block("post-cards", (_card(page, scheduled) for page in group.pages))
    return "\n".join(lines)


def tag_page(group: Group, folders: Folders, scheduled: frozenset[str]) -> str:
    return _topic_page(group, folders, scheduled, "tag")


def category_page(group: Group, folders: Folders, scheduled: frozenset[str]) -> str:
    return _topic_page(group, folders, scheduled, "category")


def series_page(group: Group, folders: Folders, scheduled: frozenset[str]) -> str:
    count = len(group.pages)
    description = f"시리즈 ‘{group.name}’: 글 {count}편"
    lines = _front(_listing_meta("series", group, feed=False), description)
    lines += [f"# 시리즈: {escape_text(group.name)}", ""]
    lines += [f"{escape_text(description)}, 차례대로. [모든 시리즈]({_link(group.doc, folders.index('series'))})", ""]
    lines += _block("post-list", (_entry(page, scheduled) for page in group.pages), [":numbered:"])
    return "\n".join(lines)


def _group_entry(group: Group) -> str:
    newest = max((_date(page) for page in group.pages), default="")
    return Entry(group.name, group.doc, newest, count=len(group.pages)).json_line()


def tags_index(groups: Sequence[Group], pages: Sequence[Page], folders: Folders, scheduled: frozenset[str]) -> str:
    """Every tag with its count; choosing tags shows the posts that carry all of them."""
    description = f"태그 {len(groups)}개, 글 {sum(1 for p in pages if p.post.tags)}편"
    lines = _front({"nav_hide_children": "true", "tag_filter": "true"}, description)
    lines += ["# 태그", "", f"{description}. 태그를 누르면 그 태그의 글 목록으로 갑니다.", ""]
    lines += _block("tag-cloud", (_group_entry(group) for group in groups), [":filter:"])
    tagged = sorted((page for page in pages if page.post.tags), key=_newest_first)
    lines += _block("post-list", (_entry(page, scheduled, with_tags=True) for page in tagged), [":filter:"])
    return "\n".join(lines)


def series_index(groups: Sequence[Group]) -> str:
    description = f"시리즈 {len(groups)}개" if groups else "아직 시리즈가 없습니다"
    lines = _front({"nav_hide_children": "true"}, description)
    lines += ["# 시리즈", "", f"{description}. 최근에 글이 더해진 시리즈부터.", ""]
    if groups:
        lines += _block("post-list", (_group_entry(group) for group in groups))
    return "\n".join(lines)


def categories_index(groups: Sequence[Group]) -> str:
    description = f"분류 {len(groups)}개"
    lines = _front({"nav_hide_children": "true"}, description)
    lines += ["# 분류", "", f"{description}. 분류마다 글 목록과 피드가 있습니다.", ""]
    if groups:
        lines += _block("post-list", (_group_entry(group) for group in groups))
    return "\n".join(lines)


def archive(pages: Sequence[Page], scheduled: frozenset[str]) -> str:
    """Every post by year and month, newest first."""
    description = f"글 {len(pages)}편, 최근 글부터"
    lines = _front({}, description)
    lines += ["# 보관함", "", f"{description}.", ""]
    months: dict[tuple[int, int], list[Page]] = defaultdict(list)
    for page in sorted(pages, key=_newest_first):
        date = page.post.date
        months[(date.year, date.month) if date else (0, 0)].append(page)
    year = None
    for (y, m), group in months.items():
        if y != year:
            year = y
            lines += [f"## {y}년" if y else "## 날짜 없음", ""]
        if y:
            lines += [f"### {y}년 {m}월", ""]
        lines += _block("post-list", (_entry(page, scheduled) for page in group))
    return "\n".join(lines)


# --- each post's links ----------------------------------------------------------------------------


def post_links(
    pages: Sequence[Page],
    terms: Mapping[str, Sequence[tuple[str, int]]],
    folders: Folders,
    scheduled: frozenset[str] = frozenset(),
) -> dict[str, PostLinks]:
    """What each post page links to: its tags' and category's pages, its series box, related posts."""
    series_of = {page.docname: group for group in series(pages, folders) for page in group.pages}
    close = related(pages, terms)
    found = {}
    for page in pages:
        box: tuple[str, ...] = ()
        if group := series_of.get(page.docname):
            head = Entry(group.name, group.doc, count=len(group.pages)).json_line()
            box = (head, *(_entry(other, scheduled) for other in group.pages))
        found[page.docname] = PostLinks(
            tags=tuple((tag, _link(page.docname, folders.doc("tags", tag))) for tag in page.post.tags),
            category=_link(page.docname, folders.doc("categories", page.post.category)),
            series=box,
            related=tuple(_entry(other, scheduled) for other in close[page.docname]),
            mark=SCHEDULED_MARK if page.docname in scheduled else "",
        )
    return found


def pages_text(
    pages: Sequence[Page], folders: Folders, category_order: Sequence[str], scheduled: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Every listing page's text by document name (`book/tags/docker`)."""
    tag_groups = tags(pages, folders)
    series_groups = series(pages, folders)
    category_groups = categories(pages, folders, category_order)
    found = {
        folders.archive: archive(pages, scheduled),
        folders.index("tags"): tags_index(tag_groups, pages, folders, scheduled),
        folders.index("series"): series_index(series_groups),
        folders.index("categories"): categories_index(category_groups),
    }
    found.update((group.doc, tag_page(group, folders, scheduled)) for group in tag_groups)
    found.update((group.doc, series_page(group, folders, scheduled)) for group in series_groups)
    found.update((group.doc, category_page(group, folders, scheduled)) for group in category_groups)
    return found


def toc_part(docnames: Iterable[str], folders: Folders) -> dict[str, object]:
    """The toc's last part: only the four index pages show in the sidebar (their pages say
    `nav_hide_children`); each kind's pages are their index's sections, so Sphinx builds them."""
    below: dict[str, list[str]] = defaultdict(list)
    for doc in sorted(docnames):
        kind, _, name = doc.removeprefix(folders.book.as_posix() + "/").partition("/")
        if name and name != "index":
            below[kind].append(doc)
    chapters: list[dict[str, object]] = [{"file": folders.archive}]
    for kind in KINDS:
        chapter: dict[str, object] = {"file": folders.index(kind)}
        if below[kind]:
            chapter["sections"] = [{"file": doc} for doc in below[kind]]
        chapters.append(chapter)
    return {"caption": BROWSE_CAPTION, "chapters": chapters}
