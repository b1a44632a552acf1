"""The blog inside the book: listing directives, a post's series box and related posts, topic feeds.

The converter (`blogbook.converter.listings`) writes the tag, series, category and archive
pages as generated MyST whose posts are JSON lines (`blogbook.schema.Entry`), and each post's
series box and related posts as JSON in its front matter. Here they become HTML:

- `{post-list}`: a list of posts (or of tags, series, categories with a count); `:numbered:`
  makes it an ordered list (a series), `:filter:` gives each item its tags for the tag filter.
- `{tag-cloud}`: every tag with its count; `:filter:` adds the tag filter: check several tags
  and the page's `:filter:` list shows only the posts that carry all of them. It is a small
  script (`_static/post-listings.js`), loaded only by the page that has the filter; without
  script the tags are still links to their pages.
- `series_box` / `related_posts` front matter: the box "시리즈: NAME (k/n)" under a post's meta
  line, and "함께 읽을 글" at the end of the post.
- `listing_feed` / `listing_posts` front matter (tag and category pages): an Atom feed of those
  posts at `feeds/...xml`, linked from that page's head, written with the site feed's code.

Each item is one raw HTML node, like the landing page's cards (`post_cards`): a listing of a
thousand posts costs almost nothing to read and write. Every string is escaped here; the JSON
lines are data, never markup.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..files import write_if_changed
from ..schema import Entry, korean_date
from . import add_static_path, post_feed
from .post_pages import all_posts

logger = logging.getLogger(__name__)

FEEDS_DIR = "feeds"
SCRIPT = "post-listings.js"
STYLE = "post-listings.css"


def _html(markup: str) -> nodes.raw:
    return nodes.raw("", markup, format="html")


def _uri(env: Any, to: str) -> str:
    return str(env.app.builder.get_relative_uri(env.docname, to))


def _meta(entry: Entry) -> str:
    """`2025년 4월 2일 · 공부`, a count (`글 3편`) and a mark, as escaped HTML."""
    parts = []
    if entry.date:
        parts.append(f'<time datetime="{escape(entry.date)}">{escape(korean_date(entry.date))}</time>')
    if entry.category:
        parts.append(escape(entry.category))
    if entry.count:
        parts.append(f"글 {entry.count}편")
    if entry.mark:
        parts.append(f'<span class="post-mark">{escape(entry.mark)}</span>')
    return f' <span class="post-list-meta">{" · ".join(parts)}</span>' if parts else ""


def _item(env: Any, entry: Entry, current: bool = False) -> str:
    title = escape(entry.title)
    if current:
        return f'<li aria-current="page"><strong>{title}</strong>{_meta(entry)}</li>'
    tags = f' data-tags="{escape(" ".join(entry.tags))}"' if entry.tags else ""
    return (
        f'<li{tags}><a class="reference internal" href="{escape(_uri(env, entry.doc))}">{title}</a>{_meta(entry)}</li>'
    )


def _entries(directive: SphinxDirective) -> list[Entry]:
    """The directive's JSON lines, leaving out posts this build does not have."""
    found = []
    for number, line in enumerate(directive.content, start=directive.content_offset + 1):
        if line.strip():
            try:
                entry = Entry.from_json_line(line)
            except ValueError as error:
                raise directive.error(f"{directive.name} line {number}: {error}") from None
            if entry.doc in directive.env.found_docs:
                found.append(entry)
    return found


class PostList(SphinxDirective):
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"numbered": directives.flag, "filter": directives.flag}

    def run(self) -> list[nodes.Node]:
        tag = "ol" if "numbered" in self.options else "ul"
        filtered = "filter" in self.options
        attributes = ' data-tag-filter-list="" hidden=""' if filtered else ""
        items = "\n".join(_item(self.env, entry) for entry in _entries(self))
        if not items:
            return []
        return [_html(f'<{tag} class="post-list"{attributes}>\n{items}\n</{tag}>\n')]


class TagCloud(SphinxDirective):
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"filter": directives.flag}

    def run(self) -> list[nodes.Node]:
        entries = _entries(self)
        links = "\n".join(
            f'<li><a class="reference internal" href="{escape(_uri(self.env, e.doc))}">#{escape(e.title)}</a>'
            f' <span class="tag-count">{e.count}</span></li>'
            for e in entries
        )
        found = [_html(f'<ul class="tag-cloud">\n{links}\n</ul>\n')]
        if "filter" in self.options and entries:
            boxes = "\n".join(
                f'<label><input type="checkbox" value="{escape(e.doc.rsplit("/", 1)[1])}"> '
                f'{escape(e.title)} <span class="tag-count">{e.count}</span></label>'
                for e in entries
            )
            found.append(
                _html(
                    '<div class="tag-filter" hidden="">\n'
                    "<fieldset><legend>태그로 글 고르기 (고른 태그가 모두 붙은 글만 보입니다)</legend>\n"
                    f"{boxes}\n</fieldset>\n"
                    '<button type="button" class="tag-filter-clear">선택 해제</button>\n'
                    '<p class="tag-filter-status" role="status" aria-live="polite"></p>\n</div>\n'
                )
            )
        return found


