"""`make serve`: convert, build, serve, and after every save convert and build again, warm.

One process keeps the converter and the Sphinx application loaded (`converting`, `warm`); the
open tabs listen to an event stream and reload where the reader was (`server`, `client`).
Problems (the converter's, or the build's warnings) print in the terminal and show over the
page; the book served stays the last good one.

A save that changed only a post's text builds that post's page first and tells the tabs; the
pages that list the post (reading times, related posts) follow when the preview has been quiet
for REST_MS. The environment, the search indexes, the feeds, the sitemap and the converter's
memo are written by a forked child when it has been idle for IDLE_MS (`background`), and on
exit.

Ctrl+C (SIGINT) and SIGTERM stop at the next safe point (between two pages; never inside a
file being written), write what is pending, free the port and exit with status 0. A second
signal stops at once.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TypeVar

from watchfiles import Change

from ..converter.diagnostics import ConversionError
from .background import BackgroundWriter, settle_memory
from .converting import ConvertResult, WarmConverter
from .server import Server, Shown, handler_for
from .sources import Sources
from .warm import Stopped, WarmBook
from .watching import Watcher

TICK_MS = 50
"""How often the loop looks at the clock when no file changes."""
REST_MS = 700
"""After a save's own page: the rest of the save is built after this long without another
(the tabs reload meanwhile, undisturbed)."""
IDLE_MS = 1000
"""Deferred files are written after this long without a save."""
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
RESTART = "restart"
T = TypeVar("T")


def say(line: str) -> None:
    print(line, flush=True)


@dataclass
class StopSignals:
    """SIGINT and SIGTERM set `event`; the loop and the build look at it at safe points."""

    event: threading.Event = field(default_factory=threading.Event)

    def install(self) -> None:
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, self._received)

    def _received(self, number: int, frame: FrameType | None) -> None:
        if self.event.is_set():
            raise Stopped  # the second signal: stop now
        self.event.set()


class Warnings:
    """The build's warning stream: echoed to the terminal, kept as one line per problem."""

    def __init__(self, root: Path) -> None:
        self.prefix = str(root) + os.sep
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        sys.stderr.write(text)
        for line in ANSI.sub("", text).splitlines():
            if line.strip():
                self.lines.append(line.replace(self.prefix, ""))
        return len(text)

    def flush(self) -> None:
        sys.stderr.flush()


class Superseded(Exception):
    """A newer save is waiting: the pages that follow an older one give way (they follow it)."""


