"""`{post-cards}`: the landing page's cards, built straight from the converter's data.

The converter used to write one sphinx-design card directive per post. Each card is then a
nested MyST parse, and the landing page is read again whenever a post is added or retitled:
1.3 s at 1,000 posts on every such rebuild. Here each line of the directive is one post as
JSON (title, subtitle, date, category, page, thumbnail) and the cards are built as nodes in
sphinx-design's own markup and classes, so they look the same and cost almost nothing.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import PassthroughTextElement, create_component

ROW = [
    "sd-row",
    "sd-row-cols-1",
    "sd-row-cols-xs-1",
    "sd-row-cols-sm-2",
    "sd-row-cols-md-2",
    "sd-row-cols-lg-3",
    "sd-g-3",
]
CARD = ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "sd-card-hover", "post-card"]


class PostCards(SphinxDirective):
    """One card per content line: `{"title": ..., "doc": "book/posts/x", "image": "/static/..."}`."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        row = create_component("grid-row", ROW)
        for number, line in enumerate(self.content, start=self.content_offset + 1):
            if line.strip():
                try:
                    post = json.loads(line)
                except json.JSONDecodeError as error:
                    raise self.error(f"post-cards line {number}: {error}") from None
                row += create_component("grid-item", ["sd-col", "sd-d-flex-row"], children=[self.card(post)])
        return [
            create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"], children=[row])
        ]

    def card(self, post: dict[str, str]) -> nodes.Element:
        title = create_component(
            "card-title", ["sd-card-title", "sd-font-weight-bold"], children=[nodes.Text(post["title"])]
        )
        body = create_component("card-body", ["sd-card-body"], children=[title])
        if post.get("subtitle"):
            body += nodes.paragraph("", post["subtitle"], classes=["sd-card-text"])
        footer_text = " · ".join(part for part in (post.get("category", ""), post.get("date", "")) if part)
        footer = create_component(
            "card-footer", ["sd-card-footer"], children=[nodes.paragraph("", footer_text, classes=["sd-card-text"])]
        )
        children: list[nodes.Node] = []
        if post.get("image"):
            children.append(nodes.image(uri=post["image"], alt=post["title"], classes=["sd-card-img-top"]))
        uri = self.env.app.builder.get_relative_uri(self.env.docname, post["doc"])
        link = nodes.reference("", "", nodes.inline("", post["title"]), refuri=uri, internal=True)
        link["classes"] += ["sd-stretched-link", "sd-hide-link-text"]
        # A reference must sit in a text element; this one renders no tag of its own.
        return create_component("card", CARD, children=[*children, body, footer, PassthroughTextElement("", "", link)])


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("post-cards", PostCards)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
