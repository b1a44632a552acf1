"""`{post-cards}`: the landing page's cards, built straight from the converter's data.

The converter used to write one sphinx-design card directive per post. Each card is then a
nested MyST parse, and the landing page is read again whenever a post is added or retitled:
1.3 s at 1,000 posts on every such rebuild. Here each line of the directive is one post as
JSON (title, subtitle, date, category, page, thumbnail) and each card is written as
sphinx-design's own markup and classes, so it looks the same and costs almost nothing.

A card is three nodes, not fifteen: its HTML before and after the thumbnail is one raw node
each, and only the thumbnail stays an image node, so Sphinx still copies the file and points
at the copy. Every transform walks every node of the landing page when it is read and
written; with 1,000 cards that walk was most of the cost of adding a post.
"""

from __future__ import annotations

from html import escape
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import create_component

from ..schema import Card, korean_date

ROW = [
    "sd-row",
    "sd-row-cols-1",
    "sd-row-cols-xs-1",
    "sd-row-cols-sm-2",
    "sd-row-cols-md-2",
    "sd-row-cols-lg-3",
    "sd-g-3",
]
CARD = "sd-card sd-sphinx-override sd-w-100 sd-shadow-sm sd-card-hover post-card docutils"


def _html(markup: str) -> nodes.raw:
    return nodes.raw("", markup, format="html")


class EmptyCards(nodes.Invisible, nodes.Element):
    """Where a `{post-cards}` block had no card to show; `drop_empty_sections` removes it."""


def drop_empty_sections(app: Sphinx, doctree: nodes.document) -> None:
    """A section that only held cards of pages left out of the build (`make book HANDS_ON=0`)
    goes too, rather than showing its heading over nothing."""
    for marker in list(doctree.findall(EmptyCards)):
        section = marker.parent
        if isinstance(section, nodes.section) and all(
            isinstance(child, (nodes.title, EmptyCards)) for child in section.children
        ):
            section.parent.remove(section)
        else:
            marker.parent.remove(marker)


class PostCards(SphinxDirective):
    """One card per content line, each a `blogbook.schema.Card` as JSON."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        row = create_component("grid-row", ROW)
        for number, line in enumerate(self.content, start=self.content_offset + 1):
            if line.strip():
                try:
                    post = Card.from_json_line(line)
                except ValueError as error:  # json.JSONDecodeError is one
                    raise self.error(f"post-cards line {number}: {error}") from None
                if post.doc in self.env.found_docs:  # a one-off build may leave a part out (HANDS_ON=0)
                    row += self.card(post)
        if not row.children:  # every card's page is left out of this build: so is its section
            return [EmptyCards()]
        return [
            create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"], children=[row])
        ]

    def card(self, post: Card) -> list[nodes.Node]:
        """The markup sphinx-design writes for a card with an image, a title, text and a link."""
        title = escape(post.title)
        opening = f'<div class="sd-col sd-d-flex-row docutils">\n<div class="{CARD}">\n'
        subtitle = f'<p class="sd-card-text">{escape(post.subtitle)}</p>\n' if post.subtitle else ""
        footer = " · ".join(part for part in (post.category, korean_date(post.date) if post.date else "") if part)
        mark = f' <span class="post-mark">{escape(post.mark)}</span>' if post.mark else ""
        uri = self.env.app.builder.get_relative_uri(self.env.docname, post.doc)
        closing = (
            '<div class="sd-card-body docutils">\n'
            f'<div class="sd-card-title sd-font-weight-bold docutils">\n{title}</div>\n{subtitle}</div>\n'
            f'<div class="sd-card-footer docutils">\n<p class="sd-card-text">{escape(footer)}{mark}</p>\n</div>\n'
            f'<a class="sd-stretched-link sd-hide-link-text reference internal" href="{escape(uri)}">'
            f"<span>{title}</span></a></div>\n</div>\n"
        )
        if not post.image:
            return [_html(opening), _html(closing)]
        # Decorative: the card's title follows it, and a screen reader would read the title twice.
        image = nodes.image(uri=post.image, alt="", classes=["sd-card-img-top"])
        return [_html(opening), image, _html(closing)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("post-cards", PostCards)
    app.add_node(EmptyCards)
    app.connect("doctree-read", drop_empty_sections)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