@dataclass
class Session:
    """One project being previewed: the warm converter and book, and what the tabs show."""

    root: Path
    sources: Sources
    shown: Shown
    stop: StopSignals
    hands_on: bool
    converter: WarmConverter | None = None
    book: WarmBook | None = None
    writer: BackgroundWriter = field(default_factory=BackgroundWriter)
    interrupted: bool = False  # a build was stopped half-way: its state must not be saved
    rest_due: bool = False  # a save's own page is built; what lists it is not yet
    refused: bool = True  # the last conversion had problems (or there was none): no quick path
    newer_save: Callable[[], bool] = lambda: False
    failures_seen: int = 0

    def start(self) -> None:
        """Convert and build once, the way `make book` would; the book is then warm."""
        self.converter = WarmConverter(self.root, self.hands_on)
        converted = self.converter.run()
        self.refused = bool(converted.problems)
        self.warnings = Warnings(self.root)
        self.book = WarmBook(self.root, None, self.warnings, self.converter.toc_file)  # type: ignore[arg-type]
        self.book.stop_when(self.stop.event.is_set)
        if converted.problems:
            self._refuse(converted.problems)
            return
        say("preview: building the book")
        started = time.monotonic()
        with self.shown.lock:
            self._guarded(self.book.first_build)
        first, shown = self.converter.any_page(), list(self.warnings.lines)
        if first is not None and not self.stop.event.is_set():
            self._guarded(lambda: self.book.warm_up(first))  # type: ignore[union-attr]
            self.warnings.lines[:] = shown  # the first build's own
        settle_memory()
        say(f"preview: built in {time.monotonic() - started:.1f} s")
        self.shown.publish(rebuilt=True, problems=tuple(self.warnings.lines))

    def _renew_book(self) -> None:
        """A new application for a new table of contents (or a page added or removed beside it).

        sphinx-external-toc reads `_toc.yml` when the application is made (`config-inited`) and
        derives the excluded files from it; the warm application would keep the old ones. The
        old one's state is flushed first, so the new one loads it and reads only what changed.
        """
        assert self.book is not None and self.converter is not None
        self._wait_for_writer()
        due = self.book.pending
        self.book.flush(handlers=False)  # the feeds and indexes: the new one's, when idle
        self.book.close()
        self.book = WarmBook(self.root, None, self.warnings, self.converter.toc_file)  # type: ignore[arg-type]
        self.book.stop_when(self.stop.event.is_set)
        if due:
            self.book.mark_pending()
        settle_memory()

    def save(self, paths: set[str], only_posts: bool, new_files: bool) -> None:
        """After a save: the saved posts' own pages first when that is all it needs at once
        (`WarmConverter.quick`), the rest on `finish_save`; otherwise everything now."""
        assert self.converter is not None
        started = time.monotonic()
        quick = None
        if only_posts and not new_files and not self.refused:
            quick = self.converter.quick(Path(path) for path in paths)
        if quick is None:
            self.rest_due = False
            self.rebuild(only_posts, new_files, started)
        elif quick.problems:
            self._refuse(quick.problems)
        elif quick.written:
            self.rest_due = True
            self.warnings.lines.clear()
            only = [path.with_suffix("").as_posix() for path in quick.written]
            self._build(quick, started, settled=False, only=only)

    def finish_save(self) -> None:
        """What the last quick saves left: every other page the saved text changes. Its
        conversion (0.4 s at 1,000 posts) gives way to a newer save, and follows that one."""
        self.rest_due = False
        try:
            self.rebuild(only_posts=True, started=time.monotonic(), clear=False, checkpoint=self._give_way)
        except Superseded:
            self.rest_due = True

    def _give_way(self) -> None:
        if self.newer_save():
            raise Superseded

    def rebuild(
        self,
        only_posts: bool,
        new_files: bool = False,
        started: float = 0.0,
        clear: bool = True,
        checkpoint: Callable[[], None] = lambda: None,
    ) -> None:
        """Convert; if that went well, build what changed and tell the tabs."""
        assert self.converter is not None and self.book is not None
        started = started or time.monotonic()
        converted = self.converter.run(only_posts, checkpoint)
        if converted.problems:
            self._refuse(converted.problems)
            return
        self.refused = False
        if clear:
            self.warnings.lines.clear()
        toc = self.converter.toc_file
        if new_files or toc in converted.written or toc in converted.removed:
            self._renew_book()
        self._build(converted, started, settled=True)

    def _build(self, converted: ConvertResult, started: float, settled: bool, only: list[str] | None = None) -> None:
        assert self.book is not None
        result = self._guarded(lambda: self.book.update(writing=self.shown.lock, only=only))  # type: ignore[union-attr]
        if result is None:
            return
        rebuilt = bool(result.read or result.written)
        self.shown.publish(rebuilt=rebuilt, problems=tuple(self.warnings.lines), settled=settled)
        if rebuilt or converted.written:
            pages = len(result.written)
            say(f"preview: rebuilt in {time.monotonic() - started:.2f} s ({pages} page{'s' * (pages != 1)} written)")

    def _guarded(self, build: Callable[[], T]) -> T | None:
        try:
            return build()
        except Stopped:
            self.interrupted = True
            raise
        except Exception as error:  # a build error: the terminal and the tab say so; the preview goes on
            line = f"build failed: {type(error).__name__}: {error}".splitlines()[0]
            self._refuse((line,))
            return None

    def _refuse(self, problems: tuple[str, ...]) -> None:
        self.refused = True
        self.rest_due = False  # the next good run makes everything
        for problem in problems:
            say(problem)
        say("preview: not rebuilt; still showing the last good book")
        self.shown.publish(rebuilt=False, problems=problems)

    def flush_in_background(self) -> None:
        """Idle: a forked child writes what was deferred; this process goes on at once."""
        busy = self.writer.busy()  # a finished child is reaped here, a failure counted
        self._note_failures()
        if busy or self.interrupted:
            return
        parts = [part for part in (self.converter, self.book) if part is not None and part.pending]
        if not parts:
            return
        self.writer.start(self._flush_here)
        for part in parts:
            part.mark_written()

    def _note_failures(self) -> None:
        """A child that failed (it said why) wrote nothing reliable: everything is pending again."""
        if self.writer.failures > self.failures_seen:
            self.failures_seen = self.writer.failures
            for part in (self.converter, self.book):
                if part is not None:
                    part.mark_pending()

    def _wait_for_writer(self) -> None:
        self.writer.wait()
        self._note_failures()

    def _flush_here(self) -> None:
        """Write what was deferred, in this process; never the state of a build stopped half-way."""
        if self.converter is not None:
            self.converter.flush()  # conversions are by content: always right to keep
        if self.book is not None:
            if self.interrupted:
                self.book.discard()
            else:
                self.book.flush()

    def close(self) -> None:
        """Wait for a background write, then write what is left here."""
        try:
            self._wait_for_writer()
            self._flush_here()
        finally:
            if self.book is not None:
                self.book.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Live preview of the book (make serve).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000; make serve PORT=N)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project to preview (default: this one)")
    parser.add_argument("--no-hands-on", action="store_true", help="leave the hands-on part out")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Serve until stopped; 0 after Ctrl+C or SIGTERM, 1 for a bad config, 2 for a busy port."""
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    try:
        sources = Sources.of(root)
    except ConversionError as error:
        print(error, file=sys.stderr)
        return 1
    shown = Shown(root / "_build" / "html", boot=f"{os.getpid()}.{time.time_ns()}")
    try:  # before the first build: a busy port should not cost a whole build, then a traceback
        server = Server((args.host, args.port), handler_for(shown))
    except OSError as error:
        where = f"{args.host}:{args.port} ({error.strerror})"
        print(f"preview: cannot serve on {where}; pick another port: make serve PORT=8001", file=sys.stderr)
        return 2
    stop = StopSignals()
    stop.install()
    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # "1 change detected" on every save
    session = Session(root, sources, shown, stop, hands_on=not args.no_hands_on)
    session.writer.in_child = server.socket.close  # the port is free once this process exits
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    outcome = None
    try:
        outcome = _loop(session, server, serving, f"http://{args.host}:{server.server_port}/book/index.html")
    except Stopped:
        pass
    finally:
        shown.close()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
        with contextlib.suppress(Stopped):
            session.close()
    if outcome == RESTART:
        say("preview: the config or the code changed; restarting")
        os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
    say("preview: stopped")
    return 0


def _loop(session: Session, server: Server, serving: threading.Thread, url: str) -> str | None:
    sources = session.sources
    # The watcher is armed before the first build: a save during that build starts another
    # build instead of being lost.
    watcher = Watcher(sources, session.stop.event)
    watcher.start()
    session.newer_save = watcher.pending
    session.start()
    if session.stop.event.is_set():
        return None
    serving.start()
    say(f"preview: serving {url} (Ctrl+C to stop)")
    quiet_since = time.monotonic()
    while not session.stop.event.is_set():
        changed = watcher.get(timeout=TICK_MS / 1000)
        if session.stop.event.is_set():
            return None
        if not changed:  # nothing changed for TICK_MS
            quiet = (time.monotonic() - quiet_since) * 1000
            if session.rest_due and quiet >= REST_MS:
                session.finish_save()
                quiet_since = time.monotonic()
            elif quiet >= IDLE_MS:
                session.flush_in_background()
            continue
        paths = {path for _, path in changed}
        if sources.needs_restart(paths):
            return RESTART
        new_files = any(kind != Change.modified and not sources.only_posts({path}) for kind, path in changed)
        session.save(paths, only_posts=sources.only_posts(paths), new_files=new_files)
        quiet_since = time.monotonic()
    return None
