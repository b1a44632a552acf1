"""One Sphinx application kept alive between saves, so a save costs the pages it changes.

`jupyter-book build .` starts Python, imports Jupyter Book, Sphinx and the extensions, unpickles
the environment, and, after the one changed page, pickles the environment again, reads the search
index back from `searchindex.js`, and writes it out again: at 1,000 posts most of a rebuild is
that fixed cost. Here the application is made once, the same way Jupyter Book makes it
(`jupyter_book.sphinx.build_sphinx`, whose settings come from Jupyter Book's own CLI code), and
every save runs Sphinx's own phases (read, check dependents, write, finish, `build-finished`)
with differences only in what is written when:

- `update` does not pickle the environment, dump the search index (kept in memory instead:
  `load_indexer` reuses it) or the inventory, nor run the handlers of `DEFERRED_LISTENERS`
  (the feeds, the sitemap, our search index); `flush` does, on idle (in a forked child, see
  `background`) or on exit, each file atomically;
- `update(only=...)`, for a save that changed only a post's text, reads and writes that page
  and owes the rest (finding sources, static files, the general index, feeding the search
  index, `OWED_LISTENERS`) to the next full `update` or `flush`.

The pages, the sidebar and the removed pages' deletions happen as in a normal build, so the
served pages equal a clean build's once the save's full update has run, and every file equals
it after a flush. The first build is Sphinx's ordinary `app.build()`, so a preview started on
an empty `_build/` leaves exactly what `jupyter-book build .` leaves.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import os
import pickle
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sphinx.application import ENV_PICKLE_FILENAME, Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase
from sphinx.util.docutils import docutils_namespace, patch_docutils
from sphinx.util.parallel import SerialTasks

from ..ext.upstream import UpstreamChanged
from ..files import atomic_write

DEFERRED_LISTENERS = frozenset(
    {
        "blogbook.ext.post_feed.write_feed",
        "blogbook.ext.post_listings.write_topic_feeds",
        "blogbook.ext.sitemap.write_sitemap",
        "blogbook.ext.instant_search.write_index",
    }
)
"""`build-finished` handlers whose files no page shows: the feeds, the sitemap and the search
index. Each makes its files from every post (the search index 0.7 s at 1,000 posts, the feeds
0.1 s), so they run on `flush`, with Sphinx's own search index."""
OWED_LISTENERS = frozenset(
    {
        "blogbook.ext.shared_nav.rewrite_neighbours",
        "blogbook.ext.shared_nav.write_nav",
        "blogbook.ext.page_assets.refresh_bundles",
    }
)
"""Handlers (of `env-updated` and `build-finished`) a quick update leaves to the next update:
the sidebar and the previous/next links show titles and the table of contents, and the page
bundles are checked against the static files; a quick update's saves changed none of them
(see `update`). Each walks every page: 0.03 s together at 1,000 posts."""


def _mutable_defaults() -> dict[str, Any]:
    """Sphinx's own mutable defaults (lists, dicts), as they are before any application."""
    return {
        name: copy.deepcopy(option.default)
        for name, option in Config.config_values.items()
        if isinstance(option.default, (list, dict, set))
    }


_PRISTINE = _mutable_defaults()


