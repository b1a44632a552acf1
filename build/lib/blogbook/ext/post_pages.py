"""What the feed and the social cards know about a post page: read from its metadata.

The converter writes each post's facts (`blogbook.schema.PostFacts`) into the generated
page's front matter; MyST stores them as the page's metadata. Absolute URLs come from
`html_baseurl`, the one place the site's address is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..schema import PostFacts


@dataclass(frozen=True)
class PostPage:
    """A published post as the site serves it."""

    docname: str
    title: str
    date: str
    subtitle: str
    category: str
    url: str
    image_url: str


def page_title(env: BuildEnvironment, docname: str) -> str:
    """A page's title as plain text (the document name if it has none)."""
    return env.titles[docname].astext() if docname in env.titles else docname


def absolute(app: Sphinx, path: str) -> str:
    """`book/posts/x.html` -> `https://host/base/book/posts/x.html` (percent-encoded).

    Sphinx's target URIs arrive already encoded (`%EB%8F...`), image names may not: `%` is
    kept as is so neither is encoded twice.
    """
    base = app.config.html_baseurl or ""
    return base.rstrip("/") + "/" + quote(path.lstrip("/"), safe="/%")


def image_url(app: Sphinx, source: str) -> str:
    """Where Sphinx copied an image (`/static/image/X.png` -> `.../_images/X.png`)."""
    key = source.lstrip("/")
    if key not in app.env.images:
        return ""
    return absolute(app, f"_images/{app.env.images[key][1]}")


def page_url(app: Sphinx, docname: str) -> str:
    return absolute(app, app.builder.get_target_uri(docname))


def post_page(app: Sphinx, docname: str) -> PostPage | None:
    """The post facts of a page, or None for pages that are not posts."""
    facts = PostFacts.from_metadata(app.env.metadata.get(docname, {}))
    if facts is None:
        return None
    return PostPage(
        docname=docname,
        title=page_title(app.env, docname),
        date=facts.date,
        subtitle=facts.subtitle,
        category=facts.category,
        url=page_url(app, docname),
        image_url=image_url(app, facts.thumbnail) if facts.thumbnail else "",
    )


def all_posts(app: Sphinx) -> list[PostPage]:
    """Every post that is part of the build, newest first."""
    found = [post_page(app, docname) for docname in app.env.found_docs]
    return sorted((p for p in found if p), key=lambda p: (p.date, p.docname), reverse=True)
