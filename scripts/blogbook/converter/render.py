"""Page text: a post's MyST page, and the landing page's card list. No disk access here."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..schema import MARKER, Card, PostFacts, korean_date
from .post import Post
from .prose import escape_text
from .transform import Body


@dataclass(frozen=True)
class Page:
    """A published post with its converted body and where its page lives."""

    post: Post
    body: Body
    docname: str
    """Sphinx document name, e.g. `book/posts/container-basics`."""
    thumbnail: str | None
    """Book path of the thumbnail (`/static/image/X.png`), if the post has one."""

    @cached_property
    def anchors(self) -> tuple[str, ...]:
        """Section anchors, computed as MyST computes them (title first), for link checks."""
        return unique_slugs([self.post.title, *self.body.headings])

    @property
    def facts(self) -> PostFacts:
        """What the page tells the extensions about its post (`blogbook.schema`)."""
        post = self.post
        date = post.date.isoformat() if post.date else ""
        return PostFacts(date, post.category, post.subtitle, self.thumbnail or "")


@dataclass(frozen=True)
class PostLinks:
    """What a post page links to besides its body (`listings.post_links`): links relative to
    the page, and JSON lines of its `{post-series}` and `{post-related}` blocks."""

    tags: tuple[tuple[str, str], ...] = ()
    """Each tag as the post writes it, and its tag page (`../tags/docker.md`)."""
    category: str = ""
    series: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    mark: str = ""
    """`예약됨` on a scheduled post's page in the preview."""


_NOT_IN_SLUG = re.compile(r"[^\w\u4e00-\u9fff\- ]")


def slugify(title: str) -> str:
    """MyST's default heading slug (GitHub style), kept here rather than imported: importing
    myst-parser pulls in docutils and Sphinx and costs more than a whole no-op run.
    `tests/test_slugs.py` checks it against MyST's own function."""
    return _NOT_IN_SLUG.sub("", title.lower().replace(" ", "-"))


def unique_slugs(titles: Iterable[str]) -> tuple[str, ...]:
    """GitHub-style slugs, made unique the way MyST does (`a`, `a-1`, ...)."""
    seen: set[str] = set()
    resume: dict[str, tuple[str, int]] = {}  # where each title's search for a free slug ended
    found: list[str] = []
    for title in titles:
        # MyST tries `a`, `a-1`, `a-1-2`, ... Every try before the last one ended is still taken,
        # so the search goes on from there: 2,000 equal headings took 20 s starting over each time.
        base = slugify(title)
        slug, counter = resume.get(base, (base, 1))
        while slug in seen:
            slug = f"{slug}-{counter}"
            counter += 1
        resume[base] = (slug, counter)
        seen.add(slug)
        found.append(slug)
    return tuple(found)


_NOT_YAML_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML refuses to read even inside quotes (DEL, C1 controls, U+FFFE...): escaped instead."""


def _quoted(text: str) -> str:
    """A YAML scalar that is always a string and reads back as exactly `text`.

    A JSON string is a YAML double-quoted scalar, and JSON escapes the C0 controls; the other
    characters YAML will not read are written as `\\uXXXX` escapes, which both understand.
    """
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


quoted = _quoted


def _front_matter(page: Page) -> list[str]:
    """The marker, the post's facts as page metadata (for the feed and social cards), HTML meta."""
    post = page.post
    lines = ["---", f"# {MARKER} from {post.source.as_posix()}. Edit the post, not this page."]
    lines += [f"{key}: {_quoted(value)}" for key, value in page.facts.front_matter().items()]
    meta = {"description": post.subtitle, "keywords": ", ".join(post.tags)}
    meta = {key: value for key, value in meta.items() if value}
    if meta:
        lines += ["myst:", "  html_meta:"]
        lines += [f"    {key}: {_quoted(value)}" for key, value in meta.items()]
    return [*lines, "---"]


READING_SPEED = 500
"""Characters a Korean reader reads in a minute: Korean reading time is counted in characters,
since a Korean word (어절) carries its particles and runs longer than an English one."""


def reading_minutes(characters: int) -> int:
    """Whole minutes to read `characters` letters and digits, at least one."""
    return max(1, round(characters / READING_SPEED))


