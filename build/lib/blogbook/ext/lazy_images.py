"""`loading="lazy"` on every image, so a landing page with hundreds of cards stays quick.

Docutils' HTML writer knows the `image_loading` setting; Sphinx hands the environment's
docutils settings to its writer, so setting it once makes every `<img>` lazy.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def lazy(app: Sphinx) -> None:
    app.env.settings["image_loading"] = "lazy"


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", lazy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
