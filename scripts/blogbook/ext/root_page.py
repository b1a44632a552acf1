"""The site's own address shows the book when shared: `index.html` at the root.

The landing page is `book/index.html`; sphinx-external-toc writes a bare meta-refresh file at
the root, with no title, description, card tags or feed link. Chat apps, link previews and feed
readers read the root address without following a meta refresh, so they saw nothing. Here the
root file carries the landing page's title, description, OpenGraph/Twitter tags (with its first
image), canonical address and feed link, and still sends a browser on to the landing page.
It is written whenever the landing page is, only when it changed; sphinx-external-toc then
finds the file present and leaves it alone.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..files import write_if_changed
from .post_feed import FEED_FILE
from .post_pages import page_title, page_url
from .social_cards import card_tags, summary

ROOT_FILE = "index.html"
TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
<meta name="description" content="{description}" />
<link rel="canonical" href="{canonical}" />
{cards}
<link rel="alternate" type="application/atom+xml" title="{site}" href="{feed}" />
<meta http-equiv="refresh" content="0; url={landing}" />
</head>
<body>
<p><a href="{landing}">{title}</a></p>
</body>
</html>
"""


def root_html(app: Sphinx, doctree: nodes.Node | None) -> str:
    """The root file's HTML for the landing page (`root_doc`); every value escaped once."""
    root_doc = app.config.root_doc
    description, _ = summary(app, doctree)
    return TEMPLATE.format(
        lang=escape(app.config.language or "en"),
        title=escape(page_title(app.env, root_doc)),
        description=escape(description),
        canonical=escape(page_url(app, root_doc)),
        cards="\n".join(card_tags(app, root_doc, doctree)),
        site=escape(app.config.html_title or app.config.project),
        feed=escape(FEED_FILE),
        landing=escape(app.builder.get_target_uri(root_doc)),
    )


def write_root(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """When the landing page is written, and it is not itself the root page."""
    if pagename != app.config.root_doc or app.builder.get_target_uri(pagename) == ROOT_FILE:
        return
    write_if_changed(Path(app.outdir) / ROOT_FILE, root_html(app, doctree).encode("utf-8"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", write_root, priority=990)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
