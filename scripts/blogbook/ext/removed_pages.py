"""Delete every trace of pages whose source is gone.

Sphinx forgets a removed document but leaves its old HTML, its source copy and its images in
the output folder, and its words in the search index, so a deleted (or unpublished) post stayed online
after an incremental build, with stale navigation, and could still be found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment

from . import upstream
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


def _source_copies(app: Sphinx, docname: str) -> list[str]:
    """The names Sphinx gives a page's source copy, for each source suffix (as in `get_doc_context`)."""
    link_suffix = app.config.html_sourcelink_suffix
    return [docname + suffix + ("" if suffix == link_suffix else link_suffix) for suffix in app.config.source_suffix]


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
        for name in _source_copies(app, docname):  # exact names: a glob would read `[`, `*` in a name
            (outdir / "_sources" / name).unlink(missing_ok=True)
    if removed:
        _delete_unused_images(outdir / builder.imagedir, app.env)
    removed.clear()


def _delete_unused_images(folder: Path, env: BuildEnvironment) -> None:
    """Images only removed pages showed (a clean build would not copy them)."""
    if not folder.is_dir():
        return
    used = {unique for _, unique in env.images.values()}
    for file in folder.iterdir():
        if file.is_file() and file.name not in used:
            file.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("blogbook.ext.book_state")
    app.setup_extension("blogbook.ext.asset_versions")  # same links in clean and incremental builds
    upstream.prune_search_terms_completely()
    app.connect("env-get-outdated", note_removed)
    app.connect("build-finished", delete_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