_HIDDEN = '<span class="visually-hidden">{}</span>'
"""A label only screen readers read: the meta line shows the category and tags bare."""


def _meta_block(page: Page, links: PostLinks) -> list[str]:
    """The subtitle, then one compact line: date, category, reading time and tags; the tags
    and the category link to their pages when the listings are made."""
    post = page.post
    inner: list[str] = []
    if post.subtitle:
        inner += ["```{container} post-subtitle", escape_text(post.subtitle), "```"]
    facts: list[str] = []
    if post.date:
        facts.append(f'<time datetime="{post.date.isoformat()}">{korean_date(post.date.isoformat())}</time>')
    category = escape_text(post.category)
    facts.append(_HIDDEN.format("분류:") + " " + (f"[{category}]({links.category})" if links.category else category))
    facts.append(f"{reading_minutes(page.body.characters)}분 분량")
    if post.tags:
        targets = dict(links.tags)
        shown = [
            f"[\\#{escape_text(tag)}]({targets[tag]})" if tag in targets else "\\#" + escape_text(tag)
            for tag in post.tags
        ]
        facts.append(_HIDDEN.format("태그:") + " " + " ".join(shown))
    if links.mark:
        facts.append(f'<span class="post-mark">{links.mark}</span>')
    inner += ["```{container} post-info", " · ".join(facts), "```"]
    return ["````{container} post-meta", *inner, "````"]


def post_page(page: Page, links: PostLinks | None = None) -> str:
    """The MyST page for one post: the title as the only h1, its meta, then the body.

    The series box and the related posts are data in the front matter (`series_box`,
    `related_posts`: JSON lists of `blogbook.schema.Entry`), placed on the page by
    `blogbook.ext.post_listings`: appended as MyST they could land inside a code block the
    post leaves open at its end.
    """
    links = links or PostLinks()
    front = _front_matter(page)
    for key, entries in (("series_box", links.series), ("related_posts", links.related)):
        if entries:
            front.insert(-1, f"{key}: {_quoted('[' + ', '.join(entries) + ']')}")
    lines = [*front, "", f"# {escape_text(page.post.title)}", "", *_meta_block(page, links), ""]
    body = page.body.text.strip("\n")
    return "\n".join(lines) + "\n" + body + "\n"


def by_category(pages: Sequence[Page], order: Sequence[str]) -> list[tuple[str, list[Page]]]:
    """Posts grouped by category, oldest first in each group; groups in the configured order,
    then by their first post's date. The toc's parts and the landing page share this order."""
    groups: dict[str, list[Page]] = {}
    for page in sorted(pages, key=_oldest_first):
        groups.setdefault(page.post.category, []).append(page)
    rank = {
        name: (order.index(name) if name in order else len(order), _oldest_first(group[0]))
        for name, group in groups.items()
    }
    return sorted(groups.items(), key=lambda item: rank[item[0]])


def _oldest_first(page: Page) -> tuple[int, str]:
    date = page.post.date
    return (date.toordinal() if date else 10**9, page.post.stem)


def _card(page: Page) -> str:
    """One card as a JSON line of the `{post-cards}` directive (`blogbook.ext.post_cards`)."""
    facts = page.facts
    card = Card(page.post.title, facts.subtitle, facts.date, facts.category, page.docname, facts.thumbnail)
    return card.json_line()


def cards(pages: Sequence[Page], order: Sequence[str], hands_on: Card | None = None) -> str:
    """The landing page's cards: one section per category, newest post first in each, then
    the hands-on part's card, if it is in the book.

    Grouping keeps a book of hundreds of posts navigable (the page's own table of contents
    jumps to a category); images load lazily (`ext/lazy_images.py`).
    """
    lines = [f"% {MARKER} from the posts. Edit the posts, not this file.", ""]
    for category, group in by_category(pages, order):
        lines += [f"### {escape_text(category)}", "", "```{post-cards}"]
        lines += [_card(page) for page in reversed(group)]
        lines += ["```", ""]
    if hands_on:
        lines += [f"### {escape_text(hands_on.category)}", "", "```{post-cards}", hands_on.json_line(), "```", ""]
    return "\n".join(lines)
