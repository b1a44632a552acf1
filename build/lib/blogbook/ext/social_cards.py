"""OpenGraph and Twitter card tags, so a post link shared in chat shows its card.

Each post page gets its title, its subtitle as description, its thumbnail as image and its own
address, all as absolute URLs; other pages get title, address and the site name.
"""

from __future__ import annotations

from html import escape
from typing import Any

from sphinx.application import Sphinx

from .post_pages import page_title, page_url, post_page


def _tag(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{escape(name)}" content="{escape(content)}" />'


def card_tags(app: Sphinx, pagename: str, context: dict[str, Any]) -> list[str]:
    """The meta tags for one page (empty for pages that have no document, like search)."""
    if pagename not in app.env.found_docs:
        return []
    post = post_page(app, pagename)
    title = page_title(app.env, pagename)  # context["title"] is HTML already: _tag escapes once
    tags = [
        _tag("property", "og:title", title),
        _tag("property", "og:url", post.url if post else page_url(app, pagename)),
        _tag("property", "og:site_name", app.config.html_title or app.config.project),
        _tag("property", "og:type", "article" if post else "website"),
        _tag("property", "og:locale", app.config.blogbook_locale),
        _tag("name", "twitter:title", title),
    ]
    if post and post.subtitle:
        tags += [_tag("property", "og:description", post.subtitle), _tag("name", "twitter:description", post.subtitle)]
    if post and post.date:
        tags.append(_tag("property", "article:published_time", post.date))
    if post and post.image_url:
        tags += [_tag("property", "og:image", post.image_url), _tag("name", "twitter:image", post.image_url)]
        tags.append(_tag("name", "twitter:card", "summary_large_image"))
    else:
        tags.append(_tag("name", "twitter:card", "summary"))
    return tags


def add_card_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    tags = card_tags(app, pagename, context)
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
