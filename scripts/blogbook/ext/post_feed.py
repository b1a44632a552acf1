"""An Atom feed of the posts (`feed.xml`, newest first), linked from every page's head.

Feed readers need absolute links and a date per entry; both come from the post pages'
metadata and `html_baseurl`. The file is written once per build, after all pages are known.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..files import write_if_changed
from .post_pages import PostPage, absolute, all_posts

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"


def _timestamp(app: Sphinx, date: str) -> str:
    """A post's date as an Atom timestamp: midnight where the author writes."""
    return f"{date}T00:00:00{app.config.blogbook_timezone}"


def feed_xml(
    app: Sphinx,
    posts: list[PostPage] | None = None,
    title: str = "",
    path: str = FEED_FILE,
    alternate: str = "",
) -> bytes:
    """The Atom document for the current build: the site's (every post), or a topic's
    (`posts`, newest first, with its own title, file and page, `blogbook.ext.post_listings`)."""
    ET.register_namespace("", ATOM)
    posts = all_posts(app) if posts is None else posts
    alternate = alternate or absolute(app, "")
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": app.config.language or "ko"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title or app.config.html_title or app.config.project
    ET.SubElement(feed, f"{{{ATOM}}}id").text = alternate
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": absolute(app, path)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": alternate})
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _timestamp(app, posts[0].date if posts else "1970-01-01")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = app.config.author or app.config.project
    for post in posts:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = post.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = post.url
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": post.url})
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(app, post.date)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(app, post.date)
        if post.subtitle:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = post.subtitle
        if post.category:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": post.category})
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def link_feed(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Every page's head points feed readers at the feed."""
    href = context["pathto"](FEED_FILE, 1)
    title = app.config.html_title or app.config.project
    link = f'<link rel="alternate" type="application/atom+xml" title="{escape(title)}" href="{escape(href)}" />'
    context["metatags"] = context.get("metatags", "") + "\n" + link + "\n"


def write_feed(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        write_if_changed(Path(app.outdir) / FEED_FILE, feed_xml(app))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(
        "blogbook_timezone",
        "+09:00",
        "html",
        types=[str],
        description="UTC offset of the author's dates, for the feed's timestamps (a date alone is not valid Atom)",
    )
    app.connect("html-page-context", link_feed)
    app.connect("build-finished", write_feed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
