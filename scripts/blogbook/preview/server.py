"""The preview's web server: `_build/html` as built, plus the event stream the pages listen to.

Pages are served as the build wrote them, with one script added before `</body>` (see
`client`). No file is served while a build is writing (the `Shown.lock`), so a page is never
read half-written. Each open tab holds one `/__preview/events?page=PATH` request;
`Shown.publish` wakes them all, and each is told its own page's version: a tab reloads when its
page (or the sidebar every page shows) changed, not after every save.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import posixpath
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..ext.shared_nav import NAV_FILE
from .client import EVENTS_PATH, STATE_PATH, reload_script

KEEPALIVE_SECONDS = 15.0


@dataclass
class Shown:
    """What the open tabs should show: each page's version and the current problems (one line each).

    A page's version changes only when its file or the sidebar's changed, so a tab reloads
    only then; problems alone update the panel without a reload. `build` counts the builds
    that wrote something and `settled` says that nothing of the last save is left to build
    (the save's own page comes first, the pages that list it a moment later).
    """

    html: Path
    boot: str
    build: int = 0
    problems: tuple[str, ...] = ()
    settled: bool = True
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def version(self) -> str:
        return f"{self.boot}-{self.build}"

    def file_for(self, path: str) -> Path | None:
        """The file a URL path names under the site (a folder's index.html), None outside it."""
        relative = posixpath.normpath(unquote(urlsplit(path).path)).lstrip("/")
        if relative.startswith("..") or "\0" in relative:
            return None
        file = self.html / relative if relative not in ("", ".") else self.html
        return file / "index.html" if file.is_dir() else file

    def page_version(self, path: str) -> str:
        """Changes when the bytes of the page's file or the sidebar's change (not when a build
        writes the same bytes again, as Sphinx does with the search page after every build)."""
        file = self.file_for(path)
        try:
            page = file.read_bytes() if file is not None else None
        except OSError:
            page = None
        return self.version_of(page)

    def version_of(self, page: bytes | None) -> str:
        """The version of a page with these bytes (None: no such page), as the tab will see it."""
        digest = hashlib.blake2b(self.boot.encode(), digest_size=8)
        digest.update(page if page is not None else b"-")
        try:
            digest.update((self.html / NAV_FILE).read_bytes())
        except OSError:
            digest.update(b"-")
        return digest.hexdigest()

    def state(self, page: str | None = None) -> bytes:
        """For one page's tab, its version; without a page, the build count (tests, tools)."""
        version = self.page_version(page) if page is not None else self.version
        data = {"version": version, "problems": list(self.problems), "settled": self.settled}
        return json.dumps(data, ensure_ascii=False).encode()

    def publish(self, *, rebuilt: bool, problems: tuple[str, ...], settled: bool = True) -> None:
        with self.changed:
            self.build += 1 if rebuilt else 0
            self.problems = problems
            self.settled = settled
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


def handler_for(shown: Shown) -> type[http.server.SimpleHTTPRequestHandler]:
    """A file handler for `_build/html` that adds the reload script to pages and streams events."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a reload re-validates ~30 files on one connection

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(shown.html), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == EVENTS_PATH:
                self._stream(parse_qs(url.query).get("page", [None])[0])
                return
            if url.path == STATE_PATH:
                self._send(shown.state(), "application/json")
                return
            with shown.lock:  # never while a build writes
                file = shown.file_for(url.path)  # the same file the tab's version is taken from
                if file is not None and file.suffix == ".html" and file.is_file():
                    page = file.read_bytes()
                    script = reload_script(shown.version_of(page))
                    self._send(page.replace(b"</body>", script + b"</body>", 1), "text/html; charset=utf-8")
                    return
                super().do_GET()

        def do_HEAD(self) -> None:
            with shown.lock:
                super().do_HEAD()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _stream(self, page: str | None) -> None:
            """Send the page's state now and after every change, until the tab or the preview goes."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            sent = None
            try:
                self.wfile.write(b"retry: 500\n\n")  # reconnect soon after a restart
                while True:
                    with shown.changed:
                        if shown.closed:
                            return
                        state = shown.state(page)
                        if state == sent:
                            shown.changed.wait(KEEPALIVE_SECONDS)
                            state = shown.state(page)
                            if shown.closed:
                                return
                    if state != sent:
                        self.wfile.write(b"data: " + state + b"\n\n")
                        sent = state
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class Server(http.server.ThreadingHTTPServer):
    """Threads per request (each open tab holds one), none of them keeping the process alive."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A tab that closed or reloaded mid-response is no error; anything else is printed."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]
