#!/usr/bin/env python3
"""Live preview: serve `_build/html`, convert and rebuild when a source changes, reload the page.

`make serve` runs this. A change to a post, an image, a hand-written page, a notebook, the
config or an extension triggers `scripts/convert.py` and then an incremental
`jupyter-book build .` (the same commands a user runs). A post with a problem prints the
converter's one-line message and skips the build, so the browser keeps the last good book.
Each served HTML page carries a tiny script that polls the build number and reloads on change.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, watch

from .converter.config import load_config
from .converter.diagnostics import ConversionError

ROOT = Path.cwd()  # the project is where the author runs the preview
VERSION_PATH = "/__build_version"
RELOAD_SCRIPT = (
    "<script>(()=>{let seen=null;setInterval(async()=>{try{"
    f"const r=await fetch('{VERSION_PATH}',{{cache:'no-store'}});const v=await r.text();"
    "if(seen===null){seen=v}else if(v!==seen){location.reload()}}catch(e){}},700)})();</script>"
)
# Never sources: build output, caches, environments.
NOT_SOURCES = ("_build", ".cache", ".git", ".venv", ".venv-lab", ".pytest_cache")


@dataclass
class Preview:
    """What the server shows: the build number changes only after a successful build."""

    root: Path
    version: int = 0

    def watched(self) -> list[Path]:
        """Where sources live, from the converter's own config: posts, images, pages, the config, and
        this package (the extensions) when it is the project's own editable checkout."""
        config = load_config(self.root / "_config.yml")
        places = [config.posts_dir, config.static_images.parent, config.book_dir, Path("_config.yml")]
        found = [self.root / p for p in places if (self.root / p).exists()]
        package = Path(__file__).resolve().parent
        return [*found, package] if package.is_relative_to(self.root.resolve()) else found

    def ignored(self) -> tuple[str, ...]:
        """What the converter writes: watching it would trigger a rebuild after each rebuild."""
        config = load_config(self.root / "_config.yml")
        generated = (config.pages_dir, config.cards_file, config.toc_file)
        return NOT_SOURCES + tuple(path.as_posix() for path in generated)

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"


def handler_for(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    """A file handler for `_build/html` that injects the reload script into HTML pages."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(preview.html), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            if self.path == VERSION_PATH:
                self._send(str(preview.version).encode(), "text/plain")
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path /= "index.html"
            if path.suffix == ".html" and path.is_file():
                page = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
                self._send(page, "text/html; charset=utf-8")
                return
            super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def rebuild(preview: Preview, convert_args: list[str]) -> bool:
    """Convert, then build incrementally; True when the served book changed."""
    started = time.monotonic()
    converted = subprocess.run(
        [sys.executable, "scripts/convert.py", "--quiet", *convert_args],
        cwd=preview.root,
        capture_output=True,
        text=True,
        check=False,
    )
    if converted.returncode != 0:
        print(converted.stderr.strip(), flush=True)
        print("preview: not rebuilt; still showing the last good book", flush=True)
        return False
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    built = subprocess.run(
        [str(jupyter_book), "build", "."], cwd=preview.root, capture_output=True, text=True, check=False
    )
    if built.returncode != 0:
        print(built.stdout[-2000:] + built.stderr[-2000:], flush=True)
        print("preview: build failed; still showing the last good book", flush=True)
        return False
    preview.version += 1
    print(f"preview: rebuilt in {time.monotonic() - started:.1f} s (build {preview.version})", flush=True)
    return True


def is_source(change: Change, path: str, *, root: Path, ignored: tuple[str, ...]) -> bool:
    """Only sources trigger a rebuild; generated files and editor droppings do not."""
    relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
    if any(relative == g or relative.startswith(g + "/") for g in ignored):
        return False
    name = Path(path).name
    parts = relative.split("/")
    return not (name.startswith(".") or name.endswith("~") or ".ipynb_checkpoints" in parts or "__pycache__" in parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000; make serve PORT=N)")
    parser.add_argument("--root", type=Path, default=ROOT, help="project to preview (default: this one)")
    parser.add_argument("--no-hands-on", action="store_true", help="leave the hands-on part out")
    args = parser.parse_args(argv)
    preview = Preview(args.root.resolve())
    try:
        ignored = preview.ignored()
    except ConversionError as error:
        print(error, file=sys.stderr)
        return 1
    convert_args = ["--no-hands-on"] if args.no_hands_on else []
    try:  # before the first build: a busy port should not cost a whole build, then a traceback
        server = http.server.ThreadingHTTPServer((args.host, args.port), handler_for(preview))
    except OSError as error:
        where = f"{args.host}:{args.port} ({error.strerror})"
        print(f"preview: cannot serve on {where}; pick another port: make serve PORT=8001", file=sys.stderr)
        return 2
    source_filter = functools.partial(is_source, root=preview.root, ignored=ignored)
    # The watcher is running from its first (empty) yield on, before the first build: a save
    # during that build, or the moment the page first shows, starts another build instead of
    # being lost.
    changes = watch(
        *preview.watched(), watch_filter=source_filter, debounce=300, yield_on_timeout=True, rust_timeout=500
    )
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        next(changes)
        rebuild(preview, convert_args)
        serving.start()
        print(f"preview: serving http://{args.host}:{server.server_port}/book/index.html (Ctrl+C to stop)", flush=True)
        for changed in changes:
            if changed:  # an empty set is only the watcher's timeout
                rebuild(preview, convert_args)
    except KeyboardInterrupt:
        pass
    finally:
        if serving.is_alive():
            server.shutdown()  # waits for serve_forever, so only once it runs
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
