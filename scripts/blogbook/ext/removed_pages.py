"""Delete the HTML of pages whose source is gone.

Sphinx forgets a removed document but leaves its old HTML in the output folder, so a deleted
(or unpublished) post stays online after an incremental build, with stale navigation.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment

from .book_state import book_state


def note_removed(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Remember this build's removed pages (and forget the last build's: the environment was
    pickled before they were deleted)."""
    state = book_state(env)
    state.removed.clear()
    state.removed.update(removed)
    return []


def delete_outputs(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder):
        return
    removed = book_state(app.env).removed
    for docname in sorted(removed):
        # The file, not the URL: get_target_uri percent-encodes Korean names.
        Path(builder.get_outfilename(docname)).unlink(missing_ok=True)
        for source in (outdir / "_sources").glob(f"{glob.escape(docname)}.*"):  # `[`, `*` in a name are literal
            source.unlink()
    removed.clear()


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("blogbook.ext.book_state")
    app.connect("env-get-outdated", note_removed)
    app.connect("build-finished", delete_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
