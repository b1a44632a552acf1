"""Save-to-screen time of the live preview: `python -m booktools.bench.preview --posts N`.

What an author waits for: a sentence appended to a post, saved, until an open Chromium tab
shows it. The preview (`scripts/serve.py`) runs as `make serve` runs it, in a scratch copy of
the project with N generated posts (the first build is not timed); one tab shows the edited
post; each edit appends a new sentence and the clock stops when Playwright sees it on screen
(a visible element holding it, in the reloaded page). Edits are `--settle` seconds apart, by
default long enough that each one starts from a quiet preview, as an author's saves usually do.
Each edit also prints when the reloaded page was asked for, answered and first painted (the
browser's navigation timing, on the save's clock), and the run ends with their medians: what
is the preview's, what the browser's, what Playwright's noticing.

`--cold` also times what the earlier preview ran after a save, without the browser: a fresh
`scripts/convert.py` and a fresh `jupyter-book build .` (plus its 700 ms polling, not counted).

Usage: python -m booktools.bench.preview [--posts N] [--edits E] [--settle S] [--project DIR] [--cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from booktools.bench.posts import generate
from booktools.bench.runner import ROOT, Project, make_project
from booktools.local_site import CHROMIUM_ARGS, find_browser

SENTENCE = "\n미리보기 벤치마크가 덧붙인 문장 {marker} 입니다.\n"
SETTLE_SECONDS = 1.5
"""Between edits: past the pages that follow a save (0.7 s) and the start of the idle writes
(1 s later, in a child), as an author's saves usually are; `--settle` lands saves on them."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_served(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the preview exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the preview did not serve {url} within {timeout:.0f} s")


def prepared(posts: int, project: Path | None) -> Path:
    """A scratch project with `posts` generated posts (or DIR as it is, to reuse its build)."""
    if project is not None:
        return project.resolve()
    root = Path(tempfile.mkdtemp(prefix="blogbook-preview-bench-")) / "project"
    make_project(root)
    generate(root, posts)
    return root


NAVIGATION = """() => {
  const entry = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {origin: performance.timeOrigin, response: entry.responseEnd, paint: paint ? paint.startTime : null};
}"""
"""When the reloaded page was asked for, answered and first painted (ms since the Unix epoch / the request)."""


@dataclass(frozen=True)
class Edit:
    """One save's times, seconds from the write: the reload's request, its answer, its first
    paint, and the moment Playwright saw the sentence (the figure the target is about)."""

    requested: float
    answered: float
    painted: float | None
    seen: float


def timing(started_epoch: float, seen: float, navigation: dict[str, float | None]) -> Edit:
    origin = float(navigation["origin"] or 0) / 1000
    response, paint = navigation["response"], navigation["paint"]
    return Edit(
        requested=origin - started_epoch,
        answered=origin + float(response or 0) / 1000 - started_epoch,
        painted=origin + paint / 1000 - started_epoch if paint is not None else None,
        seen=seen,
    )


def measure_warm(root: Path, edits: int, stem: str, settle: float = SETTLE_SECONDS) -> list[Edit]:
    """Each save's times until the open tab shows the new sentence."""
    from playwright.sync_api import sync_playwright

    browser_path = find_browser()
    if browser_path is None:
        raise RuntimeError("Chromium not installed: apt-get install chromium fonts-noto-cjk")
    port = free_port()
    log = (root.parent / "preview.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--port", str(port), "--no-hands-on"],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    post = root / "posts" / f"{stem}.md"
    url = f"http://127.0.0.1:{port}/book/posts/{stem}.html"
    times: list[Edit] = []
    try:
        wait_until_served(url, process, timeout=1800)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=list(CHROMIUM_ARGS))
            page = browser.new_page()
            page.goto(url, wait_until="load")
            time.sleep(max(settle, SETTLE_SECONDS))
            for edit in range(edits):
                marker = f"edit-{os.getpid()}-{edit}"
                text = post.read_text(encoding="utf-8") + SENTENCE.format(marker=marker)
                started, started_epoch = time.perf_counter(), time.time()
                post.write_text(text, encoding="utf-8")
                page.get_by_text(marker).wait_for(state="visible", timeout=60_000)
                seen = time.perf_counter() - started
                times.append(timing(started_epoch, seen, page.evaluate(NAVIGATION)))
                print(f"  edit {edit + 1}: {seen:.3f} s ({_parts(times[-1])})", flush=True)
                time.sleep(settle)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()
    return times


def measure_cold(root: Path, edits: int, stem: str) -> list[float]:
    """Seconds for a fresh converter and a fresh `jupyter-book build .` after each save."""
    project = Project(root, Path("posts"), Path("book/posts"))
    post = root / "posts" / f"{stem}.md"
    times = []
    for edit in range(edits):
        post.write_text(post.read_text(encoding="utf-8") + SENTENCE.format(marker=f"cold-{edit}"), encoding="utf-8")
        started = time.perf_counter()
        project.convert().check("converting")
        project.build().check("building")
        times.append(time.perf_counter() - started)
        print(f"  cold edit {edit + 1}: {times[-1]:.3f} s", flush=True)
    return times


def _parts(edit: Edit) -> str:
    painted = f"painted at {edit.painted:.3f}" if edit.painted is not None else "no paint entry"
    return f"reload asked at {edit.requested:.3f}, answered at {edit.answered:.3f}, {painted}"


def summary(label: str, times: list[float]) -> str:
    return f"{label}: median {statistics.median(times):.3f} s, worst {max(times):.3f} s over {len(times)} edits"


def breakdown(edits: list[Edit]) -> str:
    """Where the median save's time goes: the preview (until the reload is answered), the
    browser (until its first paint), and Playwright noticing."""
    answered = statistics.median(edit.answered for edit in edits)
    painted = [edit.painted for edit in edits if edit.painted is not None]
    parts = f"median: the reload answered {answered:.3f} s after the save"
    if painted:
        parts += f", first painted at {statistics.median(painted):.3f} s"
    return parts + f", seen by Playwright at {statistics.median(edit.seen for edit in edits):.3f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the live preview from a save to the open tab.")
    parser.add_argument("--posts", type=int, default=300, help="generated posts (default 300)")
    parser.add_argument("--edits", type=int, default=11, help="edits to time (default 11)")
    parser.add_argument(
        "--settle",
        type=float,
        default=SETTLE_SECONDS,
        help=f"seconds from one edit on screen to the next save (default {SETTLE_SECONDS}: past the idle "
        "writes; shorter lands saves on the pages that follow a save (0.7 s) or on the idle writes (1 s on))",
    )
    parser.add_argument("--project", type=Path, help="reuse this prepared project (kept) instead of a new scratch copy")
    parser.add_argument("--cold", action="store_true", help="also time a fresh convert + jupyter-book build per edit")
    args = parser.parse_args(argv)
    root = prepared(args.posts, args.project)
    posts = sorted((root / "posts").glob("*.md"))
    stem = posts[len(posts) // 2].stem
    print(f"project: {root} ({len(posts)} posts; editing {stem}.md)", flush=True)
    try:
        warm = measure_warm(root, args.edits, stem, args.settle)
        print(summary(f"preview, save to screen, {len(posts)} posts", [edit.seen for edit in warm]))
        print(breakdown(warm))
        if args.cold:
            cold = measure_cold(root, args.edits, stem)
            print(summary(f"fresh convert + build, {len(posts)} posts", cold))
    finally:
        if args.project is None:
            shutil.rmtree(root.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
