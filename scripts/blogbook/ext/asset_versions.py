"""Every page links myst-nb's stylesheet the same way, whether the build is clean or incremental.

Sphinx adds `?v=<checksum>` to a stylesheet's link when the file is already in `_static/`
as the page is written. myst-nb copies its stylesheet there only after the build
(`build-finished`), so a clean build's pages linked `mystnb.<hash>.css` and every page written
by a later build linked `mystnb.<hash>.css?v=...`: an incremental build (and the live
preview) never matched a clean one. The stylesheet is copied before any page is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from myst_nb.sphinx_ext import add_global_html_resources
from sphinx.application import Sphinx


def copy_before_writing(app: Sphinx) -> None:
    """`builder-inited`: myst-nb's own copy step, run early (it runs again after the build)."""
    if app.builder.format == "html":
        (Path(app.builder.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", copy_before_writing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
