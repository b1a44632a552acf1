"""The built site on a local server, and the system Chromium to look at it: shared by the
search probe (`scripts/search_probe.py`) and the browser tests (`tests/browser.py`).

Serving is plain `http.server` on 127.0.0.1 with a free port; Chromium is the system's (Debian's
`chromium`, or Google Chrome elsewhere), never a downloaded browser.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: Flags for a quiet, offline, reproducible Chromium (Playwright adds --headless itself).
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)

# Debian's package, then the names other machines use (GitHub's runners ship Google Chrome).
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    """Path of the system Chromium (or Chrome), if there is one."""
    return next(filter(None, map(shutil.which, BROWSER_NAMES)), None)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files under a URL prefix, quietly; optionally a custom page for 404s."""

    prefix = "/"
    not_found: Path | None = None

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if not route.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-the-served-prefix")
        return super().translate_path(route[len(self.prefix) - 1 :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND or self.not_found is None:
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(directory: Path | str, *, prefix: str = "/", not_found: str | None = None) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) in a background thread; yield the base URL.

    `prefix` mounts the folder below a path, as GitHub Pages does for a project site
    (`/<repo>/`); `not_found` names a file of the folder sent for every missing path, with
    status 404, as GitHub Pages sends `404.html`. The URL ends with a slash, so
    `base + "book/index.html"` is a page of the site.
    """
    mount = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    missing = Path(directory) / not_found if not_found else None
    handler_class = type("Handler", (_SiteHandler,), {"prefix": mount, "not_found": missing})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="test-http-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
