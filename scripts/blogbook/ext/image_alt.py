"""Every image in the book says what it shows, or says it is decorative.

docutils writes an image without an `alt` as `alt="<its path>"`, and a screen reader reads the
path out (`../../_images/96731c….png`). The converter gives every post image an alt (empty for
decorative ones), so what is left is the hand-written pages and the notebooks' plots: a plot's
alt text comes from its cell's metadata (`"mystnb": {"image": {"alt": "..."}}`). An image with
none is a warning at its page and line, which `-W` makes an error the author sees at once.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

HOW = (
    'give the image an alt text (a notebook plot: cell metadata "mystnb": {"image": {"alt": "..."}};'
    ' decorative: alt="")'
)


def check_alt(app: Sphinx, doctree: nodes.document) -> None:
    """Warn about each image with no alt attribute at all (an empty one is a choice)."""
    for image in doctree.findall(nodes.image):
        if "alt" not in image:
            where = f"notebook cell {cell + 1}: " if (cell := _cell_of(image)) is not None else ""
            logger.warning(
                "%simage without alt text: %s",
                where,
                HOW,
                location=(app.env.docname, _line_of(image)),
                type="blogbook",
                subtype="image_alt",
            )


def _line_of(node: nodes.Node) -> int | None:
    """The source line of a node or its nearest ancestor that knows it (an image directive's
    node carries none)."""
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return current.line
        current = current.parent
    return None


def _cell_of(node: nodes.Node) -> int | None:
    """The 0-based index of the notebook cell an output belongs to, if it is one (myst-nb
    gives output nodes no line, so the cell is how the author finds it)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and isinstance(parent.get("cell_index"), int):
            return int(parent["cell_index"])
        parent = parent.parent
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", check_alt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
