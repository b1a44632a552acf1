"""Show notebook launch buttons only once the book names its repository.

`_config.yml` keeps the Binder/JupyterHub/Colab settings ready, but sphinx-book-theme crashes
while rendering a notebook page when launch buttons are configured and `repository.url` is
empty. Setting `repository.url` is then the single switch that turns the buttons on.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config


def drop_launch_buttons_without_repository(app: Sphinx, config: Config) -> None:
    options: dict[str, Any] = config.html_theme_options
    if not options.get("repository_url"):
        options.pop("launch_buttons", None)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", drop_launch_buttons_without_repository)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