def _restore_defaults() -> None:
    """Put Sphinx's mutable defaults back as they were before the first application.

    Every application shares them, and extensions change them in place (the themes append their
    component folders to `templates_path`): a second application in one process would start
    from the first one's, hash its configuration differently from `.buildinfo`, and write every
    page again (42 s at 1,000 posts, for one added post).
    """
    for name, pristine in _PRISTINE.items():
        current = Config.config_values[name].default
        if isinstance(current, list):
            current[:] = copy.deepcopy(pristine)
        elif isinstance(current, (dict, set)):
            current.clear()
            current.update(copy.deepcopy(pristine))


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
    """The phases `update` runs one by one must still be the ones `Builder.build` runs, and the
    calls a quick update replaces must still be made where it replaces them."""
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
    read = inspect.getsource(Builder.read)
    for call in ("self.env.find_files(self.config, self)", "self.env.get_outdated_files(", "self._read_serial("):
        if call not in read:
            raise UpstreamChanged("the quick update", f"Builder.read no longer calls {call}")
    if "self.copy_assets()" not in inspect.getsource(Builder.write):
        raise UpstreamChanged("the quick update", "Builder.write no longer copies the assets")
    if "self.index_page(" not in inspect.getsource(StandaloneHTMLBuilder.write_doc_serialized):
        raise UpstreamChanged("the quick update", "write_doc_serialized no longer feeds the search index")
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
        _restore_defaults()
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
        self._due = False  # the deferred `build-finished` handlers have not run since the last update
        self._unsaved = False  # the environment and search index on disk are older than the pages
        self._kept_index: Any = None
        self._owed = False  # a quick update left the steps after the pages to the next update
        self._unindexed: set[str] = set()  # pages written by quick updates, not in the search index yet
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

    def warm_up(self, docname: str) -> None:
        """Build one page again as a save would, so the first save is as quick as the next.

        A save's first update in a new process pays once for what the first build skipped when
        nothing had changed: loading the search index, compiling the theme's templates and
        a few hundred regular expressions (0.5 s at 1,000 posts). Here that is paid before the
        preview serves. The page comes out the same, so its file keeps its bytes and its time
        (an open tab does not reload; a deploy by time uploads nothing).
        """
        page = Path(self.builder.get_outfilename(docname))
        try:
            before, stat = page.read_bytes(), page.stat()
        except OSError:
            return
        self.update(only=[docname])
        with contextlib.suppress(OSError):
            if page.read_bytes() == before:
                os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    def _keep_index(self) -> None:
        self._kept_index = getattr(self.builder, "indexer", None)

    @contextlib.contextmanager
    def _deferred_writes(self, quick: bool) -> Iterator[None]:
        """The search index and the inventory are dumped by `flush`, the index kept in memory
        (a quick update does not even prune it: `_index_owed` does)."""
        builder = self.builder
        kept = self._kept_index

        def load_indexer(docnames: Any) -> None:
            if kept is None:
                StandaloneHTMLBuilder.load_indexer(builder, docnames)
                return
            builder.indexer = kept
            if not quick:  # pages about to be written are fed again; so are those a quick update owes
                kept.prune(set(builder.env.all_docs) - set(docnames) - self._unindexed)

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

    def update(
        self, writing: contextlib.AbstractContextManager[Any] | None = None, only: Collection[str] | None = None
    ) -> BuildResult:
        """Read what changed, write its pages and everything Sphinx writes after them, except the
        environment pickle, the search indexes, the inventory, the feeds and the sitemap (see
        `flush`). `writing` is held while files of the site are written (not while reading), so
        the server can go on serving the last pages until the new ones are written.

        `only` names the documents whose sources changed, when that is known and nothing else
        changed (the converter's quick path wrote exactly those): their pages come first, and
        what no page shows is owed to the next full update: finding every source and comparing
        its time, copying the static files, the general index and the extra pages, feeding
        Sphinx's search index, and the handlers of `OWED_LISTENERS`. At 1,000 posts that takes a
        save's update from 0.26 s to 0.08 s.
        """
        app, builder, env = self.app, self.builder, self.builder.env
        self._restore_assets()
        warnings_before = app._warncount
        app.phase = BuildPhase.READING
        try:
            skipped = OWED_LISTENERS if only is not None else frozenset()
            with logging.pending_warnings(), self._known_changes(only), self._without_listeners("env-updated", skipped):
                updated = set(builder.read())
            updated.update(env.check_dependents(app, updated))
            wanted = self._to_write(only)
            if not updated and wanted is not None and not wanted and not self._owed:
                return BuildResult((), (), app._warncount - warnings_before)
            if updated:
                self._unsaved = True
                app.phase = BuildPhase.CONSISTENCY_CHECK
                env.check_consistency()
            app.phase = BuildPhase.RESOLVING
            written = self._write(wanted, updated, writing, quick=only is not None)
            self._due = True
        except Stopped:
            raise
        except Exception as error:
            self._unsaved = True
            app.events.emit("build-finished", error)
            raise
        return BuildResult(tuple(written), tuple(sorted(updated)), app._warncount - warnings_before)

    def _to_write(self, only: Collection[str] | None) -> set[str] | None:
        """The pages to write (None: all of them)."""
        found = self.builder.env.found_docs
        if only is not None:
            return set(only) & found
        outdated = self.builder.get_outdated_docs()
        return None if isinstance(outdated, str) else set(outdated) & found

    def _write(
        self,
        wanted: set[str] | None,
        updated: set[str],
        writing: contextlib.AbstractContextManager[Any] | None,
        quick: bool,
    ) -> list[str]:
        app, builder = self.app, self.builder
        builder.parallel_ok = False
        builder.finish_tasks = SerialTasks()
        written: list[str] = []
        write_doc = builder.write_doc

        def noting_write_doc(docname: str, doctree: Any) -> None:
            write_doc(docname, doctree)
            written.append(docname)

        builder.write_doc = noting_write_doc  # type: ignore[method-assign]
        with writing or contextlib.nullcontext():
            try:
                with self._deferred_writes(quick), self._pages_only(quick):
                    pages = wanted is None or bool(wanted) or bool(updated)
                    if pages:
                        builder.write(wanted if wanted is not None else ["__all__"], sorted(updated), "update")
                    if not quick:
                        self._index_owed(set(written))
                        if not pages:  # only what a quick update owed: the steps after the pages
                            builder.copy_assets()
                        builder.finish()
                        builder.finish_tasks.join()
                        self._owed = False
                    self._kept_index = builder.indexer
            finally:
                del builder.write_doc
            with self._without_listeners("build-finished", DEFERRED_LISTENERS | (OWED_LISTENERS if quick else set())):
                app.events.emit("build-finished", None)
        return written

    @contextlib.contextmanager
    def _known_changes(self, only: Collection[str] | None) -> Iterator[None]:
        """With `only`, Sphinx's read takes those as the changed documents instead of listing
        the source folder and comparing every source's time with its record."""
        if only is None:
            yield
            return
        env = self.builder.env
        env.find_files = lambda config, builder: None  # type: ignore[method-assign]
        env.get_outdated_files = lambda config_changed: (set(), set(only), set())  # type: ignore[method-assign]
        try:
            yield
        finally:
            del env.find_files, env.get_outdated_files  # the class's own again

    @contextlib.contextmanager
    def _pages_only(self, quick: bool) -> Iterator[None]:
        """A quick update writes the pages and owes the rest (see `update`)."""
        if not quick:
            yield
            return
        builder = self.builder
        builder.copy_assets = lambda: None  # type: ignore[method-assign]
        builder.index_page = lambda pagename, doctree, title: self._unindexed.add(pagename)  # type: ignore[method-assign]
        self._owed = True
        try:
            yield
        finally:
            del builder.copy_assets, builder.index_page

    def _index_owed(self, written: set[str]) -> None:
        """Feed Sphinx's search index the pages quick updates wrote without it (not `written`
        again just now: writing fed them)."""
        builder, env = self.builder, self.builder.env
        owed = self._unindexed - written
        if owed and builder.indexer is not None:
            builder.indexer.prune(set(env.all_docs) - owed)  # their old words out first
        for docname in sorted(owed):
            if docname in env.found_docs:
                doctree = env.get_and_resolve_doctree(docname, builder)
                title_node = env.longtitles.get(docname)
                title = builder.render_partial(title_node)["title"] if title_node else ""
                builder.index_page(docname, doctree, title)
        self._unindexed.clear()

    def _listeners(self, event: str) -> list[Any]:
        listeners = getattr(self.app.events, "listeners", None)
        if not isinstance(listeners, dict):
            raise UpstreamChanged("the deferred feed and sitemap", "Sphinx's EventManager has no listeners table")
        return list(listeners.get(event, []))

    @staticmethod
    def _named(listener: Any, names: frozenset[str] = DEFERRED_LISTENERS) -> bool:
        """The listener's handler is one of `names` (`module.qualname`)."""
        handler = listener.handler
        return f"{getattr(handler, '__module__', '')}.{getattr(handler, '__qualname__', '')}" in names

    @contextlib.contextmanager
    def _without_listeners(self, event: str, names: frozenset[str]) -> Iterator[None]:
        """Take the `event` handlers `names` out for the duration."""
        registered = self._listeners(event)
        kept = [item for item in registered if not self._named(item, names)]
        self.app.events.listeners[event] = kept
        try:
            yield
        finally:
            self.app.events.listeners[event] = registered

    # --- deferred writes ------------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        """Something waits for `flush`."""
        return self._due or self._unsaved

    def mark_written(self) -> None:
        """What was pending is being written elsewhere (a forked child's `flush`)."""
        self._due = self._unsaved = False

    def mark_pending(self) -> None:
        """That write failed: the next `flush` writes everything again."""
        self._due = self._unsaved = True

    def flush(self, handlers: bool = True) -> None:
        """Run the deferred handlers (unless not `handlers`: the next application will); write
        the environment, the search index and the inventory, each atomically."""
        builder = self.builder
        if self._due and handlers:
            for listener in self._listeners("build-finished"):
                if self._named(listener):
                    listener.handler(self.app, None)
            self._due = False
        if not self._unsaved:
            return
        if self._kept_index is not None:
            builder.indexer = self._kept_index
            self._index_owed(set())
            builder.dump_search_index()  # Sphinx's own: temp file, then rename
        atomic_write(Path(builder.outdir) / "objects.inv", lambda path: _dump_inventory(builder, path))
        atomic_write(
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
