"""Readable, stable section anchors for Korean headings.

Docutils builds HTML ids from ASCII only, so a heading `## 컨테이너의 개념` gets `#id3`, which
changes whenever a heading is added above it. MyST already computes a GitHub-style slug for each
heading (`컨테이너의-개념`); this extension makes that slug the section's first id, so the HTML
anchor, the page's local table of contents and MyST links `page.md#컨테이너의-개념` all use it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx


def use_slugs(app: Sphinx, doctree: nodes.document) -> None:
    """Put each section's slug first among its ids and point MyST's slug table at it."""
    slugs: dict[str, tuple[Any, str, str]] = app.env.metadata.get(app.env.docname, {}).get("myst_slugs", {})
    for section in doctree.findall(nodes.section):
        slug = section.get("slug")
        if not slug or slug in section["ids"] or slug in doctree.ids:
            continue
        section["ids"].insert(0, slug)
        doctree.ids[slug] = section
        if slug in slugs:
            line, _, text = slugs[slug]
            slugs[slug] = (line, slug, text)


def setup(app: Sphinx) -> dict[str, Any]:
    # Before Sphinx's own collectors (priority 500) record the ids for the toctree.
    app.connect("doctree-read", use_slugs, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
