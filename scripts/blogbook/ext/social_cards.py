"""OpenGraph and Twitter card tags, so a post link shared in chat shows its card.

Each post page gets its title, its subtitle as description, its thumbnail as image and its own
address, all as absolute URLs; other pages (the landing page above all) get their first
paragraph as description and their first image, so a shared link to the site shows a card too.
"""

from __future__ import annotations

from html import escape
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from .post_pages import image_url, page_title, page_url, post_page

DESCRIPTION_LENGTH = 160
"""About what a link preview shows before it cuts the text."""


def _tag(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{escape(name)}" content="{escape(content)}" />'


def summary(app: Sphinx, doctree: nodes.Node | None) -> tuple[str, str]:
    """A page's first paragraph (shortened) and the absolute URL of its first image, if any."""
    if doctree is None:
        return "", ""
    paragraph = next(iter(doctree.findall(nodes.paragraph)), None)
    text = " ".join(paragraph.astext().split()) if paragraph is not None else ""
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rstrip() + "…"
    # By the time a page is written its images point at `_images/`; the source path is kept here.
    sources = (node.get("candidates", {}).get("*", "") for node in doctree.findall(nodes.image))
    image = next((url for source in sources if source and (url := image_url(app, source))), "")
    return text, image


def card_tags(app: Sphinx, pagename: str, doctree: nodes.Node | None = None) -> list[str]:
    """The meta tags for one page (empty for pages that have no document, like search)."""
    if pagename not in app.env.found_docs:
        return []
    post = post_page(app, pagename)
    title = page_title(app.env, pagename)  # context["title"] is HTML already: _tag escapes once
    found_text, found_image = summary(app, doctree)  # what a post's front matter leaves out
    description = (post.subtitle if post else "") or found_text
    image = (post.image_url if post else "") or found_image
    tags = [
        _tag("property", "og:title", title),
        _tag("property", "og:url", post.url if post else page_url(app, pagename)),
        _tag("property", "og:site_name", app.config.html_title or app.config.project),
        _tag("property", "og:type", "article" if post else "website"),
        _tag("property", "og:locale", app.config.blogbook_locale),
        _tag("name", "twitter:title", title),
    ]
    if description:
        tags += [_tag("property", "og:description", description), _tag("name", "twitter:description", description)]
    if post and post.date:
        tags.append(_tag("property", "article:published_time", post.date))
    if image:
        tags += [_tag("property", "og:image", image), _tag("name", "twitter:image", image)]
        tags.append(_tag("name", "twitter:card", "summary_large_image"))
    else:
        tags.append(_tag("name", "twitter:card", "summary"))
    return tags


def add_card_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    tags = card_tags(app, pagename, doctree)
    if tags:
        context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags) + "\n"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(
        "blogbook_locale",
        "ko_KR",
        "html",
        types=[str],
        description="the book's locale in social cards (og:locale), language_TERRITORY",
    )
    app.connect("html-page-context", add_card_tags)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
