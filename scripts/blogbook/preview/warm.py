"""One Sphinx application kept alive between saves, so a save costs the pages it changes.

`jupyter-book build .` starts Python, imports Jupyter Book, Sphinx and the extensions, unpickles
the environment, and, after the one changed page, pickles the environment again, reads the search
index back from `searchindex.js`, and writes it out again: at 1,000 posts most of a rebuild is
that fixed cost. Here the application is made once, the same way Jupyter Book makes it
(`jupyter_book.sphinx.build_sphinx`, whose settings come from Jupyter Book's own CLI code), and
every save runs Sphinx's own phases (read, check dependents, write, finish, `build-finished`) with
two differences, both only in what is written when:

- the environment is not pickled after each save, and the search index (with `objects.inv`) is
  not dumped; the index stays in memory (`load_indexer` reuses it instead of reading the file)
  and both are written by `flush`, on idle or on exit, atomically (temp file, then rename);
- nothing else: the pages, the sidebar, the feed, the sitemap and the removed pages' deletions
  happen as in a normal build, so the served pages equal a clean build's at once, and every file
  equals it after a flush.

The first build is Sphinx's ordinary `app.build()`, so a preview started on an empty `_build/`
leaves exactly what `jupyter-book build .` leaves.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sphinx.application import ENV_PICKLE_FILENAME, Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase
from sphinx.util.docutils import docutils_namespace, patch_docutils
from sphinx.util.parallel import SerialTasks

from ..ext.upstream import UpstreamChanged

DEFERRED_LISTENERS = frozenset({"blogbook.ext.post_feed.write_feed", "blogbook.ext.sitemap.write_sitemap"})
"""`build-finished` handlers whose files no page shows (the feed, the sitemap): each rebuilds its
XML from every post (0.1 s at 1,000 posts), so they run on `flush`, with the search index."""


class Stopped(BaseException):
    """Raised at a safe point (between two pages) when the preview is asked to stop.

    A BaseException, like KeyboardInterrupt, so Sphinx's event manager passes it through
    instead of wrapping it in an ExtensionError.
    """


@dataclass(frozen=True)
class BuildResult:
    """What one save changed: the pages written (docnames) and whether anything was read."""

    written: tuple[str, ...]
    read: tuple[str, ...]
    warnings: int


def jupyter_book_settings(root: Path, toc: Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """The config file and Sphinx overrides `jupyter-book build ROOT [--toc TOC]` would use,
    from its own code."""
    from jupyter_book.cli.main import build

    callback = build.callback
    expected = ["path_source", "path_output", "config", "toc", "warningiserror", "get_config_only"]
    parameters = list(inspect.signature(callback).parameters)
    if any(name not in parameters for name in expected):
        raise UpstreamChanged("the warm preview's build settings", f"jupyter-book build takes {parameters}")
    path_config, _, overrides = callback(
        path_source=str(root),
        path_output=None,
        config=None,
        toc=str(root / toc) if toc else None,
        warningiserror=False,
        nitpick=False,
        keep_going=False,
        freshenv=False,
        builder="html",
        custom_builder=None,
        verbose=0,
        quiet=0,
        individualpages=False,
        get_config_only=True,
    )
    settings = dict(overrides)
    # With get_config_only the toc path comes back relative; the build itself passes it absolute,
    # and Sphinx compares it with the pickled environment's (a difference rebuilds everything).
    # `--toc FILE` it passes as written (`make book HANDS_ON=0` gives a relative one).
    found = settings.get("external_toc_path")
    if toc is not None:
        settings["external_toc_path"] = toc.as_posix()
    elif isinstance(found, str) and not Path(found).is_absolute():
        settings["external_toc_path"] = (root / found).as_posix()
    return (Path(path_config) if path_config else None), settings


def _check_builder_shape() -> None:
    """The phases `update` runs one by one must still be the ones `Builder.build` runs."""
    source = inspect.getsource(Builder.build)
    expected = (
        "self.read()",
        "self.env.check_dependents(self.app, updated_docnames)",
        "pickle.dump(self.env, f, pickle.HIGHEST_PROTOCOL)",
        "self.env.check_consistency()",
        "self.write(docnames, list(updated_docnames), method)",
        "self.finish()",
    )
    missing = [line for line in expected if line not in source]
    if missing:
        raise UpstreamChanged("the warm preview's build phases", f"Builder.build changed ({missing})")
    finish = inspect.getsource(StandaloneHTMLBuilder.handle_finish)
    if "dump_search_index" not in finish or "dump_inventory" not in finish:
        raise UpstreamChanged("the deferred search index", "StandaloneHTMLBuilder.handle_finish changed")
    if list(inspect.signature(StandaloneHTMLBuilder.load_indexer).parameters) != ["self", "docnames"]:
        raise UpstreamChanged("the in-memory search index", "load_indexer takes other arguments")


class WarmBook:
    """A Sphinx application for ROOT that stays loaded; `update` after each save, `flush` when idle."""

    def __init__(self, root: Path, status: IO[str] | None, warning: IO[str], toc: Path | None = None) -> None:
        _check_builder_shape()
        from jupyter_book.config import get_final_config

        self.root = root
        self._stack = contextlib.ExitStack()
        path_config, overrides = jupyter_book_settings(root, toc)
        sphinx_config, _ = get_final_config(
            user_yaml=path_config, cli_config=overrides, sourcedir=root, use_external_toc=True
        )
        # docutils_namespace restores docutils' global directive and role tables on exit:
        # it must stay open as long as the application does.
        self._stack.enter_context(patch_docutils(None))
        self._stack.enter_context(docutils_namespace())
        build_dir = root / "_build"
        self.app = Sphinx(
            srcdir=root,
            confdir=None,
            outdir=build_dir / "html",
            doctreedir=build_dir / ".doctrees",
            buildername="html",
            confoverrides=sphinx_config,
            status=status,
            warning=warning,
            freshenv=False,
            warningiserror=False,
            keep_going=False,
        )
        builder = self.app.builder
        if not isinstance(builder, StandaloneHTMLBuilder):
            raise UpstreamChanged("the warm preview", f"the html builder is a {type(builder).__name__}")
        self.builder = builder
        # Themes add per-page scripts through `app.add_js_file` while pages render
        # (pydata-sphinx-theme: `DOCUMENTATION_OPTIONS.pagename = ...`); the application's registry
        # keeps them, and the next `prepare_writing` would copy every earlier page's script into
        # every later page. A fresh process starts each build from these lists: so does `update`.
        registry = self.app.registry
        self._assets: tuple[list[Any], ...] = (
            list(registry.js_files),
            list(registry.css_files),
            list(builder._js_files),
            list(builder._css_files),
        )
        self._first_running = False
        self._deferred: list[Callable[..., Any]] = []
        self._unsaved = False  # the environment and search index on disk are older than the pages
        self._kept_index: Any = None
        self._stop_check: Callable[[], bool] = lambda: False
        self.app.connect("html-page-context", self._safe_point)
        self.app.connect("source-read", self._safe_point_read)

    # --- stopping between pages -----------------------------------------------------------------

    def stop_when(self, check: Callable[[], bool]) -> None:
        """`check()` is asked between pages; True ends the build with `Stopped`."""
        self._stop_check = check

    def _safe_point(self, *args: object) -> None:
        """Before a page is rendered (nothing of it written yet)."""
        if self._stop_check():
            raise Stopped

    def _safe_point_read(self, *args: object) -> None:
        if self._stop_check():
            raise Stopped

    # --- building -------------------------------------------------------------------------------

    def first_build(self) -> int:
        """Sphinx's own build, as `jupyter-book build .` runs it: pickles and dumps everything."""
        self._first_running = True
        self.app.build()
        self._first_running = False
        self._keep_index()
        return self.app.statuscode

    def _keep_index(self) -> None:
        self._kept_index = getattr(self.builder, "indexer", None)

    @contextlib.contextmanager
    def _deferred_writes(self) -> Iterator[None]:
        """The search index and the inventory are dumped by `flush`, the index kept in memory."""
        builder = self.builder
        kept = self._kept_index

        def load_indexer(docnames: Any) -> None:
            if kept is None:
                StandaloneHTMLBuilder.load_indexer(builder, docnames)
                return
            builder.indexer = kept
            kept.prune(set(builder.env.all_docs) - set(docnames))

        builder.load_indexer = load_indexer  # type: ignore[method-assign]
        builder.handle_finish = lambda: None  # type: ignore[method-assign]
        try:
            yield
        finally:
            del builder.load_indexer, builder.handle_finish  # the class's own again

    def _restore_assets(self) -> None:
        registry, builder = self.app.registry, self.builder
        lists: tuple[list[Any], ...] = (registry.js_files, registry.css_files, builder._js_files, builder._css_files)
        for current, initial in zip(lists, self._assets, strict=True):
            current[:] = initial

    def update(self) -> BuildResult:
        """Read what changed, write its pages and everything Sphinx writes after them, except the
        environment pickle, the search index and the inventory (see `flush`)."""
        app, builder, env = self.app, self.builder, self.builder.env
        self._restore_assets()
        warnings_before = app._warncount
        app.phase = BuildPhase.READING
        try:
            with logging.pending_warnings():
                updated = set(builder.read())
            updated.update(env.check_dependents(app, updated))
            to_build = builder.get_outdated_docs()
            docnames = ["__all__"] if isinstance(to_build, str) else list(to_build)
            if not updated and not docnames:
                return BuildResult((), (), app._warncount - warnings_before)
            if updated:
                self._unsaved = True
                app.phase = BuildPhase.CONSISTENCY_CHECK
                env.check_consistency()
            app.phase = BuildPhase.RESOLVING
            wanted = None if docnames == ["__all__"] else set(docnames) & env.found_docs
            builder.parallel_ok = False
            builder.finish_tasks = SerialTasks()
            written: list[str] = []
            write_doc = builder.write_doc

            def noting_write_doc(docname: str, doctree: Any) -> None:
                write_doc(docname, doctree)
                written.append(docname)

            builder.write_doc = noting_write_doc  # type: ignore[method-assign]
            try:
                with self._deferred_writes():
                    builder.write(wanted if wanted is not None else ["__all__"], sorted(updated), "update")
                    builder.finish()
                    builder.finish_tasks.join()
                    self._kept_index = builder.indexer
            finally:
                del builder.write_doc
            with self._deferred_listeners() as deferred:
                app.events.emit("build-finished", None)
            self._deferred = deferred
        except Stopped:
            raise
        except Exception as error:
            self._unsaved = True
            app.events.emit("build-finished", error)
            raise
        return BuildResult(tuple(written), tuple(sorted(updated)), app._warncount - warnings_before)

    @contextlib.contextmanager
    def _deferred_listeners(self) -> Iterator[list[Callable[..., Any]]]:
        """Take the deferred `build-finished` handlers out for the duration; yield them."""
        listeners = getattr(self.app.events, "listeners", None)
        if not isinstance(listeners, dict):
            raise UpstreamChanged("the deferred feed and sitemap", "Sphinx's EventManager has no listeners table")
        registered = listeners.get("build-finished", [])
        names = [
            f"{getattr(item.handler, '__module__', '')}.{getattr(item.handler, '__qualname__', '')}"
            for item in registered
        ]
        taken = [item for item, name in zip(registered, names, strict=True) if name in DEFERRED_LISTENERS]
        listeners["build-finished"] = [item for item in registered if item not in taken]
        try:
            yield [item.handler for item in taken]
        finally:
            listeners["build-finished"] = registered

    # --- deferred writes ------------------------------------------------------------------------

    @property
    def unsaved(self) -> bool:
        return self._unsaved

    def flush(self) -> None:
        """Write the environment, the search index and the inventory, each atomically."""
        builder = self.builder
        for handler in self._deferred:
            handler(self.app, None)
        self._deferred = []
        if not self._unsaved:
            return
        if self._kept_index is not None:
            builder.indexer = self._kept_index
            builder.dump_search_index()  # Sphinx's own: temp file, then rename
        _atomic_write(Path(builder.outdir) / "objects.inv", lambda path: _dump_inventory(builder, path))
        _atomic_write(
            Path(builder.doctreedir) / ENV_PICKLE_FILENAME,
            lambda path: _pickle_to(builder.env, path),
        )
        self._unsaved = False

    def discard(self) -> None:
        """A build was stopped half-way: write nothing of its state.

        After a stopped `update` the files on disk (environment and search index of the last
        flush, older than some pages) make the next build read the changed sources again. A
        stopped first build has pickled an environment for pages it did not all write, with
        no search index to match: it is deleted, as Sphinx deletes it after a failed build.
        """
        self._unsaved = False
        if self._first_running:
            (Path(self.builder.doctreedir) / ENV_PICKLE_FILENAME).unlink(missing_ok=True)

    def close(self) -> None:
        """Leave the docutils namespace the application was made in (`flush` first to keep its state)."""
        self._stack.close()


def _dump_inventory(builder: StandaloneHTMLBuilder, path: Path) -> None:
    from sphinx.util.inventory import InventoryFile

    InventoryFile.dump(str(path), builder.env, builder)


def _pickle_to(env: object, path: Path) -> None:
    path.write_bytes(pickle.dumps(env, pickle.HIGHEST_PROTOCOL))


def _atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """`write` a temp file beside `target`, then rename it: a reader sees the old or the new file."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        write(temporary)
        temporary.chmod(0o644)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
