"""The preview's deferred writes, done by a forked child so that a save never waits behind them.

After a save the preview writes only the pages; the environment pickle, both search indexes,
the inventory, the feeds, the sitemap and the converter's memo wait until it is idle. At 1,000
posts they take about two seconds of pure Python: in a thread they would hold the GIL against
the next save, and in this process the next save would wait for them. A child made by `fork`
between two builds holds a copy-on-write snapshot of exactly that state; it writes it (each
file atomically: temp file, then rename) and exits, while this process goes on serving and
building. One child at a time, so two snapshots never race to the same files.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field


def settle_memory() -> None:
    """Collect garbage once, then freeze what is left out of the collector's sight.

    The warm environment of 1,000 posts is millions of objects: a full collection walks them all
    (0.35 s), at a moment no one chooses, such as in the middle of a save. Frozen, they are
    never walked again; new objects (a save's doctree, its page) are collected as usual. Called
    when the book is built and whenever the preview is idle, so cycles that were frozen and
    became garbage since are freed then, not kept.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@dataclass
class BackgroundWriter:
    """Runs `write` in a forked child; `busy`, `wait` and `failed` report on it.

    `in_child` runs first in the child: it closes what the child must not keep (the listening
    socket, so the port is free as soon as the preview exits).
    """

    in_child: Callable[[], None] = lambda: None
    pid: int | None = None
    failures: int = field(default=0)

    def start(self, write: Callable[[], None]) -> None:
        """Fork; the child runs `write` and exits 0, or prints one line and exits 1."""
        if self.busy():
            raise RuntimeError("a background write is still running")
        if not hasattr(os, "fork"):  # Windows: written here, and the save waits as it did before
            self._write_here(write)
            return
        sys.stdout.flush()
        sys.stderr.flush()
        settle_memory()  # the child's collector then copies no page of the parent's objects
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.nice(10)  # the save being built and the browser showing it come first
                # Ctrl+C reaches the whole process group: the child finishes its files (seconds
                # at most) and the parent waits for it, so a stop leaves the state written.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                self.in_child()
                write()
                code = 0
            except BaseException as error:  # one line, as everything the preview prints
                print(f"preview: writing the book's state failed: {type(error).__name__}: {error}", file=sys.stderr)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.pid = pid

    def _write_here(self, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as error:
            print(f"preview: writing the book's state failed: {type(error).__name__}: {error}", file=sys.stderr)
            self.failures += 1

    def busy(self) -> bool:
        """A child is still writing (a finished one is reaped and its outcome counted)."""
        return self.pid is not None and not self._reap(os.WNOHANG)

    def wait(self) -> None:
        """Until the child, if any, is done."""
        if self.pid is not None:
            self._reap(0)

    def _reap(self, options: int) -> bool:
        assert self.pid is not None
        try:
            pid, status = os.waitpid(self.pid, options)
        except ChildProcessError:  # reaped elsewhere: its outcome is unknown, count it as failed
            pid, status = self.pid, 1 << 8
        if pid == 0:
            return False
        self.pid = None
        if os.waitstatus_to_exitcode(status) != 0:
            self.failures += 1
        return True