# --- a post's series box and related posts, from its front matter ---------------------------------


def _front_entries(app: Sphinx, docname: str, key: str) -> list[Entry]:
    raw = app.env.metadata.get(docname, {}).get(key)
    if not raw:
        return []
    try:
        data = json.loads(str(raw))
        return [Entry.from_json_line(json.dumps(item)) for item in data]
    except (ValueError, TypeError) as error:
        logger.warning("%s: %s", key, error, location=docname, type="blogbook", subtype="post_listings")
        return []


def series_box(app: Sphinx, docname: str, entries: list[Entry]) -> str:
    """ "시리즈: NAME (k/n)", linked to the series' page, and every post of the series in order."""
    head, posts = entries[0], entries[1:]
    env = app.env
    position = next((i for i, e in enumerate(posts, 1) if e.doc == docname), 0)
    items = "\n".join(_item(env, e, current=e.doc == docname) for e in posts if e.doc in env.found_docs)
    series_link = (
        f'<a class="reference internal" href="{escape(_uri(env, head.doc))}">{escape(head.title)}</a>'
        if head.doc in env.found_docs
        else escape(head.title)
    )
    return (
        f'<aside class="post-series" aria-label="시리즈: {escape(head.title)}">\n'
        f'<p class="post-series-title">시리즈: {series_link} ({position}/{len(posts)})</p>\n'
        f"<ol>\n{items}\n</ol>\n</aside>\n"
    )


def related_box(app: Sphinx, entries: list[Entry]) -> str:
    items = "\n".join(_item(app.env, e) for e in entries if e.doc in app.env.found_docs)
    if not items:
        return ""
    return (
        '<aside class="post-related" aria-labelledby="post-related-title">\n'
        '<h2 id="post-related-title">함께 읽을 글</h2>\n'
        f'<ul class="post-list">\n{items}\n</ul>\n</aside>\n'
    )


def add_post_boxes(app: Sphinx, doctree: nodes.document) -> None:
    """`doctree-read`: the series box after the post's meta, related posts at its end."""
    docname = app.env.docname
    series = _front_entries(app, docname, "series_box")
    related = _front_entries(app, docname, "related_posts")
    if not series and not related:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    if series:
        meta = next((n for n in section.findall(nodes.container) if "post-meta" in n["classes"]), None)
        box = _html(series_box(app, docname, series))
        if meta is not None:
            meta.parent.insert(meta.parent.index(meta) + 1, box)
        else:
            section.insert(1, box)
    if related and (markup := related_box(app, related)):
        section.append(_html(markup))


# --- topic feeds, head links, the filter's script -------------------------------------------------


def _listing(app: Sphinx, docname: str) -> tuple[str, str, list[str]] | None:
    """(feed path, title, post docnames) of a tag or category page."""
    meta = app.env.metadata.get(docname, {})
    feed = meta.get("listing_feed")
    if not feed:
        return None
    try:
        posts = [str(doc) for doc in json.loads(str(meta.get("listing_posts", "[]")))]
    except ValueError:
        posts = []
    kind = {"tag": "태그", "category": "분류"}.get(str(meta.get("listing_kind")), "")
    site = app.config.html_title or app.config.project
    return str(feed), f"{site} · {kind}: {meta.get('listing_name', '')}", posts


def link_topic_feed(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The page's own feed in its head (after the site feed); the filter's script where it is used."""
    found = _listing(app, pagename)
    if found:
        path, title, _ = found
        href = context["pathto"](path, 1)
        link = f'<link rel="alternate" type="application/atom+xml" title="{escape(title)}" href="{escape(href)}" />'
        context["metatags"] = context.get("metatags", "") + link + "\n"
    if app.env.metadata.get(pagename, {}).get("tag_filter"):
        app.add_js_file(SCRIPT, loading_method="defer")  # in html-page-context: this page only


def write_topic_feeds(app: Sphinx, exception: Exception | None) -> None:
    """One Atom feed per tag and category page; feeds of tags that are gone are removed."""
    if exception is not None or app.builder.format != "html":
        return
    by_doc = {post.docname: post for post in all_posts(app)}
    written = set()
    for docname in sorted(app.env.found_docs):
        found = _listing(app, docname)
        if not found:
            continue
        path, title, docs = found
        posts = [by_doc[doc] for doc in docs if doc in by_doc]
        posts.sort(key=lambda p: (p.date, p.docname), reverse=True)
        alternate = post_feed.absolute(app, app.builder.get_target_uri(docname))
        xml = post_feed.feed_xml(app, posts=posts, title=title, path=path, alternate=alternate)
        target = Path(app.outdir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(target, xml)
        written.add(target)
    feeds = Path(app.outdir) / FEEDS_DIR
    if feeds.is_dir():
        for stale in feeds.rglob("*.xml"):
            if stale not in written:
                stale.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("blogbook.ext.post_feed")
    app.connect("config-inited", add_static_path)
    app.add_css_file(STYLE)
    app.add_directive("post-list", PostList)
    app.add_directive("tag-cloud", TagCloud)
    app.connect("doctree-read", add_post_boxes)
    app.connect("html-page-context", link_topic_feed)
    app.connect("build-finished", write_topic_feeds)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
